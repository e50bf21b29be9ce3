"""Properties of A10 / A10.1 / A11 on small generated districts (hypothesis), checked against the contract.

1. hand-drawn districts (two schools, random credentials, grade ranges, dates and positions): seniority order of
   retention, moves only down / credentialed / within vacancies, nobody passed over, as many moves as any seating
   allows (brute-force matching), reporting sites;
2. districts of `vastaff.generate` with random positions, checked by the independent checker `vastaff.check`.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from displace_fixtures import CONTRACT, course, load, site, teacher
from vastaff.displace import displace
from vastaff.displace.seniority import LEVEL_ORDER

CREDENTIALS = ["math", "english", "multiple_subject", "special_education"]
SCHOOLS = {"VA1": ("elementary", "middle", "high"), "VA2": ("middle", "high")}
COURSES = [course(f"{s}-{lv}-{cred}", lv, cred, school=s)
           for s, levels in SCHOOLS.items() for lv in levels
           for cred in {"elementary": ["multiple_subject", "special_education"], "middle": ["math", "special_education"],
                        "high": ["math", "english", "special_education"]}[lv]]
GRADE = {"elementary": 1, "middle": 7, "high": 9}
FAST = settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def districts(draw) -> dict[str, list[dict]]:
    """Two schools, 3 to 16 teachers on 6 possible dates (many equal dates, unique tiebreaks), random positions."""
    n = draw(st.integers(3, 16))
    teachers = []
    for i in range(n):
        school = draw(st.sampled_from(sorted(SCHOOLS)))
        level = draw(st.sampled_from(SCHOOLS[school]))
        creds = draw(st.lists(st.sampled_from(CREDENTIALS), min_size=1, max_size=3, unique=True))
        lo = draw(st.integers(-2, 12))
        hi = draw(st.integers(lo, 12))
        teachers.append(teacher(
            f"T{i:02d}", level, f"20{10 + draw(st.integers(0, 5))}-08-15", tiebreak=i, credentials=";".join(creds),
            grades=(str(lo), str(hi)), school=school, home=draw(st.sampled_from(["R1", "R2", "R3"])),
            department=draw(st.sampled_from(["general", "general", "special_education"]))))
    positions = []
    for school, levels in SCHOOLS.items():
        for level in levels:
            for department in ("general", "special_education"):
                if draw(st.booleans()):
                    positions.append({"school_id": school, "level": level, "department": department,
                                      "positions": draw(st.integers(0, 5))})
    return {
        "regions": [{"region_id": r, "name": r, "x_km": x, "y_km": 0} for r, x in (("R1", 0), ("R2", 10), ("R3", 25))],
        "schools": [{"school_id": s, "name": s, "region_id": "R1" if s == "VA1" else "R3", "levels": ";".join(lv)}
                    for s, lv in SCHOOLS.items()],
        "sites": [site("S1", "R1", True), site("S2", "R2", draw(st.booleans())), site("S3", "R3", False)],
        "rooms": [{"room_id": "S1-1", "site_id": "S1", "kind": "classroom", "capacity": 1, "partitions": "false"}],
        "teachers": teachers,
        "courses": COURSES,
        "demand": [{"school_id": c["school_id"], "course_id": c["course_id"], "grade": GRADE[c["level"]], "students": 5}
                   for c in COURSES],
        "periods": [{"school_id": s, "period_id": "P1", "kind": "academic", "order": 1} for s in SCHOOLS],
        "positions": positions,
    }


def eligible_pairs(district) -> set[tuple[str, str]]:
    """(teacher_id, lower level) the teacher may teach at their school, computed directly from the rows."""
    offered = {(c.school_id, c.level, c.credential) for c in district.courses.itertuples()}
    pairs = set()
    for t in district.teachers.itertuples():
        for level in LEVEL_ORDER:
            lo, hi = CONTRACT.level_grades(level)
            if (LEVEL_ORDER[level] < LEVEL_ORDER[t.level] and t.grade_min <= hi and t.grade_max >= lo
                    and any((t.school_id, level, cred) in offered for cred in t.credentials)):
                pairs.add((t.teacher_id, level))
    return pairs


def max_seating(people: list[str], allowed: dict[str, set[str]], seats: dict[str, int]) -> int:
    """Largest number of `people` seated on `seats` (level -> count) within `allowed` levels (augmenting paths)."""
    slots = [level for level, n in seats.items() for _ in range(n)]
    owner: dict[int, str] = {}

    def seat(person, seen) -> bool:
        for i, level in enumerate(slots):
            if level in allowed[person] and i not in seen:
                seen.add(i)
                if i not in owner or seat(owner[i], seen):
                    owner[i] = person
                    return True
        return False

    return sum(seat(p, set()) for p in people)


def seniority_key(district) -> dict[str, tuple]:
    return {t.teacher_id: (t.seniority_date, t.seniority_tiebreak) for t in district.teachers.itertuples()}


def check_properties(district, result) -> None:
    frame = result.frame.merge(district.teachers[["teacher_id", "seniority_date", "seniority_tiebreak", "level"]],
                               on="teacher_id")
    key = seniority_key(district)
    assert sorted(frame.teacher_id) == sorted(district.teachers.teacher_id)

    listed = {(p.school_id, p.level, p.department): p.positions for p in district.positions.itertuples()}
    retained_in: dict[tuple, int] = {}
    for group, rows in frame.groupby(["school_id", "level", "department"]):
        rows = rows.sort_values(["seniority_date", "seniority_tiebreak"])
        assert rows.seniority_rank.tolist() == list(range(1, len(rows) + 1))
        kept = rows[rows.outcome == "retained"]
        gone = rows[rows.outcome != "retained"]
        assert len(kept) == min(listed.get(group, len(rows)), len(rows))
        if len(kept) and len(gone):  # no retained teacher less senior than one who is not
            assert max(key[t] for t in kept.teacher_id) < min(key[t] for t in gone.teacher_id)
        retained_in[group] = len(kept)

    vacancies = {g: max(0, n - retained_in.get(g, 0)) for g, n in listed.items()}
    pairs = eligible_pairs(district)
    moved = frame[frame.outcome == "moved_level"]
    for m in moved.itertuples():
        assert LEVEL_ORDER[m.to_level] < LEVEL_ORDER[m.from_level]
        assert (m.teacher_id, m.to_level) in pairs
    into = moved.groupby(["school_id", "to_level", "department"]).size()
    for group, n in into.items():
        assert n <= vacancies.get(group, 0)

    stuck = frame[frame.outcome == "displaced"]
    for s in stuck.itertuples():
        for level in LEVEL_ORDER:
            if (s.teacher_id, level) not in pairs:
                continue
            group = (s.school_id, level, s.department)
            assert into.get(group, 0) == vacancies.get(group, 0), f"{s.teacher_id} left out of an open {group}"
            juniors = moved[(moved.school_id == s.school_id) & (moved.department == s.department)
                            & (moved.to_level == level)]
            assert all(key[j] < key[s.teacher_id] for j in juniors.teacher_id), f"{s.teacher_id} passed over"

    surplus = frame[frame.outcome != "retained"]
    for (school, department), rows in surplus.groupby(["school_id", "department"]):
        seats = {lv: vacancies.get((school, lv, department), 0) for lv in LEVEL_ORDER}
        allowed = {t: {lv for lv in LEVEL_ORDER if (t, lv) in pairs} for t in rows.teacher_id}
        assert (rows.outcome == "moved_level").sum() == max_seating(list(rows.teacher_id), allowed, seats)

    assert set(stuck.site_id) <= set(district.sites.loc[district.sites.priority_site, "site_id"])
    assert frame.loc[frame.outcome != "displaced", "site_id"].isna().all()


@FAST
@given(districts())
def test_displacement_follows_seniority_credentials_and_vacancies(tables):
    with tempfile.TemporaryDirectory() as tmp:
        district = load(Path(tmp), tables)
        check_properties(district, displace(district, CONTRACT))


def _checker():
    """The independent checker's A10/A10.1/A11 checks."""
    from vastaff.check.displacement import CHECKS
    return CHECKS


@settings(max_examples=2, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000), share=st.floats(0.3, 1.0), extra=st.integers(0, 4))
def test_generated_districts_pass_the_independent_checker(seed, share, extra):
    from vastaff.check.core import CheckContext
    from vastaff.generate import generate_district, write_district
    from vastaff.io.plan import load_plan, write_plan
    from vastaff.displace import run_record

    checks = _checker()
    tables = generate_district(40, seed=seed)
    pos = tables["positions"].copy()
    high = pos.level.eq("high")
    pos.loc[high, "positions"] = (pos.loc[high, "positions"] * share).astype(int)  # cut high school
    pos.loc[~high, "positions"] += extra  # open vacancies below
    tables["positions"] = pos
    with tempfile.TemporaryDirectory() as tmp:
        data = write_district(tables, Path(tmp) / "data")
        district = _load(data)
        result = displace(district, CONTRACT)
        check_properties(district, result)
        plan = write_plan(Path(tmp) / "plan", {"displacement": result.frame}, run_record(result, district, CONTRACT))
        ctx = CheckContext(district, load_plan(plan), CONTRACT)
        assert [v for check in checks for v in check(ctx)] == []


def _load(path):
    from vastaff.io.district import load_district

    return load_district(path, CONTRACT)


def test_checker_twin_agrees_on_the_hand_solved_district(tmp_path):
    checks = _checker()
    from vastaff.check.core import CheckContext
    from vastaff.io.plan import load_plan, write_plan
    from vastaff.displace import run_record
    from displace_fixtures import three_levels

    district = load(tmp_path, three_levels())
    result = displace(district, CONTRACT)
    plan = write_plan(tmp_path / "plan", {"displacement": result.frame}, run_record(result, district, CONTRACT))
    ctx = CheckContext(district, load_plan(plan), CONTRACT)
    assert [v for check in checks for v in check(ctx)] == []
    # and the checker does catch a wrong answer: swap the outcomes of H3 (displaced) and H4 (moved)
    wrong = result.frame.copy()
    wrong.loc[wrong.teacher_id == "H3", ["outcome", "to_level", "site_id", "article"]] = ["moved_level", "middle", None, "10.0(1)"]
    wrong.loc[wrong.teacher_id == "H4", ["outcome", "to_level", "site_id", "article"]] = ["displaced", None, "S1", "11.0"]
    plan = write_plan(tmp_path / "wrong", {"displacement": wrong}, {})
    rules = {v.rule for check in checks for v in check(CheckContext(district, load_plan(plan), CONTRACT))}
    assert "A10.1" in rules
