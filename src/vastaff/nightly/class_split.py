"""A8.1 under `band_mean_scope: teacher` (8.0: the average "assigned to a Virtual Academy teacher's roster"): the
students of each band shape split so that every teacher's general/ELD sections of a band average within the mean.

The section model decides counts (`cpsat.class_size.add_teacher_means` makes sure such a split exists); the decode
splits a shape's students evenly over its sections. Here the split is found for the solution's fixed counts
(`cpsat.class_size.teacher_seats`) and written into the decoded sections: each holder's students of a shape, grade by
grade, evenly over that holder's own sections of it. Under `school` nothing changes.
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from vastaff.contract import ContractModel
from vastaff.cpsat.class_size import teacher_seats
from vastaff.cpsat.solver import SchoolSolution
from vastaff.sections.decode import DecodedSections, split_students
from vastaff.sections.problem import SchoolProblem


def split_by_teacher(p: SchoolProblem, solution: SchoolSolution, decoded: DecodedSections,
                     contract: ContractModel, seed: int = 0) -> DecodedSections:
    """The decoded sections with each band shape's students split per holder (A8.1 per teacher); unchanged under
    `school`, or when the counts admit no such split (then the checker reports A8.1)."""
    if contract.band_mean_scope != "teacher" or decoded.sections.empty:
        return decoded
    held = teacher_seats(p, contract, solution.takes, solution.opened, solution.seats, seed=seed)
    if held is None:
        return decoded
    return _rewrite(p, decoded, held)


def _shape_of_sections(p: SchoolProblem, decoded: DecodedSections) -> pd.Series:
    """section_id -> sid of its band shape (a shape is a course and its grade run; every section of a shape holds
    each of its grades), for the sections of band shapes."""
    grades = decoded.section_grades.sort_values("grade").groupby("section_id", sort=False).grade.agg(tuple)
    course = decoded.sections.set_index("section_id").course_id
    shapes = p.shapes[p.shapes.band.astype(bool)]
    sid = {(c, tuple(int(x) for x in g)): s
           for s, c, g in shapes[["sid", "course_id", "grades"]].itertuples(index=False)}
    keys = pd.Series([(course[s], tuple(int(x) for x in grades[s])) for s in grades.index], index=grades.index)
    return keys.map(sid).dropna().astype(int)


def _rewrite(p: SchoolProblem, decoded: DecodedSections, held: pd.DataFrame) -> DecodedSections:
    """Each holder's seats of a shape and grade, evenly over the holder's sections of that shape (section_id order)."""
    shape = _shape_of_sections(p, decoded)
    s = decoded.sections[decoded.sections.section_id.isin(shape.index)]
    s = s.assign(sid=s.section_id.map(shape), holder=s.teacher_id.fillna(""))
    held = held.assign(holder=held.teacher_id.fillna(""))
    amounts = {key: list(zip(g.grade, g.students)) for key, g in held.sort_values("grade").groupby(["holder", "sid"])}
    new_rows = []
    for (holder, sid), group in s.sort_values("section_id").groupby(["holder", "sid"], sort=True):
        ids = list(group.section_id)
        for section_id, grades in zip(ids, split_students(amounts[holder, sid], len(ids))):
            new_rows += [(section_id, g, n) for g, n in grades.items() if n > 0]
    kept = decoded.section_grades[~decoded.section_grades.section_id.isin(shape.index)]
    grades = pd.concat([kept, pd.DataFrame(new_rows, columns=kept.columns)], ignore_index=True)
    grades = grades.sort_values(["section_id", "grade"], kind="stable").reset_index(drop=True)
    enrollment = grades.groupby("section_id").students.sum()
    sections = decoded.sections.assign(enrollment=decoded.sections.section_id.map(enrollment).astype("int64"))
    return replace(decoded, sections=sections, section_grades=grades)
