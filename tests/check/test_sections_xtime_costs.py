"""A12 X-time against the previous plan, and COSTS: teachers.csv and run.json recomputed."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.check.conftest import CONTRACT
from vastaff.check.runner import SECTION_MODULES, run_checks
from vastaff.io.plan import load_plan


@pytest.fixture
def with_previous(case):
    """Last night H1 taught MA-ALG1 only and E2 taught nothing; tonight H1 also has MA-HALG1 (a new course)."""
    prev = [dict(s) for s in case.sections if s["section_id"] != "S-HALG"]
    prev = [{**s, "teacher_id": None} if s["teacher_id"] == "E2" else s for s in prev]
    case.previous = prev
    return case


def test_a12_owed_once_to_a_teacher_with_a_new_course(with_previous):
    report = with_previous.report()
    assert report.ok, [str(v) for v in report.violations]
    assert report.figures["costs"]["xtime"] == 720.0  # 12 h x $60, H1 only (E2 taught no section last night)
    assert report.figures["costs"]["xtime_teachers"] == 1

    def unpaid(frames, run):
        t = frames["teachers"]
        t.loc[t.teacher_id == "H1", ["xtime_hours", "xtime_cost"]] = [0.0, 0.0]
        run["costs"].update(xtime=0.0, total=0.0)

    report = with_previous.report(edit=unpaid)
    assert with_previous.rules(report) == ["A12", "COSTS", "COSTS"]
    assert report.violations[0].message == (
        "teacher H1: plan/teachers.csv xtime_hours 0, recomputed 12; xtime_cost $0.00, recomputed $720.00 "
        "(new course(s) since the previous plan: MA-HALG1)")
    assert report.violations[0].article == "12.0"


def test_a12_two_new_courses_are_owed_once(case):
    """Last night H1 taught EN-9 only; tonight MA-ALG1 and MA-HALG1: 12 hours once, not twice."""
    case.previous = [case.sec("S-E1", "EL-1", "year", "homeroom", "E1", {1: 20}),
                     case.sec("S-OLD", "EN-9", "year", "P2", "H1", {9: 25})]
    report = case.report()
    assert report.ok, [str(v) for v in report.violations]
    assert report.figures["costs"]["xtime"] == 720.0
    assert report.figures["costs"]["xtime_teachers"] == 1


def test_a12_none_without_previous(case):
    def paid_anyway(frames, run):
        t = frames["teachers"]
        t.loc[t.teacher_id == "H1", ["xtime_hours", "xtime_cost"]] = [12.0, 720.0]

    v = case.only(case.report(edit=paid_anyway), "A12")
    assert v.message == ("teacher H1: plan/teachers.csv xtime_hours 12, recomputed 0; xtime_cost $720.00, "
                         "recomputed $0.00 (no previous plan)")


@pytest.mark.parametrize("claim, made_against", [
    ({"previous_plan": "/nowhere/monday"}, "/nowhere/monday"),
    ({"changes_vs_previous": {"sections": 1, "teachers": 1, "periods": 0}},
     "a previous plan (run.json changes_vs_previous)")])
def test_a12_is_not_checked_against_a_previous_plan_not_given(with_previous, claim, made_against):
    """H1's X-time was owed against last night's plan; checked without it, A12 says it cannot tell (before: the $720
    read as owed to nobody, an A12 and two COSTS violations), and the cost totals are checked on the plan's own
    X-time."""
    plan = with_previous.write_plan(edit=lambda frames, run: run.update(claim))
    with_previous.previous = None
    report = run_checks(with_previous.district(), load_plan(plan), CONTRACT, modules=SECTION_MODULES)
    assert report.ok, [str(v) for v in report.violations]
    assert report.figures["not checked"]["A12"] == (
        f"the plan was made against {made_against}, which this check was not given (--previous)")
    assert report.figures["costs"]["xtime"] == 720.0

    def overpaid(frames, run):
        run.update(claim)
        run["costs"].update(xtime=1440.0, total=1440.0)

    assert with_previous.rules(run_checks(with_previous.district(), load_plan(with_previous.write_plan(overpaid)),
                                          CONTRACT, modules=SECTION_MODULES)) == ["COSTS", "COSTS"]


def test_costs_teacher_columns(case):
    def wrong_count(frames, run):
        t = frames["teachers"]
        t.loc[t.teacher_id == "H2", "courses_s1"] = 5

    v = case.only(case.report(edit=wrong_count), "COSTS")
    assert v.message == "teacher H2: plan/teachers.csv courses_s1 5, recomputed 2"
    assert case.keys(v) == ["plan/teachers.csv:H2"]


@pytest.mark.parametrize("delta, ok", [(0.004, True), (0.01, False)])
def test_costs_money_tolerance(case, delta, ok):
    def off(frames, run):
        t = frames["teachers"]
        t.loc[t.teacher_id == "H2", "stipend_cost"] = delta

    report = case.report(edit=off)
    assert report.ok is ok
    if not ok:
        assert case.only(report, "COSTS").message == ("teacher H2: plan/teachers.csv stipend_cost $0.01, "
                                                      "recomputed $0.00")


def test_costs_run_json_totals(case):
    def wrong_total(frames, run):
        run["costs"]["total"] = 600.0

    v = case.only(case.report(edit=wrong_total), "COSTS")
    assert v.message == "run.json costs.total is $600.00, recomputed $0.00"
    assert case.keys(v) == ["run.json:costs.total"]


def test_costs_run_json_without_costs_is_not_checked(case):
    def no_costs(frames, run):
        del run["costs"]

    assert case.report(edit=no_costs).ok


def test_costs_run_json_that_is_not_an_object_is_a_violation(case):
    v = case.only(case.report(edit=lambda frames, run: run.update(costs="lots")), "COSTS")
    assert v.message == ("run.json costs is 'lots', expected an object of dollar totals: stipend, multigrade, xtime, "
                         "total")
    assert case.keys(v) == ["run.json:costs"]


def test_costs_figures_add_up(case):
    case.previous = [dict(s) for s in case.sections]
    case.demand("MA-ALG1", 10, 5)
    case.section("S-ALG")["grades"] = {9: 30, 10: 5}
    case.section("S-ELD").update(teacher_id="H1", period_id="P2")  # new course for H1: X-time
    case.teacher("H1")["credentials"] = "math;english;eld"
    report = case.report()
    assert report.ok, [str(v) for v in report.violations]
    assert report.figures["costs"] == {"stipend": 0.0, "multigrade": 600.0, "xtime": 720.0, "total": 1320.0,
                                       "stipend_courses": 0, "multigrade_sections": 1, "xtime_teachers": 1}
    t = pd.read_csv(case.tmp / "plan" / "teachers.csv").set_index("teacher_id")
    assert t.loc["H1", ["multigrade_cost", "xtime_cost"]].tolist() == [600.0, 720.0]
