"""vastaff.report.why and `vastaff explain`: every decision about one teacher with the rule that bounds it.

Plans are hand-made for the tiny district (tests/conftest.py, tests/check/conftest.py's `Case`): seniority H1 (2001)
#1, E1 (2005) #2, H2 (2010) #3, E2 (2012) #4, R1T (2015) #5; VA1 has 3 academic periods; site S2 has one place.
Each line is shown with a near-identical plan that does not have it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from tests.check.conftest import CONTRACT, Case
from vastaff.cli import explain as explain_cli
from vastaff.io.plan import load_plan
from vastaff.report.context import report_context
from vastaff.report.why import explain_all, explain_teacher, matrix_summary_lines

BLANK = {"grade": "", "course_id": "", "level": ""}


@pytest.fixture
def case(tmp_path: Path) -> Case:
    return Case(tmp_path)


def context(case: Case, edit=None):
    return report_context(case.district(), load_plan(case.write_plan(edit)), CONTRACT)


def explained(case: Case, edit=None) -> dict[str, list]:
    """Every teacher's findings for the case's plan (one context: the checker and the locations run once)."""
    ctx = context(case, edit)
    return {tid: explain_teacher(ctx, tid) for tid in case.teacher_ids()}


def said(found: dict[str, list], teacher_id: str, rule: str) -> list[str]:
    """The messages of the teacher's findings that name `rule`."""
    return [f.message for f in found[teacher_id] if rule in f.rules]


def choice(teacher_id: str, rank: int, **field) -> dict:
    return {"teacher_id": teacher_id, "rank": rank, **BLANK, **field}


def lock(lock_id: str, teacher_id: str, mode: str, course_id: str, reason: str = "principal") -> dict:
    return {"lock_id": lock_id, "teacher_id": teacher_id, "mode": mode, "course_id": course_id, "semester": "",
            "period_id": "", "site_id": "", "room_id": "", "meeting_id": "", "reason": reason}


# ----------------------------------------------------------------------------------------------
# Sections: full periods (A6.1), credential (CRED), no section


def test_a_teacher_whose_periods_are_all_full_gets_the_a6_1_line(case):
    """H1 teaches Algebra 1 in P1 and P3 and Honors Algebra 1 in P2 in semester 1: every period holds a section."""
    case.section("S-ALG").update(grades={9: 15})
    case.section("S-HALG")["period_id"] = "P2"
    case.sections.append(case.sec("S-ALG2", "MA-ALG1", "1", "P3", "H1", {9: 15}))
    found = explained(case)
    assert said(found, "H1", "A6.1") == [
        "semester 1: all 3 academic periods hold a section; a further section would have to double a period holding "
        "one of the same subject, at most 2"]
    assert said(found, "H2", "A6.1") == []  # H2 keeps P3 free in semester 1


def test_a_teacher_whose_sections_moved_period_since_the_previous_plan_is_told_so_and_why(case):
    """A principal read 'VA01-H-APUSH year P5 -> P2' in changes.csv for a teacher nothing else had changed for, and
    no line of explain: H2's English 9 met in P3 last night and meets in P1 tonight; H1 kept every period."""
    case.previous = [dict(s, period_id="P3") if s["section_id"] == "S-EN" else dict(s) for s in case.sections]
    found = explained(case)
    assert said(found, "H2", "A6.1") == [
        "periods moved since the previous plan: EN-9 year P3 -> P1; VA1's timetable keeps last night's periods only "
        "once its doubled periods, singleton clashes and grade peaks above an even spread are as few as they can be "
        "(docs/contract.md, The timetable)"]
    assert not any("moved" in m for m in said(found, "H1", "A6.1"))
    case.previous = [dict(s) for s in case.sections]  # control: the same periods as last night
    assert not any("moved" in m for m in said(explained(case), "H2", "A6.1"))


def test_the_period_move_line_says_what_the_solve_proved_of_the_schools_timetable():
    """run.json `periods.schools`: proven, the moves are the fewest the measures that come first allow; else not. The
    measures named are those the model file's objective.period_stages puts before period changes."""
    from vastaff.report.why.changes import _school_text

    figures = {"status": "OPTIMAL", "doubled": 8, "singleton_clashes": 25, "grade_peak_excess": 0, "period_changes": 4}
    run, first = {"periods": {"schools": {"VA01": figures}}}, ["doubled", "singleton_clashes", "grade_peak_excess"]
    assert _school_text(run, "VA01", first) == (
        "tonight's timetable at VA01 moves 4 kept section periods, the fewest it can once its doubled periods (8), "
        "singleton clashes (25) and grade peaks above an even spread (0), which come first, are as low as they go "
        "(4.0 B(3))")
    assert _school_text(run, "VA01", ["singleton_clashes"]) == (  # a model file that puts period changes second
        "tonight's timetable at VA01 moves 4 kept section periods, the fewest it can once its singleton clashes (25), "
        "which come first, are as low as they go (4.0 B(3))")
    assert _school_text(run, "VA01", []) == (
        "VA01's timetable keeps last night's periods before every other measure of its own")
    figures.update(status="FEASIBLE", period_changes=1)
    assert _school_text(run, "VA01", first) == (
        "tonight's timetable at VA01 moves 1 kept section period, after its doubled periods (8), singleton clashes "
        "(25) and grade peaks above an even spread (0), which come first (4.0 B(3)); it was not proven optimal "
        "(FEASIBLE)")


def test_the_stipend_line_counts_the_courses_over_the_limit_in_both_semesters(case):
    """A6.3 as the plan's teachers.csv states it: 2 courses over the limit (one in each semester) are 2, said so
    (it read "2 courses beyond 8 a semester", as if 2 in one semester)."""
    def paid(frames, run):
        t = frames["teachers"]
        t.loc[t.teacher_id == "H1", ["stipend_courses", "stipend_cost"]] = [2, 2400.0]

    assert said(explained(case, paid), "H1", "A6.3") == [
        "stipend: 2 courses over the limit of 8 a semester, both semesters counted, $2,400.00"]


def test_a_teacher_with_every_period_doubled_has_no_room_left(case):
    """H1 holds Algebra 1 and Honors Algebra 1 in P1 (semester 1); two more Algebra 1 sections fill P2 and P3 each."""
    periods = ("P2", "P2", "P3", "P3")
    case.sections += [case.sec(f"S-ALG{i}", "MA-ALG1", "1", p, "H1", {9: 1}) for i, p in enumerate(periods)]
    assert said(explained(case), "H1", "A6.1") == [
        "semester 1: all 3 academic periods hold 2 sections, the most a period may hold: no further section fits"]


def test_a_course_refused_by_credential_is_named(case):
    findings = [f for f in explained(case)["H1"] if f.rules == ("CRED",)]
    refused = [f for f in findings if f.message.startswith("may not teach")]
    assert [f.message for f in refused] == [
        "may not teach 2 high courses of VA1 without the credential they need (they hold math): eld for ELD-1 (ELD 1); "
        "english for EN-9 (English 9)"]
    assert [str(r) for r in refused[0].rows] == ["teachers.csv:H1", "courses.csv:ELD-1", "courses.csv:EN-9"]
    assert [f.message for f in findings][0] == ("teaches section S-ALG of MA-ALG1 (Algebra 1), semester 1, period P1: "
                                                "30 students, grade 9 (credential math)")


def test_a_course_outside_the_grades_is_refused_by_grade_range(case):
    case.teacher("H1")["grade_min"] = "10"
    assert "may not teach 2 high courses of VA1 outside their grades 10..12: MA-ALG1 (Algebra 1) (grade 9), " \
           "MA-HALG1 (Honors Algebra 1) (grade 9)" in said(explained(case), "H1", "CRED")


def test_a_teacher_without_sections_is_told_who_holds_them(case):
    case.add_teacher("H3", seniority_date="2018-01-01")
    assert said(explained(case), "H3", "DEMAND") == [
        "teaches no section: the 2 sections of the courses they may teach (MA-ALG1 (Algebra 1), MA-HALG1 (Honors "
        "Algebra 1)) are held by H1 (Cy Math, seniority #1)"]
    case.teacher("H3")["credentials"] = "science"
    assert said(explained(case), "H3", "CRED")[-1] == (
        "teaches no section: no high course of VA1 fits their credential (science) and grades 9..12")


# ----------------------------------------------------------------------------------------------
# Work location (A19, A24), locks (LOCK)


def test_a_teacher_at_home_because_their_request_is_full_is_told_who_holds_it(case):
    """H3 (junior, either) asks for S2, whose one place goes to H1 (more senior, request 1)."""
    case.add_teacher("H3", seniority_date="2018-01-01", work_location="either", requested_site_ids="S2")
    found = explained(case)
    assert said(found, "H3", "A24") == ["request 1 not granted: S2 full (1 place: more senior H1 (Cy Math))"]
    assert said(found, "H3", "A19") == ["works from home (chose either, requested S2)"]
    assert said(found, "H1", "A24") == ["moves from S1 to S2 (request 1 granted)"]


def test_a_site_chooser_sent_home_is_told_once_why(case):
    """The plan's line ("works from home (chose site)", which read as if they had chosen home) stood before the
    optimizer's, which says the same and why: only the latter is kept."""
    for i, tid in enumerate(["H3", "H4"]):
        case.add_teacher(tid, seniority_date=f"201{7 + i}-01-01", work_location="site", requested_site_ids="")
    lines = [str(f) for f in explained(case)["H4"] if {"A16", "A19", "A24"} & set(f.rules)]
    assert lines == ["A19: works from home (chose site but every site they may be given is full: A19 shortfall)",
                     "A19: no room left at S1, S2"]


def test_a_hand_made_placement_is_stated_and_marked_as_not_the_optimizers(case):
    case.add_teacher("H3", seniority_date="2018-01-01", work_location="either", requested_site_ids="S2")

    def swap(frames, run):
        t = frames["teachers"]
        t.loc[t.teacher_id == "H3", ["work_location", "site_id", "room_id"]] = ["site", "S2", "S2-101"]
        t.loc[t.teacher_id == "H1", ["work_location", "site_id", "room_id"]] = ["home", None, None]
    lines = [str(f) for f in explained(case, swap)["H3"] if {"A19", "A24"} & set(f.rules)]
    assert lines == [
        "A19: works at site S2 (South Welcome Center), room S2-101 (chose either, requested S2)",
        "A24: this placement is not the one tonight's data gives (works from home): the reasons below are the "
        "optimizer's for tonight's data",
        "A24: request 1 not granted: S2 full (1 place: more senior H1 (Cy Math))"]


def test_a_locked_teacher_gets_the_lock_line(case):
    case.tables["locks"] = [lock("L1", "H1", "require", "MA-ALG1"), lock("L2", "H1", "forbid", "MA-HALG1", "")]
    found = explained(case)
    findings = [f for f in found["H1"] if f.rules == ("LOCK",)]
    assert [f.message for f in findings] == [
        "lock L1 (require): teaches MA-ALG1 (Algebra 1) (reason: principal)",
        "lock L2 (forbid): does not teach MA-HALG1 (Honors Algebra 1): BROKEN by this plan (vastaff check)"]
    assert [str(r) for r in findings[0].rows] == ["locks.csv:L1", "teachers.csv:H1"]
    assert said(found, "H2", "LOCK") == []


# ----------------------------------------------------------------------------------------------
# The matrix (A9.1)


@pytest.fixture
def two_grades(case):
    """E1 (#2) holds grade 1, E2 (#4) grade 2; E1 ranks grade 2 first, E2 ranks grade 1 first."""
    case.grade_two_homeroom()
    case.tables["matrix"] = [choice("E1", 1, grade="2"), choice("E1", 2, grade="1"), choice("E2", 1, grade="1")]
    return case


def test_a_first_choice_held_by_a_junior_or_a_senior_names_them(two_grades):
    """E1's first choice is held by E2, junior, who could swap; E2's is held by E1, more senior."""
    found = explained(two_grades)
    assert said(found, "E1", "A9.1") == [
        "matrix: choice 2 of 2 granted, grade 1 (S-E1)",
        "not their first choice, grade 2: junior E2 (Bo Elem, seniority #4) holds it in S-E2 and could swap: a "
        "blocking pair, which vastaff check reports"]
    assert said(found, "E2", "A9.1") == [
        "matrix: no choice of theirs granted (1 choice listed)",
        "not their first choice, grade 1: held by more senior E1 (Ada Elem, seniority #2) in S-E1"]
    assert [str(r) for r in found["E2"][-1].rows] == ["teachers.csv:E2", "matrix.csv:E2:1", "teachers.csv:E1",
                                                      "sections.csv:S-E1"]


def test_every_choice_above_what_they_got_is_explained(two_grades):
    """E2 ranks grade 1, then grade K, and gets neither: a matrix fuzz found only the first choice explained."""
    two_grades.tables["matrix"].append(choice("E2", 2, grade="K"))
    found = explained(two_grades)
    assert said(found, "E2", "A9.1") == [
        "matrix: no choice of theirs granted (2 choices listed)",
        "not their first choice, grade 1: held by more senior E1 (Ada Elem, seniority #2) in S-E1",
        "not their choice 2, grade K: no homeroom of VA1 holds grade K"]
    assert [str(r) for r in found["E2"][-1].rows] == ["teachers.csv:E2", "matrix.csv:E2:2"]
    assert said(found, "E1", "A9.1")[0] == "matrix: choice 2 of 2 granted, grade 1 (S-E1)"  # nothing below it


def test_juniors_beyond_those_shown_are_counted_in_the_singular_for_one(two_grades, monkeypatch):
    """A reviewer read "and 1 more junior holders"."""
    import vastaff.report.why.matrix as why_matrix

    monkeypatch.setattr(why_matrix, "SHOWN_JUNIORS", 0)
    assert said(explained(two_grades), "E1", "A9.1")[-1] == "not their first choice, grade 2: and 1 more junior holder"


def test_a_junior_who_may_not_swap_is_the_reason(two_grades):
    two_grades.teacher("E2")["grade_min"] = "2"  # E2 may not take E1's grade-1 homeroom: no swap
    assert said(explained(two_grades), "E1", "CRED")[-1] == (
        "not their first choice, grade 2: junior E2 (Bo Elem, seniority #4) holds it in S-E2 and may not take their "
        "homeroom S-E1 in exchange: grade 1 is outside their grades 2..5")


def test_a_lock_that_placed_the_junior_is_the_reason(two_grades):
    two_grades.tables["locks"] = [lock("L1", "E2", "require", "EL-2")]
    assert said(explained(two_grades), "E1", "LOCK")[-1] == (
        "not their first choice, grade 2: junior E2 (Bo Elem, seniority #4) holds it in S-E2; locks.csv stands in the "
        "way of a swap (L1)")


def test_the_locks_named_are_those_in_the_way_of_the_swap(two_grades):
    """Every course and meeting lock of both teachers was named, one forbidding another teacher's grade among them
    (an A9.1 fuzz): only the locks in the way of this swap are."""
    two_grades.tables["locks"] = [lock("L1", "E2", "require", "EL-2"), lock("L2", "E2", "forbid", "MA-ALG1"),
                                  lock("L3", "E1", "forbid", "MA-HALG1")]
    assert said(explained(two_grades), "E1", "LOCK")[-1].endswith("locks.csv stands in the way of a swap (L1)")


def test_the_matrix_summary_lists_the_most_senior_first(two_grades):
    assert matrix_summary_lines(context(two_grades), limit=1) == [
        "E1 (Ada Elem, seniority #2), VA1 elementary: choice 2 of 2 granted, grade 1 (S-E1); not their first choice, "
        "grade 2: junior E2 (Bo Elem, seniority #4) holds it in S-E2 and could swap: a blocking pair, which vastaff "
        "check reports"]
    two_grades.tables.pop("matrix")
    assert matrix_summary_lines(context(two_grades)) == []


def test_explain_all_gives_every_teacher_their_lines_as_text(case):
    ctx = context(case)
    texts = explain_all(ctx)
    assert sorted(texts) == ["E1", "E2", "H1", "H2", "R1T"]
    assert texts["R1T"][0] == "CRED (9.0(1)): resource specialists teach no sections; their work is the caseload (A7.3)"
    assert [f"{' + '.join(f.rules)} ({f.article}): {f.message}" for f in explain_teacher(ctx, "H2")] == texts["H2"]


# ----------------------------------------------------------------------------------------------
# The command


def cli(*args) -> object:
    app = typer.Typer()
    app.callback()(lambda: None)  # a command group, as the real app is
    explain_cli.register(app)
    return CliRunner().invoke(app, ["explain", *map(str, args)])


def test_the_command_prints_the_heading_then_one_line_per_finding(case):
    data, plan = case.write()
    result = cli(data, plan, "--teacher", "H1")
    assert result.exit_code == 0, result.stderr
    out = result.stdout.splitlines()
    assert out[0] == "H1 Cy Math — VA1 Virtual Academy 1, high (general, classroom)"
    assert out[1] == ("CRED (9.0(1)): teaches section S-ALG of MA-ALG1 (Algebra 1), semester 1, period P1: 30 "
                      "students, grade 9 (credential math)")


def test_a_rule_without_an_article_of_its_own_is_printed_without_one(case):
    """LOCK (locks.csv) and DEMAND have no article: the line read `LOCK (—): lock L1 ...`."""
    case.tables["locks"] = [lock("L1", "H1", "require", "MA-ALG1")]
    data, plan = case.write()
    out = cli(data, plan, "--teacher", "H1").stdout.splitlines()
    assert [line for line in out if line.startswith("LOCK")] == [
        "LOCK: lock L1 (require): teaches MA-ALG1 (Algebra 1) (reason: principal)"]


def test_an_unknown_teacher_exits_2_naming_the_closest_ids(case):
    data, plan = case.write()
    result = cli(data, plan, "--teacher", "H9")
    assert result.exit_code == 2
    assert result.stderr == f"vastaff explain: no teacher H9 in {data}; closest IDs: H1, H2, E1\n"
    assert result.stdout == ""


def test_invalid_data_exits_2_with_one_line_per_problem(case, tmp_path):
    data, plan = case.write()
    result = cli(data, tmp_path / "nowhere", "--teacher", "H1")
    assert result.exit_code == 2 and "Traceback" not in result.stderr
    assert result.stderr.splitlines()[0].startswith(str(tmp_path / "nowhere"))


def test_a_teacher_who_moved_level_by_their_choice_is_not_told_the_level_is_not_theirs_alone(case):
    """An audit: five sections explained as a level move, and the same card said the other level was "not theirs"."""
    assert said(explained(case), "H2", "CRED")[-1] == (
        "1 course of VA1 is at another level (elementary), not theirs: a teacher teaches at their own level (a move "
        "only by a matrix.csv level choice, A9.1)")
    case.tables["matrix"] = [choice("H2", 1, level="elementary")]
    case.section("S-E2").update(teacher_id="H2")
    found = said(explained(case), "H2", "CRED")
    assert found[0].endswith(", a level move (9.0(1))")
    assert found[-1] == ("1 course of VA1 is at another level (elementary), not theirs: a teacher teaches at their own "
                         "level (a move only by a matrix.csv level choice, A9.1); tonight they teach elementary "
                         "courses by their level choice (9.0(1))")


def test_a_vacant_homeroom_of_the_first_choice_grade_is_named(two_grades):
    """An audit: "not their first choice, grade K: held by more senior ..." while a grade-K homeroom stood vacant,
    and "no homeroom of VA01 holds grade UTK" where the only one was vacant."""
    two_grades.demand("EL-2", 2, 40)
    two_grades.sections.append(two_grades.sec("S-E3", "EL-2", "year", "homeroom", None, {2: 20}))
    assert said(explained(two_grades), "E1", "DEMAND")[-1] == (
        "not their first choice, grade 2: junior E2 (Bo Elem, seniority #4) holds it in S-E2 and could swap: a "
        "blocking pair, which vastaff check reports; homeroom S-E3 of grade 2 is vacant: taking one would leave their "
        "own homeroom S-E1 vacant instead")
    two_grades.section("S-E2").update(teacher_id=None)
    found = said(explained(two_grades), "E1", "DEMAND")
    assert found[-1] == ("not their first choice, grade 2: homerooms S-E2, S-E3 of grade 2 are vacant: taking one "
                         "would leave their own homeroom S-E1 vacant instead")
