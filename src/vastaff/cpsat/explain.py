"""Explain an infeasible school in contract terms: a minimal set of rule groups that cannot hold together.

Diagnosis runs the feasibility model with every vacancy forbidden (`--strict`) and one assumption literal per
rule group (DEMAND per course and grade, A6.1/A6.2 and A6.3 per teacher and semester, A8.1/A8.2 per course and
band, STRUCTURE homerooms per teacher). CP-SAT's sufficient assumptions are then shrunk by deletion to a minimal
core, written as one `vastaff.rules.Finding` (every rule ID of the core, a sentence, the rows).
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from vastaff.contract import ContractModel
from vastaff.cpsat.model import build_school_model
from vastaff.rules import Finding
from vastaff.sections.problem import SchoolProblem


def explain_school(p: SchoolProblem, contract: ContractModel, *, seed: int = 0,
                   time_limit: float = 10.0, strict: bool = True) -> Finding | None:
    """One conflict (rule IDs, sentence, rows) for a school whose sections cannot all be staffed (`strict`: every
    section staffed, DEMAND hard), or whose locks cannot hold (`strict=False`: vacancies allowed), or None."""
    sm = build_school_model(p, contract, strict=strict, diagnose=True)
    groups = sm.groups.literals
    lits = {index: sm.model.get_bool_var_from_proto_index(index) for index in groups}
    core = _core(sm.model, list(lits), lits, seed, time_limit)
    if core is None:
        return None
    core = _shrink(sm.model, core, lits, seed, time_limit)
    return _as_conflict(p, [groups[i] for i in core])


def _solve_with(model: cp_model.CpModel, assumed: list[int], lits: dict, seed: int, time_limit: float):
    model.clear_assumptions()
    model.add_assumptions([lits[i] for i in assumed])
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.catch_sigint_signal = False  # Ctrl-C belongs to vastaff.interrupt
    solver.parameters.random_seed = seed
    solver.parameters.max_deterministic_time = time_limit
    return solver, solver.solve(model)


def _core(model, assumed, lits, seed, time_limit) -> list[int] | None:
    solver, status = _solve_with(model, assumed, lits, seed, time_limit)
    if status != cp_model.INFEASIBLE:
        return None
    return sorted(solver.sufficient_assumptions_for_infeasibility()) or sorted(assumed)


def _shrink(model, core: list[int], lits, seed, time_limit) -> list[int]:
    """Deletion filter: drop each group whose absence keeps the rest infeasible."""
    keep = list(core)
    for index in list(core):
        trial = [i for i in keep if i != index]
        if trial and _solve_with(model, trial, lits, seed, time_limit)[1] == cp_model.INFEASIBLE:
            keep = trial
    return keep


def _as_conflict(p: SchoolProblem, groups: list[Finding]) -> Finding:
    """The core's groups, DEMAND first, as one finding: every rule ID involved, one sentence, every row."""
    groups = sorted(groups, key=lambda g: (g.rule != "DEMAND", g.rules, g.message))
    rules = tuple(dict.fromkeys(r for g in groups for r in g.rules))
    if "DEMAND" in rules and "CRED" not in rules:
        rules = rules + ("CRED",)  # eligibility is what makes the remaining teachers the only candidates
    text = "; ".join(_describe(p, g) for g in groups)
    rows = tuple(dict.fromkeys(r for g in groups for r in g.rows))
    return Finding(rules, f"{p.school_id}: these cannot all hold — {text}", rows)


def _describe(p: SchoolProblem, g: Finding) -> str:
    """One group in words; `g.message` says what it is about ("course MA-ALG1", "teacher H1 semester 1")."""
    label = "+".join(g.rules)
    if g.rule == "DEMAND" and g.message.startswith("course "):
        words = g.message.split()  # "course ALG" or "course ALG grade 9"
        course = words[1]
        rows = p.demand[p.demand.course_id == course]
        if len(words) == 4 and words[2] == "grade":
            rows = rows[rows.grade.astype(str) == words[3]]
        students = int(rows.students.sum())
        eligible = sorted(set(p.eligible.merge(p.shapes[p.shapes.course_id == course][["sid"]]).teacher_id))
        who = ", ".join(eligible) if eligible else "no eligible teacher"
        return f"DEMAND {g.message} ({students} students) must be fully staffed by eligible teachers ({who})"
    if g.rule in ("A8.1", "A8.2") and g.message.startswith("course "):
        caps = p.shapes[p.shapes.course_id == g.message.split()[1]].cap
        cap = f"at most {int(caps.max())} students" if len(caps) else "a capped number of students"
        return f"{label} {g.message}: its students sit in its sections, {cap} each"
    if g.rule == "A6.1":
        return f"{label} {g.message} has {p.n_periods} academic period(s)"
    if g.rule == "STRUCTURE":
        return f"{label} {g.message} holds at most one homeroom"
    return f"{label} {g.message}"
