"""The decision variables of one school's section staffing, created only for CRED-eligible pairs."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
from ortools.sat.python import cp_model

from vastaff.contract import ContractModel
from vastaff.sections.problem import SchoolProblem


@dataclass
class SectionVars:
    """Named access to the variables: `opened[shape]`, `takes[(teacher, shape)]`, `teaches[(teacher, course)]`, ..."""

    opened: dict[int, cp_model.IntVar] = field(default_factory=dict)           # sections of a shape
    vacant: dict[int, cp_model.IntVar] = field(default_factory=dict)           # of which with no teacher (DEMAND)
    seats: dict[tuple[int, int], cp_model.IntVar] = field(default_factory=dict)  # students of a grade in a shape
    takes: dict[tuple[str, int], cp_model.IntVar] = field(default_factory=dict)  # sections of a shape a teacher takes
    teaches: dict[tuple[str, str], cp_model.IntVar] = field(default_factory=dict)  # teacher has >= 1 section of course
    shapes_of_course: dict[str, list[int]] = field(default_factory=dict)
    teachers_of_shape: dict[int, list[str]] = field(default_factory=dict)
    shapes_of_teacher: dict[str, list[int]] = field(default_factory=dict)
    _by_teacher: dict[str, list] = field(default_factory=dict)

    def courses_of(self, teacher: str) -> list[tuple[str, cp_model.IntVar]]:
        """(course, teaches literal) for every course the teacher is eligible for."""
        if not self._by_teacher:
            for (t, c), lit in self.teaches.items():
                self._by_teacher.setdefault(t, []).append((c, lit))
        return self._by_teacher.get(teacher, [])

    def sections_of(self, teacher: str, course: str) -> cp_model.LinearExpr:
        """Sections of a course the teacher takes, over all its shapes."""
        return sum(self.takes[teacher, s] for s in self.shapes_of_course[course] if (teacher, s) in self.takes)


def create_vars(model: cp_model.CpModel, p: SchoolProblem, contract: ContractModel,
                diagnose: bool = False) -> SectionVars:
    """Under `diagnose` (--strict explanations) a teacher's sections of a shape are not capped by the periods: that
    cap is A6.1's, and an explanation must find it in A6.1's constraint group, not in a variable's domain."""
    v = SectionVars()
    per_teacher = max(p.max_sections_per_teacher(contract), 1)
    for shape, course, k_max in p.shapes[["sid", "course_id", "k_max"]].itertuples(index=False):
        v.opened[shape] = model.new_int_var(0, k_max, f"open[{shape}]")
        v.vacant[shape] = model.new_int_var(0, k_max, f"vac[{shape}]")
        v.shapes_of_course.setdefault(course, []).append(shape)
    students = p.students()
    for shape, course, grade in p.shape_grades.itertuples(index=False):
        v.seats[shape, grade] = model.new_int_var(0, int(students[course, grade]), f"seats[{shape},{grade}]")
    elementary = dict(zip(p.teachers.teacher_id, p.teachers.elementary))
    k_max = dict(zip(p.shapes.sid, p.shapes.k_max))
    course_of = dict(zip(p.shapes.sid, p.shapes.course_id))
    for teacher, shape in p.eligible.itertuples(index=False):
        ub = 1 if elementary[teacher] else int(k_max[shape]) if diagnose else min(int(k_max[shape]), per_teacher)
        v.takes[teacher, shape] = model.new_int_var(0, ub, f"takes[{teacher},{shape}]")
        v.teachers_of_shape.setdefault(shape, []).append(teacher)
        v.shapes_of_teacher.setdefault(teacher, []).append(shape)
        key = (teacher, course_of[shape])
        if key not in v.teaches:
            v.teaches[key] = model.new_bool_var(f"teaches[{teacher},{key[1]}]")
    return v


def course_table(p: SchoolProblem) -> pd.DataFrame:
    return p.courses.set_index("course_id")
