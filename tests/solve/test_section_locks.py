"""LOCK on the section model and the timetable (cpsat/locks.py, cpsat/timetable_locks.py): course and period locks,
required and forbidden, each solved, written and checked by the independent checker; conflicts exit as INFEASIBLE
with LOCK and the rule in the way."""

from __future__ import annotations

from tests.solve.builders import course, demand, secondary, solve_folder, teacher

LOCK_COLUMNS = ["lock_id", "teacher_id", "mode", "course_id", "semester", "period_id", "site_id", "room_id",
                "meeting_id", "reason"]


def lock(lock_id: str, teacher_id: str, mode: str, **fields) -> dict:
    return {c: "" for c in LOCK_COLUMNS} | {"lock_id": lock_id, "teacher_id": teacher_id, "mode": mode} | fields


def two_math_teachers(tmp_path, locks: list[dict], students: int = 25):
    """H1 and H2 (math), 3 periods, and `students` algebra students (25: one section at the A8.1 mean)."""
    data = secondary(tmp_path / "d", [teacher("H1", "math"), teacher("H2", "math")], [course("ALG", "math")],
                     [demand("ALG", 9, students)], locks=locks)
    return solve_folder(data, tmp_path / "plan")


def taught_by(plan) -> set[str]:
    s = plan.tables["sections"]
    return set(s.teacher_id.dropna())


def periods_of(plan, teacher_id: str) -> set[str]:
    s = plan.tables["sections"]
    return set(s[s.teacher_id == teacher_id].period_id)


def test_a_required_course_goes_to_the_locked_teacher(tmp_path):
    free, _ = two_math_teachers(tmp_path / "a", [])
    for who in ("H1", "H2"):
        plan, report = two_math_teachers(tmp_path / who, [lock("L1", who, "require", course_id="ALG")])
        assert taught_by(plan) == {who} and report.ok
    assert len(taught_by(free)) == 1


def test_a_forbidden_course_goes_to_the_other_teacher(tmp_path):
    for who, other in (("H1", "H2"), ("H2", "H1")):
        plan, report = two_math_teachers(tmp_path / who, [lock("L1", who, "forbid", course_id="ALG")])
        assert taught_by(plan) == {other} and report.ok


def test_a_lock_the_plan_already_holds_changes_nothing(tmp_path):
    free, _ = two_math_teachers(tmp_path / "a", [])
    (who,) = taught_by(free)
    locked, report = two_math_teachers(tmp_path / "b", [lock("L1", who, "require", course_id="ALG")])
    assert locked.tables["sections"].equals(free.tables["sections"]) and report.ok
    assert locked.run["objective_stages"] == free.run["objective_stages"]


def test_a_required_period_and_a_period_kept_free(tmp_path):
    plan, report = two_math_teachers(tmp_path / "a", [lock("L1", "H1", "require", course_id="ALG", period_id="P3")])
    assert periods_of(plan, "H1") == {"P3"} and report.ok
    plan, report = two_math_teachers(tmp_path / "b", [lock("L1", "H1", "require", course_id="ALG"),
                                                      lock("L2", "H1", "forbid", period_id="P1"),
                                                      lock("L3", "H1", "forbid", period_id="P2")])
    assert periods_of(plan, "H1") == {"P3"} and report.ok


def test_a_forbidden_course_period(tmp_path):
    """50 students: 2 algebra sections; H1 required to teach them but never in P1 or P2: both in P3 (A6.1 allows 2)."""
    plan, report = two_math_teachers(tmp_path, [lock("L1", "H1", "require", course_id="ALG"),
                                                lock("L2", "H1", "forbid", course_id="ALG", period_id="P1"),
                                                lock("L3", "H1", "forbid", course_id="ALG", period_id="P2"),
                                                lock("L4", "H2", "forbid", course_id="ALG")], students=50)
    assert periods_of(plan, "H1") == {"P3"} and report.ok
    assert plan.run["periods"]["doubled"] == 1


def test_a_required_course_the_teacher_may_not_teach_is_a_lock_and_cred_conflict(tmp_path):
    data = secondary(tmp_path / "d", [teacher("H1", "math"), teacher("H2", "english")],
                     [course("ALG", "math"), course("ENG", "english")], [demand("ALG", 9, 30), demand("ENG", 9, 30)],
                     locks=[lock("L7", "H2", "require", course_id="ALG")])
    plan, _ = solve_folder(data, tmp_path / "plan")
    assert plan.run["status"] == "INFEASIBLE"
    (conflict,) = plan.run["conflicts"]
    assert conflict["rules"] == ["LOCK", "CRED"]
    assert conflict["message"] == ("lock L7 requires teacher H2 to teach ALG, which CRED does not allow them "
                                   "(credential, level or grade range)")
    assert {"file": "locks.csv", "key": "L7"} in conflict["rows"]


def test_period_locks_that_contradict_each_other_are_a_conflict(tmp_path):
    plan, _ = two_math_teachers(tmp_path, [lock("L1", "H1", "require", course_id="ALG", period_id="P1"),
                                           lock("L2", "H1", "forbid", period_id="P1")])
    assert plan.run["status"] == "INFEASIBLE"
    (conflict,) = plan.run["conflicts"]
    assert conflict["rules"][0] == "LOCK"
    assert {r["key"] for r in conflict["rows"] if r["file"] == "locks.csv"} >= {"L1", "L2"}
    assert conflict["message"].startswith("the period locks L1, L2 of school VA1 (teacher H1) leave")


def test_every_teacher_locked_out_leaves_a_vacancy_that_names_the_locks(tmp_path):
    plan, report = two_math_teachers(tmp_path, [lock("L1", "H1", "forbid", course_id="ALG"),
                                                lock("L2", "H2", "forbid", course_id="ALG")])
    (item,) = plan.run["vacancies"]["items"]
    assert item["rules"] == ["DEMAND", "LOCK"] and report.ok
    assert item["reason"] == ("VA1 (high) course ALG grade 9: every eligible teacher (H1, H2) is locked out of the "
                              "course (locks.csv L1, L2)")
