"""Run records (schemas/run.py): the typed run.json of `solve`, `displace` and `scenario run` — the documented statuses,
one key order, blocks that do not apply left out, and every file read back into the very record that wrote it."""

from __future__ import annotations

import json

import numpy as np
import pytest
from pydantic import ValidationError

from displace_fixtures import CONTRACT, three_levels
from tests.conftest import tiny_tables, write_tables
from tests.scenario.conftest import write_scenario
from tests.solve.builders import course, demand, secondary, teacher
from vastaff.displace import displace, run_record
from vastaff.io.district import load_district
from vastaff.io.plan import run_json, write_infeasible, write_plan
from vastaff.nightly import solve_nightly
from vastaff.rules import article
from vastaff.scenario import run_scenarios
from vastaff.schemas.run import (
    Costs, DisplacementRun, RunSummary, ScenarioFailure, ScenarioRun, ScenarioStatus, StageResult, Status, Vacancies,
)
from vastaff.nightly.sections import SolveSettings

SOLVE_KEYS = ["status", "objective", "best_bound", "gap", "wall_seconds", "seed", "method", "time_limit",
              "contract_model", "contract_model_file", "input_sha256", "costs", "vacancies", "changes_vs_previous",
              "objective_stages", "schools", "periods", "matrix", "timing", "interrupted", "people"]
DISPLACE_KEYS = ["command", "status", "objective", "best_bound", "gap", "wall_seconds", "seed", "determinism",
                 "contract_model", "input_sha256", "positions_source", "cuts", "counts", "costs", "cut_lines", "moves",
                 "reporting_sites"]


def one_course(folder, *, credential: str = "math"):
    """One high-school math teacher (H1) and 20 grade-9 students of ALG; `credential` of ALG may be one H1 lacks."""
    return secondary(folder, [teacher("H1", "math")], [course("ALG", credential)], [demand("ALG", 9, 20)])


def solve(data, **settings):
    district = load_district(data, CONTRACT)
    return solve_nightly(district, CONTRACT, SolveSettings(**{"time_limit": 5, "processes": 1, **settings}))


def test_status_holds_spec_statuses_and_a_scenario_adds_its_own():
    assert [s.value for s in Status] == ["OPTIMAL", "FEASIBLE", "INFEASIBLE", "INVALID_INPUT"]
    assert [s for s in Status if s.has_plan] == [Status.OPTIMAL, Status.FEASIBLE]
    assert [s.value for s in ScenarioStatus] == [s.value for s in Status] + ["ERROR", "NOT_WRITTEN"]
    assert f"{Status.OPTIMAL}" == "OPTIMAL" == Status.OPTIMAL  # printed and compared as the docs spell it


def test_a_plan_writes_its_summary_in_field_order_and_reads_back_the_same(tmp_path):
    plan = solve(one_course(tmp_path / "d"))
    assert plan.status is Status.OPTIMAL and plan.feasible
    summary = plan.summary
    assert summary.costs == Costs(stipend=0.0, multigrade=0.0, xtime=0.0, total=0.0)
    assert summary.vacancies == Vacancies(count=0, items=[])
    assert (summary.method, summary.best_bound, summary.gap, summary.interrupted) == ("cpsat", 0.0, 0.0, False)
    assert summary.conflicts is None and summary.people is not None
    out = write_plan(tmp_path / "p", plan.tables, summary)
    text = (out / "run.json").read_text()
    assert text == run_json(summary)
    assert list(json.loads(text)) == SOLVE_KEYS  # no `conflicts` key on a plan
    assert RunSummary.model_validate_json(text) == summary


def test_an_infeasible_run_lists_its_conflicts_before_interrupted(tmp_path):
    """--strict (DEMAND + CRED): nobody holds the credential; greedy has no bound and no gap."""
    plan = solve(one_course(tmp_path / "d", credential="science"), strict=True, method="greedy")
    assert plan.status is Status.INFEASIBLE and not plan.feasible
    path = write_infeasible(tmp_path / "p", plan.summary)
    run = json.loads(path.read_text())
    assert list(run) == SOLVE_KEYS[:19] + ["conflicts", "interrupted", "people"]
    assert (run["status"], run["method"], run["best_bound"], run["gap"]) == ("INFEASIBLE", "greedy", None, None)
    assert [set(c["rules"]) >= {"DEMAND", "CRED"} for c in run["conflicts"]] == [True]
    assert {"file": "courses.csv", "key": "ALG"} in run["conflicts"][0]["rows"]
    assert RunSummary.model_validate(run) == plan.summary


def test_the_plain_run_of_a_nightly_plan_is_a_copy(tmp_path):
    plan = solve(one_course(tmp_path / "d"), method="greedy")
    run = plan.run
    run["status"] = "INVALID_INPUT"
    assert plan.run["status"] == "FEASIBLE" and plan.summary.status is Status.FEASIBLE


def test_a_stage_value_keeps_the_solvers_number_type():
    """An int stays an int and a float a float, numpy scalars included: same bytes as the solver's numbers."""
    result = StageResult(status="OPTIMAL", value=np.int64(164), bound=np.float64(164.0))
    assert json.loads(run_json(result)) == {"status": "OPTIMAL", "value": 164, "bound": 164.0}
    assert '"value": 164,' in run_json(result) and '"bound": 164.0' in run_json(result)


def test_a_record_refuses_an_unknown_key_and_any_change():
    with pytest.raises(ValidationError, match=r"totl\n  Extra inputs are not permitted"):
        Costs(stipend=0.0, multigrade=0.0, xtime=0.0, total=0.0, totl=1.0)
    costs = Costs(stipend=0.0, multigrade=0.0, xtime=0.0, total=0.0)
    with pytest.raises(ValidationError, match="Instance is frozen"):
        costs.total = 5.0


def test_the_displacement_record_and_its_articles_come_from_the_rule_registry(tmp_path):
    district = load_district(write_tables(tmp_path / "data", three_levels()), CONTRACT)
    result = displace(district, CONTRACT, ["VA1:high:1"])
    record = run_record(result, district, CONTRACT, wall_seconds=1.23456)
    assert isinstance(record, DisplacementRun) and record.wall_seconds == 1.235
    assert dict(zip(result.detail["rule"], result.detail["article"])) == {
        "A10": article("A10"), "A11": article("A11"), "A10.1": article("A10.1")} == {
        "A10": "10.0", "A11": "11.0", "A10.1": "10.0(1)"}
    text = run_json(record)
    run = json.loads(text)
    assert list(run) == DISPLACE_KEYS
    assert (run["status"], run["seed"], run["objective"]) == ("OPTIMAL", None, None)
    assert [m["teacher_id"] for m in run["moves"]] == ["H4"] and run["reporting_sites"] == {"S1": 2}
    assert DisplacementRun.model_validate_json(text) == record


def test_scenario_records_succeeded_and_failed(tmp_path):
    """A solved scenario: the summary, then scenario (with its wall_seconds), check, figures. A scenario whose patch
    selects nothing: status, wall_seconds, errors, and what was asked — in that order."""
    data = write_tables(tmp_path / "data", tiny_tables())
    good = write_scenario(tmp_path / "sc", "good", data, solve={"method": "greedy", "time_limit": 5})
    bad = write_scenario(tmp_path / "sc", "bad", data, patches=[
        {"kind": "set", "table": "sites", "where": {"site_id": "S9"}, "set": {"status": "closed"}}])
    outcomes = run_scenarios([good, bad], tmp_path / "runs", processes=1)
    assert [o.status for o in outcomes] == [ScenarioStatus.FEASIBLE, ScenarioStatus.INVALID_INPUT]
    text = (tmp_path / "runs" / "good" / "run.json").read_text()
    run = json.loads(text)
    assert list(run) == SOLVE_KEYS + ["scenario", "check", "figures"]
    assert list(run["scenario"])[-1] == "wall_seconds" and run["check"] == {"violations": 0, "by_rule": {}}
    assert ScenarioRun.model_validate_json(text).scenario.name == "good"
    failed = (tmp_path / "runs" / "bad" / "run.json").read_text()
    assert list(json.loads(failed)) == ["status", "wall_seconds", "errors", "scenario"]
    record = ScenarioFailure.model_validate_json(failed)
    assert record.status is ScenarioStatus.INVALID_INPUT
    assert record.errors == ["patch 0 (set sites): no row of sites.csv matches where site_id=S9 "
                             "(set allow_empty: true if that is expected)"]
    assert record.scenario.model_dump() == {"name": "bad", "description": "test scenario bad", "file": str(bad),
                                            "data": str(data), "model": None}
