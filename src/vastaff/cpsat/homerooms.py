"""Elementary homerooms: a `year` section in period `homeroom`, at most one per elementary classroom teacher."""

from __future__ import annotations

from ortools.sat.python import cp_model

from vastaff.cpsat.groups import Groups
from vastaff.cpsat.variables import SectionVars
from vastaff.sections.problem import SchoolProblem


def add_one_homeroom(model: cp_model.CpModel, p: SchoolProblem, v: SectionVars, groups: Groups) -> None:
    """SPEC: at most one homeroom per elementary classroom teacher."""
    for teacher in p.teachers.teacher_id[p.teachers.elementary]:
        shapes = v.shapes_of_teacher.get(teacher, [])
        if len(shapes) > 1:
            ct = model.add(sum(v.takes[teacher, s] for s in shapes) <= 1)
            groups.enforce(ct, "HOMEROOM", f"teacher {teacher}", (("teachers.csv", teacher),))
