"""The generator's `tight` profile (issue "Never slower than a MIP"): one school where stipends (A6.3) and
multi-grade sections (A8.4/A8.5) are forced, its money optimum known by construction ($14,400 in the shipped model)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from vastaff.contract import load_contract
from vastaff.generate import build_district, generate_district, write_district
from vastaff.io.district import load_district
from vastaff.sections.costs import cost_totals, teacher_costs

CONTRACT = load_contract()
ROOT = Path(__file__).resolve().parents[1]
KNOWN = 4 * 1200 + 8 * 2 * 600          # 4 stipend courses, 8 two-grade `year` sections


@pytest.fixture(scope="module")
def tight(tmp_path_factory):
    """A 60-teacher tight district (seed 3): the generated object, its folder and the loaded district."""
    g = build_district(60, 3, CONTRACT, profile="tight")
    folder = write_district(g.tables, tmp_path_factory.mktemp("tight") / "data")
    return g, folder, load_district(folder, CONTRACT)


def tight_courses(d, school: str) -> pd.DataFrame:
    """The tight school's high-school world-language courses with their grade cohorts."""
    c = d.courses[(d.courses.school_id == school) & (d.courses.level == "high")
                  & (d.courses.credential == "world_language")]
    return d.demand[d.demand.course_id.isin(c.course_id)]


def test_known_money_is_the_tight_schools_optimum_in_the_shipped_model(tight):
    g, _, _ = tight
    assert g.known_money == {"VA01": KNOWN} == {"VA01": 14400}
    assert build_district(60, 3, CONTRACT).known_money == {}


def test_tight_is_deterministic_per_seed_and_standard_stays_the_default():
    a = generate_district(40, 5, CONTRACT, profile="tight")
    b = generate_district(40, 5, CONTRACT, profile="tight")
    c = generate_district(40, 6, CONTRACT, profile="tight")
    for name in a:
        pd.testing.assert_frame_equal(a[name], b[name])
    assert not a["demand"].equals(c["demand"])
    standard = generate_district(40, 5, CONTRACT)
    for name, frame in generate_district(40, 5, CONTRACT, profile="standard").items():
        pd.testing.assert_frame_equal(frame, standard[name])
    assert not a["courses"].equals(standard["courses"])


def test_unknown_profile_is_refused():
    with pytest.raises(ValueError, match=r"^profile must be one of standard, tight \(got 'loose'\)$"):
        generate_district(60, 1, profile="loose")


def test_tight_district_loads_with_exact_teacher_count(tight):
    g, _, d = tight
    assert len(d.teachers) == 60 and len(g.tables["teachers"]) == 60


def test_one_consenting_teacher_alone_holds_ten_two_grade_courses(tight):
    g, _, d = tight
    t = d.teachers
    level = t[(t.school_id == "VA01") & (t.level == "high") & (t.role == "classroom")]
    holders = level[level.credentials.map(lambda c: "world_language" in c)]
    assert len(holders) == 1
    w = holders.iloc[0]
    assert w.stipend_consent and w.department == "general" and (w.grade_min, w.grade_max) == (9, 12)
    cohorts = tight_courses(d, "VA01")
    runs = cohorts.groupby("course_id").grade.agg(list)
    assert len(runs) == 10 and all(len(r) == 2 and r[1] == r[0] + 1 for r in runs)
    assert cohorts.students.between(4, 12).all()
    semesters = d.courses.set_index("course_id").semester[runs.index]
    assert set(semesters) == {"year"}


def test_witness_plan_costs_exactly_the_known_optimum(tight):
    """The witness's own sections (a multi-grade section = rows sharing teacher, course, semester and period)
    costed by the plan's cost code: 4 stipend courses and 8 two-grade year sections."""
    g, _, d = tight
    w = g.witness.assign(section_id=lambda x: x.groupby(["teacher_id", "course_id", "semester", "period_id"])
                         .ngroup().map("S{}".format))
    sections = w.drop_duplicates("section_id")[["section_id", "teacher_id", "course_id", "semester"]]
    costs = teacher_costs(d, CONTRACT, sections, w[["section_id", "grade", "students"]])
    assert cost_totals(costs) == {"stipend": 4800.0, "multigrade": 9600.0, "xtime": 0.0, "total": 14400.0}
    per_period = w.drop_duplicates("section_id").groupby(["teacher_id", "period_id"]).size()
    assert per_period.max() <= CONTRACT.max_sections_per_period


def vastaff(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "vastaff", *args], capture_output=True, text=True, cwd=ROOT)


def test_small_tight_district_solves_to_the_known_money_and_checks_clean(tmp_path):
    """20 teachers (one school): vastaff finds 0 vacancies and exactly the known money; the checker agrees."""
    g = build_district(20, 1, CONTRACT, profile="tight")
    data = write_district(g.tables, tmp_path / "data")
    solved = vastaff("solve", str(data), "--out", str(tmp_path / "plan"), "--time-limit", "5")
    assert solved.returncode == 0, solved.stderr
    run = json.loads((tmp_path / "plan" / "run.json").read_text())
    assert run["vacancies"]["count"] == 0
    assert run["costs"] == {"stipend": 4800.0, "multigrade": 9600.0, "xtime": 0.0, "total": float(KNOWN)}
    assert g.known_money == {"VA01": KNOWN}
    checked = vastaff("check", str(data), str(tmp_path / "plan"))
    assert checked.returncode == 0, checked.stdout[-2000:] + checked.stderr[-2000:]


def test_the_vacancies_search_hands_money_to_its_own_proof(tight):
    """Issue 18: the combined `W * vacancies + money` search stops once vacancies reach their floor, and money is
    proven by a search of its own — instead of running to its budget on a bound presolve lost (15 s, then 0.02 s)."""
    from vastaff.cpsat.solver import SolveOptions, solve_school
    from vastaff.sections.greedy import greedy_school
    from vastaff.sections.problem import school_problems

    _, _, district = tight
    p = next(p for p in school_problems(district, CONTRACT) if p.school_id == "VA01")
    budget = 30.0
    solution = solve_school(p, CONTRACT, SolveOptions(time_limit=budget), greedy_school(p, CONTRACT))
    vacancies, money = solution.stage("vacancies"), solution.stage("money")
    assert (vacancies.status, vacancies.value) == ("OPTIMAL", 0)
    assert (money.status, money.value) == ("OPTIMAL", KNOWN * 100)  # cents
    assert vacancies.work < budget * 2 / 3 / 10  # stopped long before its share of the deterministic budget
