"""STRUCTURE (plan formats): elementary sections are homerooms, at most one per elementary classroom teacher.

A homeroom is a `year` section in period `homeroom`. The limit is the plan's shape, not a credential: it is
reported under STRUCTURE, as the checker reports it (vastaff.rules).
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from vastaff.cpsat.groups import Groups
from vastaff.cpsat.variables import SectionVars
from vastaff.sections.problem import SchoolProblem


def add_one_homeroom(model: cp_model.CpModel, p: SchoolProblem, v: SectionVars, groups: Groups) -> None:
    """STRUCTURE: at most one homeroom per elementary classroom teacher."""
    for teacher in p.teachers.teacher_id[p.teachers.elementary]:
        shapes = v.shapes_of_teacher.get(teacher, [])
        if len(shapes) > 1:
            ct = model.add(sum(v.takes[teacher, s] for s in shapes) <= 1)
            groups.enforce(ct, "STRUCTURE", f"teacher {teacher}", (("teachers.csv", teacher),))
