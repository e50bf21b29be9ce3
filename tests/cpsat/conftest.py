"""Tiny named schools for the per-module solver tests, and a bare CP-SAT model to add one rule family to.

A test builds a school's variables (`cpsat/variables.py`), adds the rule module under test — plus DEMAND when
sections must seat their students — and asks for the exact optimum of one expression, so a failure points at the
module. Schools are one high school VA1 (tests/solve/builders.py) loaded through the real loader and
`sections.problem.school_problems`; contract numbers are changed through the validated model file (`amend`).
"""

from __future__ import annotations

import copy
import itertools
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable

import pandas as pd
import pytest
from ortools.sat.python import cp_model

from tests.solve.builders import course, demand, secondary, teacher
from vastaff import load_contract, load_district
from vastaff.contract import ContractModel, contract_from_dict
from vastaff.cpsat.demand import add_demand
from vastaff.cpsat.groups import Groups
from vastaff.cpsat.model import build_school_model
from vastaff.cpsat.variables import SectionVars, create_vars
from vastaff.sections.problem import SchoolProblem, school_problems


@dataclass
class Rig:
    """One school's CP-SAT variables in a model of their own: add a rule family, then ask for an optimum."""

    p: SchoolProblem
    contract: ContractModel
    model: cp_model.CpModel
    v: SectionVars
    groups: Groups
    solver: cp_model.CpSolver | None = None
    stages: dict[str, list] = field(default_factory=dict)  # objective stages, when built by cpsat/model.py

    def optimum(self, expr, *, maximize: bool = False) -> int | None:
        """The proved optimum of `expr` (an integer), or None when the model is infeasible."""
        (self.model.maximize if maximize else self.model.minimize)(expr)
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        solver.parameters.random_seed = 0
        solver.parameters.max_time_in_seconds = 10
        status = solver.solve(self.model)
        if status == cp_model.INFEASIBLE:
            return None
        assert status == cp_model.OPTIMAL, solver.status_name(status)
        self.solver = solver
        return round(solver.objective_value)

    def sections(self, teacher_id: str, course_id: str):
        """Sections of a course the teacher takes (an expression)."""
        return self.v.sections_of(teacher_id, course_id)

    def opened(self, course_id: str):
        """Sections of a course that open, staffed or vacant (an expression)."""
        return sum(self.v.opened[s] for s in self.v.shapes_of_course[course_id])

    def all_takes(self):
        return sum(self.v.takes.values())

    def value(self, expr) -> int:
        """The value of `expr` in the last optimum."""
        return int(self.solver.value(expr))


@pytest.fixture(scope="session")
def contract() -> ContractModel:
    return load_contract()


@pytest.fixture(scope="session")
def amend(contract) -> Callable[..., ContractModel]:
    """`amend("periods.max_sections_per_period.value", 3, ...)`: the shipped contract with numbers changed,
    validated like a model file."""
    def amended(*changes) -> ContractModel:
        raw = contract.model_dump(by_alias=True)
        for path, value in zip(changes[::2], changes[1::2]):
            *parents, leaf = path.split(".")
            node = raw
            for key in parents:
                node = node[key]
            node[leaf] = copy.deepcopy(value)
        return contract_from_dict(raw, "amended")
    return amended


@pytest.fixture
def school(tmp_path: Path, contract) -> Callable[..., SchoolProblem]:
    """`school(teachers, courses, demands, periods=3, contract_model=None)`: VA1's section problem, loaded from CSV."""
    folders = itertools.count(1)

    def build(teachers: list[dict], courses: list[dict], demands: list[dict], periods: int = 3,
              contract_model: ContractModel | None = None) -> SchoolProblem:
        rules = contract_model or contract
        folder = secondary(tmp_path / f"school{next(folders)}", teachers, courses, demands, periods)
        return school_problems(load_district(folder, rules), rules)[0]
    return build


@pytest.fixture
def rig(contract) -> Callable[..., Rig]:
    """`rig(p, contract_model=None, demand=True, strict=False, diagnose=False)`: variables, and DEMAND unless told not."""
    def build(p: SchoolProblem, contract_model: ContractModel | None = None, *, demand: bool = True,
              strict: bool = False, diagnose: bool = False) -> Rig:
        rules = contract_model or contract
        model = cp_model.CpModel()
        groups = Groups(model, diagnose)
        v = create_vars(model, p, rules)
        if demand:
            add_demand(model, p, v, rules, groups, strict)
        return Rig(p, rules, model, v, groups)
    return build


@pytest.fixture
def previous() -> Callable[..., SchoolProblem]:
    """`previous(p, ("H1", "ALG", 1), ...)`: the problem with last night's plan, (teacher, course, sections) rows
    as `sections.problem` counts them from `--previous`."""
    def with_rows(p: SchoolProblem, *rows: tuple[str, str, int]) -> SchoolProblem:
        frame = pd.DataFrame(list(rows), columns=["teacher_id", "course_id", "sections"])
        return replace(p, previous=frame, has_previous=True)
    return with_rows


@pytest.fixture
def full_model(contract) -> Callable[..., Rig]:
    """`full_model(p, contract_model=None, strict=False, diagnose=False)`: cpsat/model.py's whole school model, as a Rig."""
    def build(p: SchoolProblem, contract_model: ContractModel | None = None, **options) -> Rig:
        rules = contract_model or contract
        sm = build_school_model(p, rules, **options)
        return Rig(p, rules, sm.model, sm.vars, sm.groups, stages=sm.stages)
    return build


# Named tiny schools (hand-computable), shared by several modules' tests.

@pytest.fixture
def three_math_courses(school) -> Callable[..., SchoolProblem]:
    """`three_math_courses(periods=1, contract_model=None)`: one math teacher H1, semester-1 courses MA1-MA3 of 10 grade-9 students
    each (one section each)."""
    def build(periods: int = 1, contract_model: ContractModel | None = None) -> SchoolProblem:
        return school([teacher("H1", "math")], [course(f"MA{i}", "math") for i in (1, 2, 3)],
                      [demand(f"MA{i}", 9, 10) for i in (1, 2, 3)], periods, contract_model)
    return build


@pytest.fixture
def algebra_for_two(school) -> Callable[..., SchoolProblem]:
    """`algebra_for_two(students, semester="1", senior="H1")`: math teachers H1 and H2, one course ALG of grade 9."""
    def build(students: int, semester: str = "1", senior: str = "H1") -> SchoolProblem:
        dates = {senior: "2001-01-10"}
        teachers = [teacher(t, "math", seniority_date=dates.get(t, "2010-03-01")) for t in ("H1", "H2")]
        return school(teachers, [course("ALG", "math", semester=semester)], [demand("ALG", 9, students)])
    return build


@pytest.fixture
def two_homerooms(school) -> Callable[..., SchoolProblem]:
    """`two_homerooms("E1", ...)`: grade 1 and grade 2 homerooms of 20 students each (year courses), taught by
    elementary teachers with a multiple-subject credential for K-5."""
    def build(*teacher_ids: str) -> SchoolProblem:
        teachers = [teacher(t, "multiple_subject", level="elementary", grade_min="K", grade_max="5")
                    for t in teacher_ids]
        courses = [course(f"EL-{g}", "elementary", "multiple_subject", level="elementary", semester="year")
                   for g in (1, 2)]
        return school(teachers, courses, [demand(f"EL-{g}", g, 20) for g in (1, 2)])
    return build
