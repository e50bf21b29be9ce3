"""cpsat/incumbent.py: the school's first incumbent — last night's plan where it holds, else last night's sections
per teacher and shape with tonight's students around them, else the clerk's fill — and what replaces it."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from tests.solve.builders import course, demand, teacher
from vastaff.cpsat.budget import Budget
from vastaff.cpsat.incumbent import Incumbent, better, first_incumbent
from vastaff.cpsat.model import build_school_model
from vastaff.cpsat.solver import SolveOptions
from vastaff.sections.greedy import greedy_school

OPTIONS = SolveOptions(time_limit=5)


def algebra(school, previous, grade_9: int = 20, teachers=("H1", "H2")):
    """ALG for grades 9 (`grade_9` students) and 10 (20), taught last night by H1 (the grade-9 section) and H2 (the
    grade-10 one): the problem with last night's counts as `sections.last_night` gives them where they still hold
    (seats of 20 and 20), and each teacher's shape."""
    p = school([teacher(t, "math") for t in teachers], [course("ALG", "math")],
               [demand("ALG", 9, grade_9), demand("ALG", 10, 20)])
    p = previous(p, ("H1", "ALG", 1), ("H2", "ALG", 1))
    sid = dict(zip(p.shapes.grades, p.shapes.sid))
    takes = pd.DataFrame([("H1", sid[9,], 1), ("H2", sid[10,], 1)], columns=["teacher_id", "sid", "sections"])
    opened = pd.DataFrame([(s, int(g in ((9,), (10,))), 0) for g, s in sid.items()],
                          columns=["sid", "sections", "vacant"])
    seats = p.shape_grades[["sid", "grade"]].assign(
        students=[20 if (g,) in sid and sid[g,] == s else 0 for s, g in zip(p.shape_grades.sid, p.shape_grades.grade)])
    return replace(p, last_night=(takes, opened, seats), previous_shapes=takes), sid


def first(p, contract):
    sm = build_school_model(p, contract)
    return first_incumbent(sm, p, greedy_school(p, contract), OPTIONS, Budget(1e12, work=5))


def staffed(incumbent: Incumbent) -> list[tuple]:
    takes = incumbent.plan[0]
    return sorted((t, int(s), int(n)) for t, s, n in takes[takes.sections > 0].itertuples(index=False))


def test_last_nights_plan_is_the_first_incumbent_where_it_holds(school, previous, contract):
    p, sid = algebra(school, previous)
    incumbent = first(p, contract)
    assert incumbent.kept and staffed(incumbent) == [("H1", sid[9,], 1), ("H2", sid[10,], 1)]
    assert incumbent.stage_values["stability"] == incumbent.stage_values["continuity"] == 0


def test_a_changed_demand_row_keeps_every_teachers_sections_with_tonights_students(school, previous, contract):
    """Grade 9 has 22 students tonight: last night's seats no longer hold, its sections per teacher and shape do."""
    p, sid = algebra(school, previous, grade_9=22)
    incumbent = first(p, contract)
    assert incumbent.kept and staffed(incumbent) == [("H1", sid[9,], 1), ("H2", sid[10,], 1)]
    seats = incumbent.plan[2].set_index(["sid", "grade"]).students
    assert (seats[sid[9,], 9], seats[sid[10,], 10]) == (22, 20)
    assert incumbent.stage_values["vacancies"] == 0


def test_a_teacher_new_tonight_takes_nothing_in_the_repair(school, previous, contract):
    p, sid = algebra(school, previous, grade_9=22, teachers=("H1", "H2", "H3"))
    assert [t for t, _, _ in staffed(first(p, contract))] == ["H1", "H2"]


def test_without_last_nights_plan_the_clerks_fill_is_the_incumbent_and_a_tie_replaces_it(school, previous, contract):
    p, _ = algebra(school, previous)
    fresh = replace(p, last_night=None, previous_shapes=p.previous_shapes.iloc[:0], has_previous=False,
                    previous=p.previous.iloc[:0])
    clerk = first(fresh, contract)
    assert not clerk.kept and staffed(clerk) == sorted(
        (t, int(s), int(n)) for t, s, n in greedy_school(fresh, contract)[0].itertuples(index=False) if n > 0)
    group = [("vacancies", []), ("money", [])]
    tie = Incumbent(dict(clerk.stage_values), clerk.plan)
    cheaper = Incumbent({**clerk.stage_values, "money": clerk.stage_values["money"] - 1}, clerk.plan)
    assert better(tie, clerk, group) and not better(tie, replace(clerk, kept=True), group)
    assert better(cheaper, replace(clerk, kept=True), group)


def test_a_gone_teachers_section_goes_to_a_colleague_in_the_repair(school, previous, contract):
    """H2 taught the grade-10 section and is gone tonight: fixed, the repair leaves it vacant; the second completion
    frees ALG's teachers and H3 (new, nothing to keep) takes it — no vacancy, H1 where they were, kept on ties."""
    p, sid = algebra(school, previous, teachers=("H1", "H3"))
    incumbent = first(p, contract)
    assert incumbent.kept and staffed(incumbent) == [("H1", sid[9,], 1), ("H3", sid[10,], 1)]
    assert incumbent.stage_values["vacancies"] == 0
