"""A10, A10.1, A11 checks on displacement.csv.

The district: tiny (tests/conftest.py) plus H3, a junior high teacher (2018) holding math and multiple_subject
with grades 5-12, and positions: VA1 high general 2, VA1 elementary general 3. So H1 (2001) and H2 (2010)
keep the 2 high positions; H3 is displaced and takes elementary's one vacancy (3 positions - E1 - E2);
VA1 high special_education (R1T) is absent from positions.csv and keeps its head count.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from people_plans import context, edit_rows, run_all, tiny_tables, written_plan
from vastaff.check import displacement, displacement_form


def district(h3_credentials: str = "math;multiple_subject", h3_grade_min: str = "5", extra: list[dict] = ()) -> dict:
    data = tiny_tables()
    h1 = next(t for t in data["teachers"] if t["teacher_id"] == "H1")
    data["teachers"].append({**h1, "teacher_id": "H3", "name": "Gus Junior", "seniority_date": "2018-08-15",
                             "credentials": h3_credentials, "grade_min": h3_grade_min, "requested_site_ids": ""})
    for row in extra:
        data["teachers"].append({**h1, "requested_site_ids": "", **row})
    data["positions"] = [
        {"school_id": "VA1", "level": "high", "department": "general", "positions": 2},
        {"school_id": "VA1", "level": "elementary", "department": "general", "positions": 3},
    ]
    return data


def row(tid: str, level: str, outcome: str, rank: int, to_level: str | None = None, site: str | None = None,
        department: str = "general") -> dict:
    to = to_level if to_level is not None else (level if outcome == "retained" else None)
    article = {"retained": "10.0", "moved_level": "10.0(1)", "displaced": "11.0"}[outcome]
    return {"teacher_id": tid, "school_id": "VA1", "from_level": level, "department": department, "outcome": outcome,
            "to_level": to, "site_id": site, "seniority_rank": rank, "article": article}


def with_xtime(r: dict) -> dict:
    """A12: 12 h at $60 for a teacher moved level (they switch courses), none for others — unless the test set it."""
    hours = 12.0 if r["outcome"] == "moved_level" else 0.0
    return {"xtime_hours": hours, "xtime_cost": hours * 60} | r


def valid_rows() -> list[dict]:
    return [row("E1", "elementary", "retained", 1), row("E2", "elementary", "retained", 2),
            row("H1", "high", "retained", 1), row("H2", "high", "retained", 2),
            row("H3", "high", "moved_level", 3, "elementary"),
            row("R1T", "high", "retained", 1, department="special_education")]


def check(tmp_path, rows: list[dict], data: dict | None = None):
    ctx = context(tmp_path, data=data or district(), plan={"displacement": [with_xtime(r) for r in rows]})
    return run_all(displacement, ctx), ctx


def rules(found) -> list[tuple[str, str]]:
    return [(v.rule, v.article) for v in found]


def test_valid_displacement_passes(tmp_path):
    found, ctx = check(tmp_path, valid_rows())
    assert found == []
    assert displacement.displacement_figures(ctx) == {"A10 displacement per school, level and department": [
        {"school_id": "VA1", "level": "elementary", "department": "general", "positions": 3, "teachers": 2,
         "retained": 2, "moved_level": 0, "displaced": 0, "moved_in": 1},
        {"school_id": "VA1", "level": "high", "department": "general", "positions": 2, "teachers": 3,
         "retained": 2, "moved_level": 1, "displaced": 0, "moved_in": 0},
        {"school_id": "VA1", "level": "high", "department": "special_education", "positions": "head count",
         "teachers": 1, "retained": 1, "moved_level": 0, "displaced": 0, "moved_in": 0}]}


def test_no_displacement_file_means_nothing_to_check(tmp_path):
    ctx = context(tmp_path, data=district())
    assert run_all(displacement, ctx) == [] and displacement.displacement_figures(ctx) == {}


# ---------------------------------------------------------------------------------------------- A10

def test_missing_teacher(tmp_path):
    found, _ = check(tmp_path, [r for r in valid_rows() if r["teacher_id"] != "E2"])
    assert rules(found) == [("A10", "10.0")]
    assert found[0].message == "teacher E2 (VA1 elementary general) is missing from displacement.csv"


def test_teacher_listed_twice_and_unknown_teacher(tmp_path):
    rows = valid_rows() + [row("E2", "elementary", "retained", 2), row("Z9", "high", "retained", 1)]
    found, _ = check(tmp_path, rows)
    assert [v.message for v in found] == ["teacher E2 appears 2 times in displacement.csv; exactly once expected",
                                          "displacement.csv lists teacher Z9, who is not in teachers.csv"]


def test_wrong_level_on_the_row(tmp_path):
    rows = valid_rows()
    edit_rows(rows, "teacher_id", "E2", from_level="high", to_level="high")
    found = displacement.check_a10_every_teacher(context(tmp_path, data=district(), plan={"displacement": rows}))
    assert [v.message for v in found] == [
        "teacher E2 is listed as VA1 high general, but teachers.csv has VA1 elementary general"]


def test_wrong_seniority_rank(tmp_path):
    rows = valid_rows()
    edit_rows(rows, "teacher_id", "H2", seniority_rank=3)
    found, _ = check(tmp_path, rows)
    assert rules(found) == [("A10", "10.0")]
    assert found[0].message == ("teacher H2 has seniority_rank 3, but is number 2 by seniority in VA1 high general "
                                "(seniority 2010-03-01, tiebreak 2)")


def test_rank_ties_on_date_follow_the_tiebreak(tmp_path):
    """H4 shares H2's date with tiebreak 1 (H2 has 2): H4 is more senior, so H2 falls to rank 3 and out."""
    data = district(extra=[{"teacher_id": "H4", "name": "Hal", "seniority_date": "2010-03-01", "seniority_tiebreak": 1,
                            "credentials": "math"}])
    rows = [r for r in valid_rows() if r["teacher_id"] not in ("H2", "H3")]
    rows += [row("H4", "high", "retained", 2), row("H2", "high", "moved_level", 3, "elementary"),
             row("H3", "high", "displaced", 4, site="S1")]
    data["teachers"][3]["credentials"] = "english;eld;multiple_subject"
    data["teachers"][3]["grade_min"] = "5"
    found, _ = check(tmp_path, rows, data)
    assert found == []


def test_junior_retained_beyond_positions(tmp_path):
    rows = valid_rows()
    edit_rows(rows, "teacher_id", "H3", outcome="retained", to_level="high", article="10.0")
    found, _ = check(tmp_path, rows)
    assert rules(found) == [("A10", "10.0")]
    assert found[0].message == ("teacher H3 is retained, but is number 3 by seniority in VA1 high general, "
                                "which keeps 2 position(s)")


def test_senior_displaced_while_junior_retained(tmp_path):
    rows = valid_rows()
    edit_rows(rows, "teacher_id", "H2", outcome="moved_level", to_level="elementary", article="10.0(1)")
    edit_rows(rows, "teacher_id", "H3", outcome="retained", to_level="high", article="10.0")
    found, _ = check(tmp_path, rows)
    messages = [v.message for v in found]
    assert rules(found)[:2] == [("A10", "10.0"), ("A10", "10.0")]
    assert messages[0] == ("teacher H2 is number 2 by seniority in VA1 high general, which keeps 2 position(s), "
                           "so is retained, but the plan says moved_level")


def test_group_absent_from_positions_keeps_its_head_count(tmp_path):
    rows = valid_rows()
    edit_rows(rows, "teacher_id", "R1T", outcome="displaced", to_level=None, site_id="S1", article="11.0")
    found, _ = check(tmp_path, rows)
    assert rules(found) == [("A10", "10.0")]
    assert found[0].message == ("teacher R1T is number 1 by seniority in VA1 high special_education, which keeps its "
                                "head count (not in positions.csv), so is retained, but the plan says displaced")


def test_retained_teacher_to_level_is_their_level(tmp_path):
    rows = valid_rows()
    edit_rows(rows, "teacher_id", "E1", to_level=None)
    found, _ = check(tmp_path, rows)
    assert [v.message for v in found] == [
        "retained teacher E1 has to_level (blank); a retained teacher's to_level is their level, elementary"]


# ---------------------------------------------------------------------------------------------- A10.1

def test_displaced_while_an_eligible_vacancy_stays_open(tmp_path):
    rows = valid_rows()
    edit_rows(rows, "teacher_id", "H3", outcome="displaced", to_level=None, site_id="S1", article="11.0")
    found, _ = check(tmp_path, rows)
    assert rules(found) == [("A10.1", "10.0(1)")]
    assert found[0].message == ("teacher H3 is left displaced though eligible for VA1 elementary general, where a "
                                "vacancy there stays open (1 left)")


def _two_juniors() -> dict:
    return district(extra=[{"teacher_id": "H4", "name": "Ivy", "seniority_date": "2019-08-15",
                            "credentials": "multiple_subject", "grade_min": "4"}])


def test_more_junior_teacher_takes_the_vacancy(tmp_path):
    rows = [r for r in valid_rows() if r["teacher_id"] != "H3"]
    rows += [row("H3", "high", "displaced", 3, site="S1"), row("H4", "high", "moved_level", 4, "elementary")]
    found, _ = check(tmp_path, rows, _two_juniors())
    assert rules(found) == [("A10.1", "10.0(1)")]
    assert found[0].message == ("teacher H3 is left displaced though eligible for VA1 elementary general, where more "
                                "junior teacher H4 moved there")


def test_control_most_senior_displaced_first(tmp_path):
    rows = [r for r in valid_rows() if r["teacher_id"] != "H3"]
    rows += [row("H3", "high", "moved_level", 3, "elementary"), row("H4", "high", "displaced", 4, site="S1")]
    found, _ = check(tmp_path, rows, _two_juniors())
    assert found == []


def test_more_moves_than_vacancies(tmp_path):
    rows = [r for r in valid_rows() if r["teacher_id"] != "H3"]
    rows += [row("H3", "high", "moved_level", 3, "elementary"), row("H4", "high", "moved_level", 4, "elementary")]
    found, _ = check(tmp_path, rows, _two_juniors())
    assert rules(found) == [("A10.1", "10.0(1)")]
    assert found[0].message == ("VA1 elementary general takes 2 teacher(s) moving level, but has 1 vacancy(ies) "
                                "(positions - retained)")
    assert [(r.file, r.key) for r in found[0].rows] == [("positions.csv", "VA1:elementary:general")]


def test_move_without_the_credential(tmp_path):
    found, _ = check(tmp_path, valid_rows(), district(h3_credentials="math"))
    assert rules(found) == [("A10.1", "10.0(1)")]
    assert found[0].message == ("teacher H3 (VA1 high general) moves to elementary: holds no credential (math) of any "
                                "elementary course of VA1")


def test_control_no_credential_so_displaced(tmp_path):
    rows = valid_rows()
    edit_rows(rows, "teacher_id", "H3", outcome="displaced", to_level=None, site_id="S1", article="11.0")
    found, _ = check(tmp_path, rows, district(h3_credentials="math"))
    assert found == []


def test_move_outside_the_grade_range(tmp_path):
    found, _ = check(tmp_path, valid_rows(), district(h3_grade_min="9"))
    assert [v.message for v in found] == [
        "teacher H3 (VA1 high general) moves to elementary: grades 9..12 do not meet elementary grades -2..5"]


def test_move_to_a_level_that_is_not_lower(tmp_path):
    rows = valid_rows()
    edit_rows(rows, "teacher_id", "E2", outcome="moved_level", to_level="high", article="10.0(1)")
    data = district()
    data["positions"][1]["positions"] = 1
    data["positions"][0]["positions"] = 3
    rows = [r for r in rows if r["teacher_id"] != "H3"] + [row("H3", "high", "retained", 3)]
    found = displacement.check_a10_1_moves(context(tmp_path, data=data, plan={"displacement": rows}))
    assert [v.message for v in found] == [
        "teacher E2 (VA1 elementary general) moves to high: not a lower level (moves go high -> middle -> elementary)"]


# ---------------------------------------------------------------------------------------------- A11

def _h3_displaced(site: str | None) -> tuple[list[dict], dict]:
    rows = valid_rows()
    edit_rows(rows, "teacher_id", "H3", outcome="displaced", to_level=None, site_id=site, article="11.0")
    return rows, district(h3_credentials="math")


def test_displaced_teacher_reports_elsewhere(tmp_path):
    rows, data = _h3_displaced("S2")
    found, _ = check(tmp_path, rows, data)
    assert rules(found) == [("A11", "11.0")]
    assert found[0].message == "displaced teacher H3 reports to S2; the priority site is S1"


def test_displaced_teacher_without_a_reporting_site(tmp_path):
    rows, data = _h3_displaced(None)
    found, _ = check(tmp_path, rows, data)
    assert [v.message for v in found] == ["displaced teacher H3 reports to (blank); the priority site is S1"]


def test_with_several_priority_sites_the_one_in_the_schools_region_is_owed(tmp_path):
    """docs/contract.md, A11: with several open priority sites, the one in the school's region (VA1 is in R1: S1),
    else the nearest to home, else the lowest ID. The checker accepted any of them (an audit moved displaced teachers
    between priority sites unseen); control: S1 no priority site, S2 (R2) is the only one and H3 there passes."""
    rows, data = _h3_displaced("S2")
    edit_rows(data["sites"], "site_id", "S2", priority_site="true")
    found, _ = check(tmp_path, rows, data)
    assert [v.message for v in found] == [
        "displaced teacher H3 reports to S2; the priority site is S1 (in the school's region R1)"]
    edit_rows(data["sites"], "site_id", "S1", priority_site="false")
    found, _ = check(tmp_path, rows, data)
    assert [v.rule for v in found if v.rule == "A11"] == []


def test_with_no_priority_site_in_the_schools_region_the_one_nearest_home_is_owed(tmp_path):
    """VA1 moved to a region R3 without a priority site; H3 lives in R2: S2 (R2, 0 km) over S1 (R1, 20 km)."""
    rows, data = _h3_displaced("S1")
    data["regions"].append({"region_id": "R3", "name": "Far", "x_km": 0, "y_km": -40})
    edit_rows(data["schools"], "school_id", "VA1", region_id="R3")
    edit_rows(data["sites"], "site_id", "S2", priority_site="true")
    edit_rows(data["teachers"], "teacher_id", "H3", home_region_id="R2")
    found = displacement.check_a11_priority_site(context(tmp_path, data=data, plan={"displacement": rows}))
    assert [v.message for v in found] == [
        "displaced teacher H3 reports to S1; the priority site is S2 (nearest the home region R2, 0.0 km)"]


def test_retained_teacher_has_no_reporting_site(tmp_path):
    rows = valid_rows()
    edit_rows(rows, "teacher_id", "E1", site_id="S1")
    found, _ = check(tmp_path, rows)
    assert rules(found) == [("A11", "11.0")]
    assert found[0].message == ("teacher E1 is retained but has site_id S1; only a displaced teacher has a "
                                "reporting site")


def test_a_teacher_moved_level_without_xtime_is_caught(tmp_path):
    """A12 on displacement: H3 moved level and switches courses; 0 hours given -> one A12 finding; a retained teacher
    given X-time -> another. Control: valid_rows (H3 with 12 h, $720) passes."""
    rows = valid_rows()
    rows[4] |= {"xtime_hours": 0.0, "xtime_cost": 0.0}
    rows[0] |= {"xtime_hours": 12.0, "xtime_cost": 720.0}
    found, _ = check(tmp_path, rows)
    assert [(v.rule, v.message) for v in found] == [
        ("A12", "teacher E1 (retained) has xtime_hours 12 and xtime_cost 720.00 in displacement.csv; expected 0 h "
                "and 0.00"),
        ("A12", "teacher H3 (moved_level) has xtime_hours 0 and xtime_cost 0.00 in displacement.csv; expected 12 h "
                "and 720.00 (a teacher moved level switches courses)")]


@pytest.mark.parametrize("costs, expected", [
    ({"xtime": 720.0, "xtime_teachers": 1}, []),
    ({}, []),  # a plan made by hand may leave its totals out
    ({"xtime": 0.0, "xtime_teachers": 1},
     ["run.json costs.xtime is 0.0, recomputed $720.00 (1 teacher(s) moved level)"]),
    ({"xtime": 720.0, "xtime_teachers": "two"},
     ["run.json costs.xtime_teachers is 'two', recomputed 1 (1 teacher(s) moved level)"]),
])
def test_run_json_xtime_total_is_the_moved_teachers_sum(tmp_path, costs, expected):
    """A12 on displacement (docs/contract.md: xtime_hours and xtime_cost, "summed in its run.json `costs`"): H3 moved
    level, so 12 h x $60 = $720 over 1 teacher; a run.json that says otherwise is caught."""
    _, ctx = check(tmp_path, valid_rows())
    ctx = replace(ctx, plan=replace(ctx.plan, run={"costs": costs}))
    found = displacement.check_a12_run_costs(ctx)
    assert [(v.rule, v.message) for v in found] == [("A12", m) for m in expected]


def test_a_scenarios_run_json_keeps_the_displacement_total_in_its_block(tmp_path):
    """A scenario with `displace: true` writes the solve's costs at the top of run.json and the displacement's in
    `displacement.costs`: the A12 total is read there (the solve's X-time of $0 is not the displacement's)."""
    _, ctx = check(tmp_path, valid_rows())
    run = {"costs": {"xtime": 0.0}, "displacement": {"costs": {"xtime": 720.0, "xtime_teachers": 1}}}
    assert displacement.check_a12_run_costs(replace(ctx, plan=replace(ctx.plan, run=run))) == []
    run["displacement"]["costs"]["xtime"] = 60.0
    found = displacement.check_a12_run_costs(replace(ctx, plan=replace(ctx.plan, run=run)))
    assert [v.message for v in found] == [
        "run.json displacement.costs.xtime is 60.0, recomputed $720.00 (1 teacher(s) moved level)"]


def test_levels_read_in_any_letter_case_as_every_choice_is(tmp_path):
    """An audit wrote to_level `High` for a retained teacher and `Middle` for a move: A10 and A10.1 findings, where
    from_level `High` passed (docs/data-format.md: choices in any letter case)."""
    rows = valid_rows()
    for r in rows:
        r["to_level"] = r["to_level"].title() if r.get("to_level") else r.get("to_level")
        r["from_level"] = r["from_level"].upper()
    plan = written_plan(tmp_path / "plan", {"displacement": [with_xtime(r) for r in rows]})
    assert set(plan.displacement.to_level.dropna()) <= {"elementary", "middle", "high"}
    assert run_all(displacement, context(tmp_path, data=district(), plan=plan)) == []


def test_a_displaced_teacher_has_no_to_level(tmp_path):
    """docs/data-format.md, displacement.csv: to_level is blank for a displaced teacher (an audit's `high` there
    passed unseen); control: blank passes (test_displaced_teacher_without_a_reporting_site's plan, site S1)."""
    rows, data = _h3_displaced("S1")

    def found():
        plan = {"displacement": [with_xtime(r) for r in rows]}
        return run_all((displacement, displacement_form), context(tmp_path, data=data, plan=plan))

    assert found() == []
    edit_rows(rows, "teacher_id", "H3", to_level="high")
    assert [(v.rule, v.message) for v in found()] == [
        ("A11", "teacher H3 is displaced but has to_level high; a displaced teacher's to_level is blank (they report "
                "to the priority site, at no level)")]
