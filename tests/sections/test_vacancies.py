"""Why a section is a vacancy (`sections/vacancies.py`), in contract terms."""

from __future__ import annotations

import pandas as pd

from tests.conftest import tiny_tables, write_tables
from vastaff.io.district import load_district
from vastaff.sections.vacancies import at_course_limit, courses_by_teacher, vacancy_reason


def _course(district, course_id: str):
    return next(c for c in district.courses.itertuples(index=False) if c.course_id == course_id)


def test_an_elementary_homeroom_nobody_can_take_is_explained_by_one_homeroom_each(tmp_path):
    """Every qualified elementary teacher holds their one homeroom: that is what keeps them, not A6.1/A6.3 periods."""
    district = load_district(write_tables(tmp_path / "d", tiny_tables()))
    homeroom = _course(district, "EL-1")
    found = vacancy_reason(district, homeroom, (1,), ["E1", "E2"])
    assert found.rules == ("DEMAND", "STRUCTURE")
    assert found.message == ("VA1 (elementary) course EL-1 grade 1: every eligible teacher (E1, E2) holds a homeroom "
                             "already (one per elementary classroom teacher)")
    algebra = vacancy_reason(district, _course(district, "MA-ALG1"), (9,), ["H1"])  # a secondary course: periods
    assert algebra.rules == ("DEMAND", "A6.1")
    assert algebra.message == ("VA1 (high) course MA-ALG1 grade 9: every eligible teacher is full: H1 has no period "
                               "left where it fits (A6.1/A6.2)")


def test_a_secondary_vacancy_names_the_limit_that_keeps_each_teacher(tmp_path):
    """A6.3 only for a teacher the plan gives the course limit of other courses without stipend consent, in a semester
    the course meets in; the others are kept by their periods (A6.1). A reviewer found 'periods or A6.3 course limit'
    on a vacancy whose one teacher taught 3 courses."""
    district = load_district(write_tables(tmp_path / "d", tiny_tables()))
    rows = [("S1", "C1", "1", "H1"), ("S2", "C2", "1", "H1"), ("S3", "C3", "year", "H1"), ("S4", "C4", "2", "H2"),
            ("S5", "C5", "2", "H2")]
    sections = pd.DataFrame(rows, columns=["section_id", "course_id", "semester", "teacher_id"])
    courses_of = courses_by_teacher(sections)
    assert courses_of == {"H1": {"1": {"C1", "C2", "C3"}, "2": {"C3"}}, "H2": {"1": set(), "2": {"C4", "C5"}}}
    nobody = {"H1": False, "H2": False}
    assert at_course_limit(courses_of, nobody, "MA-ALG1", "1", ["H1", "H2"], 3) == {"H1": ("1", 3)}
    assert at_course_limit(courses_of, nobody, "MA-ALG1", "year", ["H1", "H2"], 3) == {"H1": ("1", 3)}
    assert at_course_limit(courses_of, nobody, "MA-ALG1", "year", ["H1", "H2"], 2) == {"H1": ("1", 3), "H2": ("2", 2)}
    assert at_course_limit(courses_of, nobody, "C1", "1", ["H1"], 3) == {}  # C1 is not another course: 2 others
    assert at_course_limit(courses_of, {"H2": True}, "MA-ALG1", "2", ["H1", "H2"], 2) == {}  # H1: 1 in semester 2
    both = vacancy_reason(district, _course(district, "MA-ALG1"), (9,), ["H1", "H2"], {"H1": ("1", 8)})
    assert both.rules == ("DEMAND", "A6.1", "A6.3")
    assert both.message == ("VA1 (high) course MA-ALG1 grade 9: every eligible teacher is full: H2 has no period left "
                            "where it fits (A6.1/A6.2); H1 already teaches 8 other courses in semester 1, without "
                            "stipend consent (A6.3)")
    alone = vacancy_reason(district, _course(district, "MA-ALG1"), (9,), ["H1"], {"H1": ("1", 8)})
    assert alone.rules == ("DEMAND", "A6.3")


def test_an_elementary_homeroom_a_lock_keeps_a_teacher_from_names_the_lock(tmp_path):
    """A lock forbidding E1 every homeroom (period `homeroom`) is why E1 does not take it: DEMAND + LOCK with the
    lock's row, and E2's one homeroom (STRUCTURE) for the rest; E2 locked out as well leaves LOCK alone."""
    tables = tiny_tables()
    lock = {"teacher_id": "E1", "mode": "forbid", "course_id": "", "semester": "", "period_id": "homeroom",
            "site_id": "", "room_id": "", "meeting_id": "", "reason": "release time"}
    tables["locks"] = [{"lock_id": "L1", **lock}]
    district = load_district(write_tables(tmp_path / "d", tables))
    found = vacancy_reason(district, _course(district, "EL-1"), (1,), ["E1", "E2"])
    assert found.rules == ("DEMAND", "LOCK", "STRUCTURE")
    assert found.message == ("VA1 (elementary) course EL-1 grade 1: E1 is kept from homerooms (locks.csv L1); the "
                             "others (E2) hold a homeroom already")
    assert ("locks.csv", "L1") in [(r.file, r.key) for r in found.rows]
    tables["locks"].append({"lock_id": "L2", **lock, "teacher_id": "E2"})
    district = load_district(write_tables(tmp_path / "d2", tables))
    found = vacancy_reason(district, _course(district, "EL-1"), (1,), ["E1", "E2"])
    assert (found.rules, found.message) == (("DEMAND", "LOCK"), "VA1 (elementary) course EL-1 grade 1: E1, E2 are kept "
                                                               "from homerooms (locks.csv L1, L2)")


def test_a_homeroom_a_lock_requires_of_the_other_teacher_names_that_lock_too(tmp_path):
    """E1 kept from homerooms by L1, E2 held in EL-1 by L2: the reason named L1 alone ("the others (E2) hold a homeroom
    already"), and L2 only once L1 was removed (an A9.1 fuzz): both now, and L2 alone without L1."""
    tables = tiny_tables()
    blank = {"course_id": "", "semester": "", "period_id": "", "site_id": "", "room_id": "", "meeting_id": "",
             "reason": ""}
    tables["locks"] = [{**blank, "lock_id": "L1", "teacher_id": "E1", "mode": "forbid", "period_id": "homeroom"},
                       {**blank, "lock_id": "L2", "teacher_id": "E2", "mode": "require", "course_id": "EL-1"}]
    district = load_district(write_tables(tmp_path / "d", tables))
    found = vacancy_reason(district, _course(district, "EL-1"), (1,), ["E1", "E2"])
    assert found.message == ("VA1 (elementary) course EL-1 grade 1: E1 is kept from homerooms (locks.csv L1); the "
                             "others (E2) hold a homeroom already (E2 by locks.csv L2)")
    assert [(r.file, r.key) for r in found.rows if r.file == "locks.csv"] == [("locks.csv", "L1"), ("locks.csv", "L2")]
    tables["locks"] = tables["locks"][1:]
    district = load_district(write_tables(tmp_path / "d2", tables))
    found = vacancy_reason(district, _course(district, "EL-1"), (1,), ["E2"])
    assert (found.rules, found.message) == (("DEMAND", "STRUCTURE", "LOCK"), "VA1 (elementary) course EL-1 grade 1: "
                                            "every eligible teacher (E2) holds a homeroom already (one per elementary "
                                            "classroom teacher) (E2 by locks.csv L2)")


def test_vacancies_of_one_course_and_grades_share_one_reason_worked_out_once(tmp_path, monkeypatch):
    """An audit's district (demand times 1,000, within its bounds) left 159,000 vacancies whose reasons, one pandas
    query each, took minutes past --time-limit 2: now one reason per course and grades."""
    import vastaff.sections.vacancies as vacancies

    district = load_district(write_tables(tmp_path / "d", tiny_tables()))
    sections = pd.DataFrame([(f"S{i}", "MA-ALG1", "1", None) for i in range(500)] + [("E", "EL-1", "year", None)],
                            columns=["section_id", "course_id", "semester", "teacher_id"])
    grades = pd.DataFrame([(f"S{i}", 9, 30) for i in range(500)] + [("E", 1, 20)],
                          columns=["section_id", "grade", "students"])
    calls = []
    monkeypatch.setattr(vacancies, "vacancy_reason", lambda *a: calls.append(a[1].course_id) or vacancy_reason(*a))
    eligible = {("MA-ALG1", (9,)): ["H1"], ("EL-1", (1,)): ["E1"]}
    items, why = vacancies.vacancy_items(district, sections, grades, eligible, 6)
    assert sorted(calls) == ["EL-1", "MA-ALG1"] and list(why) == [i["section_id"] for i in items]
    assert len(items) == 501 and {i["reason"] for i in items[:500]} == {
        "VA1 (high) course MA-ALG1 grade 9: every eligible teacher is full: H1 has no period left where it fits "
        "(A6.1/A6.2)"}
