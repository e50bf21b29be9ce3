"""A9.1 end to end: matrix.csv solved, written, reloaded and checked by the independent checker; run.json `matrix`."""

from __future__ import annotations

from collections import Counter

from tests.solve.builders import course, demand, secondary, solve_folder, teacher

SENIOR, JUNIOR = "2001-01-10", "2012-08-15"


def choice(tid: str, rank: int, grade: str = "", course_id: str = "", level: str = "") -> dict:
    return {"teacher_id": tid, "rank": rank, "grade": grade, "course_id": course_id, "level": level}


def mixed_school(tmp_path, matrix: list[dict]):
    """VA1: grade-1 and grade-2 homerooms (E1 senior, E2 junior) and two math courses of one section each (H1 senior,
    H2 junior, one period: one section each)."""
    el = [teacher(t, "multiple_subject", level="elementary", grade_min="K", grade_max="5", seniority_date=d)
          for t, d in (("E1", SENIOR), ("E2", JUNIOR))]
    hi = [teacher(t, "math", seniority_date=d) for t, d in (("H1", SENIOR), ("H2", JUNIOR))]
    courses = [course(f"EL-{g}", "elementary", "multiple_subject", level="elementary", semester="year")
               for g in (1, 2)] + [course("ALG", "math"), course("GEO", "math")]
    demands = [demand("EL-1", 1, 20), demand("EL-2", 2, 20), demand("ALG", 9, 20), demand("GEO", 9, 20)]
    data = secondary(tmp_path / "d", el + hi, courses, demands, periods=1, matrix=matrix)
    return solve_folder(data, tmp_path / "plan")


def held(plan) -> list[tuple[str, str]]:
    s = plan.tables["sections"].dropna(subset=["teacher_id"])
    return sorted(zip(s.teacher_id, s.course_id))


# E1 ranks grade 2 first (the clerk's fill gives E1 grade 1); both math teachers rank GEO first (H1 is senior)
CHOICES = [choice("E1", 1, grade="2"), choice("E1", 2, grade="1"), choice("E2", 1, grade="2"),
           choice("H1", 1, course_id="GEO"), choice("H1", 2, course_id="ALG"),
           choice("H2", 1, course_id="GEO"), choice("H2", 2, course_id="ALG")]


def test_the_plan_grants_choices_by_seniority_and_says_so(tmp_path):
    plan, report = mixed_school(tmp_path, CHOICES)
    assert plan.feasible and report.ok, report
    assert held(plan) == [("E1", "EL-2"), ("E2", "EL-1"), ("H1", "GEO"), ("H2", "ALG")]
    assert plan.run["matrix"] == {"VA1": {
        "elementary": {"teachers_with_choices": 2, "first_choice": 1, "within_top3": 1, "none_granted": 1},
        "high": {"teachers_with_choices": 2, "first_choice": 1, "within_top3": 2, "none_granted": 0}}}
    assert list(plan.run["objective_stages"])[-3:] == ["matrix", "preferences", "seniority"]


def test_without_matrix_csv_the_block_is_null(tmp_path):
    plan, report = mixed_school(tmp_path, [])
    assert plan.feasible and report.ok
    assert plan.run["matrix"] is None and "matrix" not in plan.run["objective_stages"]


def algebra_school(tmp_path, students: int, *, h2: bool = True, **extra):
    """VA1 with a middle and a high school: ALG (`students` grade-9) and EN (20); M1 (middle, math 6-9) asks to move
    to high; H1 (high, English); H2 (high, math, junior) unless `h2` is False. Solved and checked."""
    staff = [teacher("M1", "math", level="middle", grade_min="6", grade_max="9"), teacher("H1", "english")]
    staff += [teacher("H2", "math", seniority_date=JUNIOR)] if h2 else []
    data = secondary(tmp_path / "d", staff, [course("ALG", "math"), course("EN", "english")],
                     [demand("ALG", 9, students), demand("EN", 9, 20)], matrix=[choice("M1", 1, level="high")],
                     **extra)
    (data / "schools.csv").write_text((data / "schools.csv").read_text().replace("elementary;high", "middle;high"))
    return data, *solve_folder(data, tmp_path / "plan")


def test_a_level_move_is_solved_and_checked(tmp_path):
    """Middle-school M1 (math, grades 6-9) asked to move to high: nobody of the high school may teach ALG."""
    _, plan, report = algebra_school(tmp_path, 20, h2=False)
    assert held(plan) == [("H1", "EN"), ("M1", "ALG")]
    assert plan.run["matrix"] == {"VA1": {
        "middle": {"teachers_with_choices": 1, "first_choice": 1, "within_top3": 1, "none_granted": 0}}}
    assert report.ok, [v.message for v in report.violations]


def test_a_level_move_takes_the_sections_a_full_level_leaves_vacant(tmp_path):
    """300 ALG students need 12 sections; H2, the only high-school math teacher, holds 6 in 3 periods and has no
    period for another: the other 6 would be vacant, so M1's asked-for move takes them (9.0(1)), and the checker finds
    no vacancy a teacher could take (it named M1 for each of the 3 vacancies the plan used to leave)."""
    data, plan, report = algebra_school(tmp_path, 300)
    assert plan.run["vacancies"]["count"] == 0 and plan.run["status"] == "OPTIMAL"
    assert Counter(held(plan)) == {("H2", "ALG"): 6, ("M1", "ALG"): 6, ("H1", "EN"): 1}
    assert report.ok, [v.message for v in report.violations]
    clerk, report = solve_folder(data, tmp_path / "greedy", method="greedy")  # a clerk gives them to M1 as well
    assert clerk.run["vacancies"]["count"] == 0 and report.ok, [v.message for v in report.violations]


def test_a_vacancy_left_when_the_mover_is_full_too_names_both(tmp_path):
    """450 ALG students: H2 and M1 (moved) full, a section stays vacant; its reason names both, not H2 alone."""
    _, plan, report = algebra_school(tmp_path, 450)
    reasons = {v["reason"] for v in plan.run["vacancies"]["items"]}
    assert reasons == {"VA1 (high) course ALG grade 9: every eligible teacher is full: H2, M1 have no period left "
                       "where it fits (A6.1/A6.2)"} and report.ok, [v.message for v in report.violations]


def test_a_level_move_takes_the_course_the_a6_3_limit_keeps_its_level_from(tmp_path):
    """Nine small math courses, H2 the only high-school math teacher, no stipend consent: H2 may teach 8 (A6.3) with
    periods to spare; the ninth would be a vacancy, so M1's asked-for move takes it (the checker named M1 for it)."""
    staff = [teacher("M1", "math", level="middle", grade_min="6", grade_max="9"), teacher("H1", "english"),
             teacher("H2", "math", seniority_date=JUNIOR)]
    courses = [course(f"MA{i}", "math") for i in range(1, 10)] + [course("EN", "english")]
    demands = [demand(f"MA{i}", 9, 10) for i in range(1, 10)] + [demand("EN", 9, 20)]
    data = secondary(tmp_path / "d", staff, courses, demands, periods=6, matrix=[choice("M1", 1, level="high")])
    (data / "schools.csv").write_text((data / "schools.csv").read_text().replace("elementary;high", "middle;high"))
    plan, report = solve_folder(data, tmp_path / "plan")
    assert plan.run["vacancies"]["count"] == 0 and report.ok, [v.message for v in report.violations]
    assert Counter(t for t, _ in held(plan)) == {"H2": 8, "M1": 1, "H1": 1}


def test_a_level_move_fills_a_course_a_lock_keeps_its_own_level_out_of(tmp_path):
    """H2 (high, math) may teach ALG but a lock forbids it: ALG would be a vacancy, so M1's asked-for move takes it,
    and the checker agrees that no high-school teacher could (9.0(1))."""
    locks = [{"lock_id": "L1", "teacher_id": "H2", "mode": "forbid", "course_id": "ALG", "semester": "",
              "period_id": "", "site_id": "", "room_id": "", "meeting_id": "", "reason": "chair's release"}]
    _, plan, report = algebra_school(tmp_path, 20, locks=locks)
    assert held(plan) == [("H1", "EN"), ("M1", "ALG")] and plan.run["vacancies"]["count"] == 0
    assert report.ok, [v.message for v in report.violations]


def test_the_blocking_pair_rule_holds_where_it_costs_x_time(tmp_path):
    """E1 (senior) taught grade 1 last night, E2 grade 2; E1 ranks grade 2 first. Each keeping their homeroom costs
    $0, but E2 holding grade 2 blocks E1 (A9.1): they swap, and each owes X-time for a new course (A12, 2 x $720).
    The stages before the matrix solve without the rule first ($0); the swap costs money, so the school is solved
    again with the rule throughout — $1,440, proven."""
    el = [teacher(t, "multiple_subject", level="elementary", grade_min="K", grade_max="5", seniority_date=d)
          for t, d in (("E1", SENIOR), ("E2", JUNIOR))]
    courses = [course(f"EL-{g}", "elementary", "multiple_subject", level="elementary", semester="year")
               for g in (1, 2)]
    data = secondary(tmp_path / "d", el, courses, [demand("EL-1", 1, 20), demand("EL-2", 2, 20)],
                     matrix=[choice("E1", 1, grade="2"), choice("E2", 1, grade="2")])
    (data / "previous").mkdir()
    (data / "previous" / "sections.csv").write_text(
        "section_id,school_id,course_id,semester,period_id,teacher_id,enrollment\n"
        "EL-1-01,VA1,EL-1,year,homeroom,E1,20\nEL-2-01,VA1,EL-2,year,homeroom,E2,20\n")
    plan, report = solve_folder(data, tmp_path / "plan")
    assert held(plan) == [("E1", "EL-2"), ("E2", "EL-1")]
    assert plan.run["costs"]["xtime"] == 1440.0
    assert plan.run["schools"]["VA1"]["stages"]["money"] == {"status": "OPTIMAL", "value": 1440.0, "bound": 1440.0}
    assert report.ok, [v.message for v in report.violations]


def homerooms_and_a_mover(tmp_path, elementary: int):
    """Grades 1-3 need a homeroom each (20 students); `elementary` teachers may take any; high-school H9 (multiple
    subject, K-12) asks to move to elementary (9.0(1))."""
    el = [teacher(f"E{i}", "multiple_subject", level="elementary", grade_min="K", grade_max="5")
          for i in range(1, elementary + 1)]
    mover = teacher("H9", "multiple_subject", grade_min="K", grade_max="12")
    courses = [course(f"EL-{g}", "elementary", "multiple_subject", level="elementary", semester="year")
               for g in (1, 2, 3)]
    data = secondary(tmp_path / f"d{elementary}", [*el, mover], courses, [demand(f"EL-{g}", g, 20) for g in (1, 2, 3)],
                     matrix=[choice("H9", 1, level="elementary")])
    return solve_folder(data, tmp_path / f"plan{elementary}")


def test_a_level_move_takes_the_homeroom_the_levels_own_teachers_leave(tmp_path):
    """docs/contract.md, A9.1 (9.0(1)): a mover takes a section "only where no teacher of that level could take it (a
    would-be vacancy)". E1 and E2 may take any grade but hold one homeroom each, so the third homeroom is H9's — it was
    a vacancy while any elementary teacher was merely *qualified* for it. Control: with E3, H9 takes none."""
    plan, report = homerooms_and_a_mover(tmp_path, 2)
    assert plan.run["vacancies"]["count"] == 0 and report.ok, [v.message for v in report.violations]
    assert [t for t, _ in held(plan)] == ["E1", "E2", "H9"]
    plan, report = homerooms_and_a_mover(tmp_path, 3)
    assert plan.run["vacancies"]["count"] == 0 and report.ok, [v.message for v in report.violations]
    assert [t for t, _ in held(plan)] == ["E1", "E2", "E3"]


def test_the_clerk_gives_a_homeroom_a9_1_left_vacant_to_the_teacher_it_left_without_one(tmp_path):
    """The clerk gives grade 1 to A2 (junior, first by ID) and cannot staff TK (only A2 holds early_childhood); A9.1
    then gives grade 1 to senior E1, who ranked it first and had none, leaving A2 without a homeroom — which the clerk
    gives A2 back as the vacant TK homeroom (before: TK vacant, an avoidable vacancy the checker reports)."""
    el = [teacher("E1", "multiple_subject", level="elementary", grade_min="K", grade_max="5", seniority_date=SENIOR),
          teacher("A2", "multiple_subject;early_childhood", level="elementary", grade_min="TK", grade_max="5",
                  seniority_date=JUNIOR)]
    courses = [course("EL-1", "elementary", "multiple_subject", level="elementary", semester="year"),
               course("EL-TK", "early_childhood", "early_childhood", program="tk", level="elementary", semester="year")]
    data = secondary(tmp_path / "d", el, courses, [demand("EL-1", 1, 20), demand("EL-TK", -1, 12)],
                     matrix=[choice("E1", 1, grade="1")])
    plan, report = solve_folder(data, tmp_path / "plan", method="greedy")
    assert plan.run["vacancies"]["count"] == 0 and report.ok, [v.message for v in report.violations]
    assert held(plan) == [("A2", "EL-TK"), ("E1", "EL-1")]


def test_a_meeting_lock_that_keeps_the_senior_in_grade_k_leaves_grade_3_to_the_junior(tmp_path):
    """S, the senior, ranked grade 3 above K, and a lock gives S a grade-K IEP meeting with a blank eligible list (a
    teacher of grade K holds it, A7.1): S must hold the K homeroom. J in grade 3 is then no blocking pair — the lock
    is in the way of the swap — where counting it as one left grade 3 vacant beside J (a combined fuzz: OPTIMAL with
    an avoidable vacancy, which the checker rejected)."""
    from tests.solve.builders import elementary, lock

    data = elementary(tmp_path / "d", {"S": 5, "J": 5}, {0: 20, 3: 20}, [(0, 13 * 60, 14 * 60, [])],
                      locks=[lock("L1", "S", "require", meeting_id="M0")],
                      matrix=[choice("S", 1, grade="3"), choice("S", 2, grade="K")])
    plan, report = solve_folder(data, tmp_path / "plan")
    assert plan.feasible and report.ok, report
    assert held(plan) == [("J", "EL-3"), ("S", "EL-0")] and plan.run["vacancies"]["count"] == 0
    assert plan.tables["iep_assignments"].teacher_id.tolist() == ["S"]


def test_a_meeting_lock_that_placed_the_junior_in_grade_3_keeps_them_there(tmp_path):
    """J, the junior, is locked to a grade-3 meeting with a blank eligible list: the lock placed J in the one grade-3
    homeroom (its one student: one section). S, the senior, ranked grade 3 first and is locked out of K, so S holds
    no homeroom: the swap would leave J without one and break the lock, so S and J are no blocking pair (read as one,
    the locks were an A9.1 + LOCK conflict)."""
    from tests.solve.builders import elementary, lock

    locks = [lock("L1", "J", "require", meeting_id="M0"), lock("L2", "S", "forbid", course_id="EL-0")]
    data = elementary(tmp_path / "d", {"S": 5, "X": 5, "J": 5}, {0: 20, 3: 1}, [(3, 13 * 60, 14 * 60, [])],
                      locks=locks, matrix=[choice("S", 1, grade="3")])
    plan, report = solve_folder(data, tmp_path / "plan")
    assert plan.feasible and report.ok, (plan.run.get("conflicts"), report)
    assert held(plan) == [("J", "EL-3"), ("X", "EL-0")] and plan.run["vacancies"]["count"] == 0


def test_a_meeting_lock_keeps_no_junior_from_a_swap_that_keeps_it(tmp_path):
    """J, locked to a grade-K meeting, held the TK-K homeroom S ranked first, while S held the K homeroom: swapping
    keeps J in a K homeroom, so the lock is in nobody's way and the pair blocks (an A9.1 fuzz: the exemption for a
    lock that placed J excused it, in the optimizer and the checker alike). The plan gives S the TK-K homeroom, and
    the checker flags the swapped plan."""
    import pandas as pd

    from tests.solve.builders import HOMEROOM, elementary, lock

    courses = [{**HOMEROOM, "course_id": "EL-K", "title": "K"}, {**HOMEROOM, "course_id": "EL-EC", "title": "TK-K"}]
    demand = [{"school_id": "VA1", "course_id": c, "grade": g, "students": n}
              for c, g, n in (("EL-K", 0, 18), ("EL-EC", -1, 8), ("EL-EC", 0, 8))]
    data = elementary(tmp_path / "d", {"S": 5, "J": 5}, {}, [(0, 13 * 60, 14 * 60, [])], courses=courses,
                      demand=demand, locks=[lock("L1", "J", "require", meeting_id="M0")],
                      matrix=[choice("S", 1, grade="TK")])
    teachers = pd.read_csv(data / "teachers.csv", dtype=str, keep_default_na=False)
    teachers.assign(grade_min="TK").to_csv(data / "teachers.csv", index=False)
    plan, report = solve_folder(data, tmp_path / "plan")
    assert plan.feasible and report.ok, report
    assert held(plan) == [("J", "EL-K"), ("S", "EL-EC")]
    sections = pd.read_csv(tmp_path / "plan" / "sections.csv", dtype=str, keep_default_na=False)
    sections["teacher_id"] = sections.teacher_id.map({"S": "J", "J": "S"})
    sections.to_csv(tmp_path / "plan" / "sections.csv", index=False)
    from vastaff.check.runner import run_checks
    from vastaff.contract import load_contract
    from vastaff.io.district import load_district
    from vastaff.io.plan import load_plan
    swapped = run_checks(load_district(data), load_plan(tmp_path / "plan"), load_contract(), modules=("matrix",))
    assert [v.rule for v in swapped.violations] == ["A9.1"]
    import shutil
    shutil.copytree(tmp_path / "plan", data / "previous")  # last night's swapped plan is not kept
    again, report = solve_folder(data, tmp_path / "again")
    assert again.feasible and report.ok and held(again) == [("J", "EL-K"), ("S", "EL-EC")]
