"""The school problems (`sections/problem.py`): each school gets its own rows and nothing else; a school of
schools.csv with no teacher, course or period of its own gets empty frames of the same columns and types."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from vastaff import load_contract, load_district
from vastaff.sections.problem import school_problems

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample"


@pytest.fixture(scope="module")
def sample():
    contract = load_contract()
    return load_district(SAMPLE, contract), contract


def test_each_school_gets_its_own_rows_and_every_one_of_them(sample):
    district, contract = sample
    problems = school_problems(district, contract)
    assert [p.school_id for p in problems] == sorted(district.schools.school_id)
    school_of_course = dict(zip(district.courses.course_id, district.courses.school_id))
    school_of_teacher = dict(zip(district.teachers.teacher_id, district.teachers.school_id))
    for p in problems:
        assert set(p.courses.course_id.map(school_of_course)) <= {p.school_id}
        assert set(p.demand.course_id.map(school_of_course)) <= {p.school_id}
        assert set(p.teachers.teacher_id.map(school_of_teacher)) <= {p.school_id}
        assert set(p.eligible.teacher_id) <= set(p.teachers.teacher_id)
        assert list(p.shapes.sid) == list(range(len(p.shapes)))  # numbered within the school
        assert p.period_ids == district.academic_periods().query("school_id == @p.school_id").period_id.tolist()
    classroom = district.teachers[district.teachers.role == "classroom"]
    assert sum(len(p.teachers) for p in problems) == len(classroom)
    assert sum(len(p.courses) for p in problems) == len(district.courses)
    assert sum(len(p.demand) for p in problems) == int((district.demand.students > 0).sum())


def test_a_school_with_nothing_of_its_own_gets_empty_frames_of_the_same_shape(sample):
    district, contract = sample
    empty = district.schools.iloc[[0]].assign(school_id="VA99")
    problems = {p.school_id: p for p in school_problems(
        replace(district, schools=pd.concat([district.schools, empty], ignore_index=True)), contract)}
    bare, other = problems["VA99"], problems[sorted(problems)[0]]
    for name in ("courses", "demand", "shapes", "shape_grades", "teachers", "eligible", "previous"):
        mine, theirs = getattr(bare, name), getattr(other, name)
        assert mine.empty and list(mine.columns) == list(theirs.columns), name
        assert dict(mine.dtypes) == dict(theirs.dtypes), name
    assert bare.period_ids == [] and bare.locks == [] and bare.matrix == []
