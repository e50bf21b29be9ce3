"""A school whose search finds nothing in time keeps the clerk's construction: never an empty plan."""

from __future__ import annotations

from pathlib import Path

import pytest
from ortools.sat.python import cp_model

from tests.solve.builders import course, demand, secondary, teacher
from vastaff import load_contract, load_district
from vastaff.cpsat import incumbent as incumbent_module
from vastaff.cpsat import solver as solver_module
from vastaff.cpsat.solver import SolveOptions, solve_school
from vastaff.cpsat.ties import expression_range
from vastaff.sections.greedy import greedy_school
from vastaff.sections.problem import school_problems


class _FindsNothing(cp_model.CpSolver):
    """Every search runs out of time at once (an empty model gives the response its statistics come from); with
    `completes`, the construction's completion (its counts fixed) still succeeds. Counts the searches."""
    searches = 0

    def __init__(self, completes: bool):
        super().__init__()
        self.completes = completes

    def solve(self, model, callback=None):
        if self.completes and self.parameters.fix_variables_to_their_hinted_value:
            return super().solve(model, callback)
        type(self).searches += 1
        super().solve(cp_model.CpModel())
        return cp_model.UNKNOWN


def _two_math_teachers(tmp_path, monkeypatch, completes: bool):
    """One school, 60 algebra students, two math teachers; its clerk's fill; searches that find nothing."""
    data = secondary(tmp_path / "d", [teacher("H1", "math"), teacher("H2", "math")], [course("ALG", "math")],
                     [demand("ALG", 9, 60)])
    contract = load_contract()
    p = school_problems(load_district(data, contract), contract)[0]
    monkeypatch.setattr(_FindsNothing, "searches", 0)
    for module in (solver_module, incumbent_module):  # the stages' searches and the construction's completion
        monkeypatch.setattr(module, "cp_solver", lambda *args: _with_params(_FindsNothing(completes), *args))
    return p, contract, greedy_school(p, contract)


def test_stage_without_solution_keeps_the_construction(tmp_path, monkeypatch):
    p, contract, start = _two_math_teachers(tmp_path, monkeypatch, completes=False)
    result = solve_school(p, contract, SolveOptions(time_limit=1), start)
    assert result.status == "FEASIBLE"
    assert result.takes.equals(start[0]) and result.opened.equals(start[1])
    assert [s.status for s in result.stages] == ["UNKNOWN"]


def test_searches_without_solution_keep_the_completed_construction_stage_by_stage(tmp_path, monkeypatch):
    p, contract, start = _two_math_teachers(tmp_path, monkeypatch, completes=True)
    result = solve_school(p, contract, SolveOptions(time_limit=5), start)
    # no money terms here: vacancies carries preferences as its tie-breaker (search 1), preferences alone (search 2)
    assert _FindsNothing.searches == 2
    assert [(s.name, s.status, s.value, s.bound) for s in result.stages] == [
        ("vacancies", "OPTIMAL", 0, 0.0), ("preferences", "FEASIBLE", 7, 0.0),  # the fill: 3 sections x 2 + spread 1
        ("seniority", "OPTIMAL", 0, 0.0)]  # both teach in the fill: at its floor, not searched
    assert result.takes.equals(start[0]) and result.status == "FEASIBLE"


def test_range_of_a_linear_expression():
    model = cp_model.CpModel()
    x, y = model.new_int_var(0, 3, "x"), model.new_int_var(-2, 5, "y")
    assert expression_range(model, 2 * x - 3 * y + 1) == (-14, 13)


def _with_params(solver, options, budget, wall):
    solver.parameters.max_deterministic_time = max(budget, 0.5)
    solver.parameters.max_time_in_seconds = max(wall, 1.0)
    return solver


def test_a_stop_keeps_the_schools_already_solved_and_gives_the_others_their_construction(monkeypatch):
    """The first Ctrl-C after the first school: it keeps its solution, the second its clerk's fill, unsearched."""
    from vastaff import interrupt
    from vastaff.nightly import school as solve_module
    from vastaff.nightly.sections import SolveSettings, plan_sections

    contract = load_contract()
    district = load_district(Path(__file__).resolve().parents[2] / "data" / "sample", contract)
    real, solved = solve_module.solve_school, []

    def stop_after_one(p, *args):
        result = real(p, *args)
        if not solved:
            solved.append(p.school_id)
            interrupt.request_stop()
        return result

    monkeypatch.setattr(solve_module, "solve_school", stop_after_one)
    with interrupt.interruptible():
        plan = plan_sections(district, contract, SolveSettings(time_limit=20, processes=1))
    assert len(plan.schools) == 2
    first, = solved
    other, = set(plan.schools) - {first}
    assert plan.schools[first].stages and plan.schools[first].status == "OPTIMAL"
    assert plan.schools[other].status == "FEASIBLE" and plan.schools[other].stages == []
    staffed = plan.sections[plan.sections.teacher_id.notna() & (plan.sections.teacher_id != "")]
    assert set(staffed.school_id) == {first, other}


def test_a_keyboard_interrupt_aborts_the_solve(monkeypatch):
    """The second Ctrl-C raises KeyboardInterrupt: it propagates (nothing is written), no fallback plan is made."""
    from vastaff.nightly import school as solve_module
    from vastaff.nightly.sections import SolveSettings, plan_sections

    def second_ctrl_c(*args):
        raise KeyboardInterrupt

    contract = load_contract()
    district = load_district(Path(__file__).resolve().parents[2] / "data" / "sample", contract)
    monkeypatch.setattr(solve_module, "solve_school", second_ctrl_c)
    with pytest.raises(KeyboardInterrupt):
        plan_sections(district, contract, SolveSettings(time_limit=20, processes=1))


def test_vacancies_and_money_are_settled_by_one_exact_search(tmp_path):
    """9 courses for one consenting teacher (8-course limit): leaving one vacant would save the $1,200 stipend, but one
    vacancy outweighs any money. One search settles both stages (money gets no search time of its own)."""
    courses = [course(f"MA{i}", "math") for i in range(9)]
    data = secondary(tmp_path / "d", [teacher("H1", "math", stipend_consent="true")], courses,
                     [demand(f"MA{i}", 9, 10) for i in range(9)], periods=6)
    contract = load_contract()
    p = school_problems(load_district(data, contract), contract)[0]
    result = solve_school(p, contract, SolveOptions(time_limit=10), None)
    vacancies, money = result.stages[:2]
    assert (vacancies.name, vacancies.status, vacancies.value) == ("vacancies", "OPTIMAL", 0)
    assert (money.name, money.status, money.value, money.seconds) == ("money", "OPTIMAL", 120_000, 0.0)  # cents


def test_the_seniority_tie_break_is_not_searched_after_a_stage_left_unproven(tmp_path, monkeypatch):
    """One ALG section, the clerk gives it to the junior H1 and leaves the senior H2 without one (seniority 2); the
    preferences search finds nothing (unproven), so the tie-break is not searched either: its time goes to the
    schools still queued. Two searches, not three; the fill kept, the tie-break's value stated, not proven."""
    data = secondary(tmp_path / "d", [teacher("H1", "math", seniority_date="2020-08-15"),
                                      teacher("H2", "math", seniority_date="2001-08-15")],
                     [course("ALG", "math")], [demand("ALG", 9, 20)])
    contract = load_contract()
    p = school_problems(load_district(data, contract), contract)[0]
    start = greedy_school(p, contract)
    assert start[0].teacher_id.tolist() == ["H1"]  # the clerk's fill takes the first teacher listed
    monkeypatch.setattr(_FindsNothing, "searches", 0)
    for module in (solver_module, incumbent_module):
        monkeypatch.setattr(module, "cp_solver", lambda *args: _with_params(_FindsNothing(True), *args))
    result = solve_school(p, contract, SolveOptions(time_limit=5), start)
    assert _FindsNothing.searches == 2
    assert [(s.name, s.status, s.value, s.bound) for s in result.stages][-1] == ("seniority", "FEASIBLE", 2, 0.0)
    assert result.takes.teacher_id.tolist() == ["H1"] and result.status == "FEASIBLE"


def test_the_seniority_tie_break_gives_the_section_to_the_senior_where_the_stages_before_are_proven(tmp_path):
    """The same school searched for real: every stage proven, the tie-break moves the section to the senior H2."""
    data = secondary(tmp_path / "d", [teacher("H1", "math", seniority_date="2020-08-15"),
                                      teacher("H2", "math", seniority_date="2001-08-15")],
                     [course("ALG", "math")], [demand("ALG", 9, 20)])
    contract = load_contract()
    p = school_problems(load_district(data, contract), contract)[0]
    result = solve_school(p, contract, SolveOptions(time_limit=5), greedy_school(p, contract))
    assert result.status == "OPTIMAL" and result.takes.teacher_id.tolist() == ["H2"]
    assert [(s.name, s.status, s.value) for s in result.stages][-1] == ("seniority", "OPTIMAL", 1)
