"""A8.1 under `band_mean_scope: teacher`, through the whole nightly solve: the sections a roster needs, the students
split per teacher (nightly/class_split.py), and the independent checker agreeing."""

from __future__ import annotations

from tests.solve.builders import course, demand, secondary, teacher
from vastaff.check.runner import SECTION_MODULES, run_checks
from vastaff.contract import contract_from_dict, load_contract
from vastaff.io.district import load_district
from vastaff.io.plan import load_plan, write_plan
from vastaff.nightly import solve_nightly
from vastaff.nightly.sections import SolveSettings


def _contract(scope: str):
    raw = load_contract().model_dump(by_alias=True)
    raw["class_size"]["band_mean_scope"]["value"] = scope
    raw["objective"]["class_sizes"] = "fewest_sections"
    return contract_from_dict(raw, scope)


def _solve(data, out, scope: str, check_scope: str):
    district = load_district(data, _contract(scope))
    plan = solve_nightly(district, _contract(scope), SolveSettings(time_limit=10, processes=1))
    write_plan(out, plan.tables, plan.run)
    return plan, run_checks(district, load_plan(out), _contract(check_scope), modules=SECTION_MODULES)


def test_the_per_teacher_split_keeps_every_roster_within_the_mean(tmp_path):
    """ALG 53 and ENG 20 (grade 9), H1 math and English, H2 math; fewest sections. Three sections either way, but
    the even split of algebra (27 / 26) leaves one algebra teacher's roster above 25: under `teacher` the students
    split per roster (H1 28 + 20, H2 25), and the checker of the teacher reading accepts the plan."""
    data = secondary(tmp_path / "d", [teacher("H1", "math;english"), teacher("H2", "math")],
                     [course("ALG", "math"), course("ENG", "english")], [demand("ALG", 9, 53), demand("ENG", 9, 20)])
    school, report = _solve(data, tmp_path / "school", "school", "teacher")
    assert len(school.tables["sections"]) == 3
    assert [v.rule for v in report.violations] == ["A8.1"]          # the control: school's plan, teacher's reading
    plan, report = _solve(data, tmp_path / "teacher", "teacher", "teacher")
    assert len(plan.tables["sections"]) == 3
    assert report.ok, [str(v) for v in report.violations]
    s = plan.tables["sections"]
    assert sorted(zip(s.teacher_id, s.course_id, s.enrollment)) == [("H1", "ALG", 28), ("H1", "ENG", 20),
                                                                    ("H2", "ALG", 25)]
