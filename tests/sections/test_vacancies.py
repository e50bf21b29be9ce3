"""Why a section is a vacancy (`sections/vacancies.py`), in contract terms."""

from __future__ import annotations

from tests.conftest import tiny_tables, write_tables
from vastaff.io.district import load_district
from vastaff.sections.vacancies import vacancy_reason


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
    assert algebra.rules == ("DEMAND", "A6.1", "A6.3") and "is full (A6.1/A6.2 periods" in algebra.message


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
