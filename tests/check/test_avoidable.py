"""DEMAND, a vacancy only when unavoidable (check/avoidable.py): a vacant section a qualified teacher could take as
the plan stands is reported; the same vacancy is left alone where a lock, a full timetable or a homeroom keeps them."""

from __future__ import annotations

from tests.solve.builders import lock


def demand_findings(case) -> list[str]:
    return [v.message for v in case.report(every_module=True).violations if v.rule == "DEMAND"]


def avoidable(section: str, course: str, takers: str) -> str:
    """check/avoidable.py's message: `takers` as it names them, e.g. "H1 (high, school VA1)"."""
    return (f"section {section} of {course} is a vacancy, but {takers} could take it as the plan stands; a vacancy "
            "is allowed only when unavoidable")


def test_a_vacancy_a_teacher_with_room_could_take_is_reported(case):
    """S-ALG left vacant: H1 (math) keeps only S-HALG in P1, so P1 has room for a second math section (A6.1)."""
    case.section("S-ALG")["teacher_id"] = None
    assert demand_findings(case) == [avoidable("S-ALG", "MA-ALG1 (Algebra 1)", "H1 (high, school VA1)")]


def test_a_lock_or_a_full_timetable_makes_the_vacancy_unavoidable(case):
    """Controls: the course forbidden to H1 (LOCK); H1's P1 full with two math sections and P2, P3 kept free by
    locks — without those locks P2 has room."""
    case.section("S-ALG")["teacher_id"] = None
    case.tables["locks"] = [lock("L1", "H1", "forbid", course_id="MA-ALG1")]
    assert demand_findings(case) == []
    case.section("S-HALG")["grades"] = {9: 6}
    case.sections.append(case.sec("S-HALG2", "MA-HALG1", "1", "P1", "H1", {9: 6}))
    case.tables["locks"] = []
    assert demand_findings(case) == [avoidable("S-ALG", "MA-ALG1 (Algebra 1)", "H1 (high, school VA1)")]  # P2
    case.tables["locks"] = [lock("L2", "H1", "forbid", period_id="P2"), lock("L3", "H1", "forbid", period_id="P3")]
    assert demand_findings(case) == []


def test_a_vacant_homeroom_goes_to_an_elementary_teacher_without_one(case):
    """S-E2 vacant and E2 holds no homeroom: E2 could take it (one homeroom per elementary teacher)."""
    case.section("S-E2")["teacher_id"] = None
    assert demand_findings(case) == [avoidable("S-E2", "EL-1 (Grade 1 Homeroom)", "E2 (elementary, school VA1)")]


def test_a_teacher_who_asked_to_move_to_the_vacancys_level_counts_when_none_of_it_can(case):
    """9.0(1): M1 (middle, math 6-12) asked to move to high; with H1 forbidden ALG by a lock, S-ALG would otherwise be
    a vacancy, so M1, with every period free, could take it."""
    case.section("S-ALG")["teacher_id"] = None
    case.tables["schools"][0]["levels"] = "elementary;middle;high"
    case.add_teacher("M1", level="middle", grade_min="6", grade_max="12")
    case.tables["matrix"] = [{"teacher_id": "M1", "rank": 1, "grade": "", "course_id": "", "level": "high"}]
    case.tables["locks"] = [lock("L1", "H1", "forbid", course_id="MA-ALG1")]
    assert demand_findings(case) == [
        avoidable("S-ALG", "MA-ALG1 (Algebra 1)", "M1 (asked to move to high in matrix.csv, 9.0(1))")]
    case.tables["matrix"] = []
    assert demand_findings(case) == []
