"""A12 (12.0): a teacher who taught sections last night and now has a course they did not teach is owed X-time once."""

from __future__ import annotations

from ortools.sat.python import cp_model

from vastaff.contract import ContractModel
from vastaff.cpsat.money import cents
from vastaff.cpsat.variables import SectionVars
from vastaff.sections.problem import SchoolProblem


def xtime_terms(model: cp_model.CpModel, p: SchoolProblem, v: SectionVars, contract: ContractModel) -> list:
    """xtime_hours x xtime_hourly_rate per teacher with a new course (cents); none without --previous."""
    if not p.has_previous:
        return []
    taught = p.previous.groupby("teacher_id").course_id.agg(set).to_dict()
    owed: dict[str, list] = {}
    for (teacher, course), lit in v.teaches.items():
        if teacher in taught and course not in taught[teacher]:
            owed.setdefault(teacher, []).append(lit)
    cost = cents(contract.xtime_cost)
    terms = []
    for teacher, lits in sorted(owed.items()):
        x = model.new_bool_var(f"xtime[{teacher}]")
        model.add_max_equality(x, lits)
        terms.append(cost * x)
    return terms
