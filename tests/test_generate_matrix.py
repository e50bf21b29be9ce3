"""The generator's matrix.csv (docs/data-format.md; A9.1): realistic ranked choices that load without a problem, drawn
from a random stream of their own, so that every other generated table stays as it was."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from vastaff.contract import load_contract
from vastaff.generate import build_district, write_district
from vastaff.generate.common import Streams
from vastaff.io.district import load_district

CONTRACT = load_contract()


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    """1,500 teachers (seed 11), written and loaded: (tables, District)."""
    g = build_district(1500, 11, CONTRACT)
    return g.tables, load_district(write_district(g.tables, tmp_path_factory.mktemp("m") / "d"), CONTRACT)


def with_teachers(d) -> pd.DataFrame:
    return d.matrix.merge(d.teachers[["teacher_id", "school_id", "level", "department", "credentials", "grade_min",
                                      "grade_max"]], on="teacher_id", suffixes=("", "_teacher"))


def test_loads_and_ranks_run_from_one(big):
    tables, d = big
    assert len(d.matrix) == len(tables["matrix"]) > 1000
    ranks = d.matrix.groupby("teacher_id")["rank"].agg(list)
    assert all(r == list(range(1, len(r) + 1)) for r in ranks)
    assert list(tables["matrix"].columns) == ["teacher_id", "rank", "grade", "course_id", "level"]


def test_most_classroom_teachers_choose(big):
    _, d = big
    classroom = d.teachers[d.teachers.role == "classroom"]
    share = classroom.teacher_id.isin(d.matrix.teacher_id).groupby(classroom.level).mean()
    assert .65 < share["elementary"] < .85 and .5 < share["middle"] < .7 and .5 < share["high"] < .7
    specialists = d.teachers.teacher_id[d.teachers.role == "resource_specialist"]
    assert not d.matrix.teacher_id.isin(specialists).any()


def test_elementary_teachers_rank_two_or_three_grades_they_may_teach_and_k_1_are_contested(big):
    _, d = big
    m = with_teachers(d)
    el = m[m.level_teacher == "elementary"]
    assert el.grade.notna().all() and el.course_id.isna().all()
    per = el.groupby("teacher_id").size()
    assert per.isin([1, 2, 3]).all() and (per >= 2).mean() > .95
    assert el.grade.astype(int).between(el.grade_min, el.grade_max).all()
    first = el[el["rank"] == 1].grade.astype(int).value_counts()
    assert set(first.index[:2]) <= {0, 1, 2} and first[0] + first[1] > first.get(4, 0) + first.get(5, 0)


def test_secondary_teachers_rank_courses_of_their_credentials_school_and_level(big):
    _, d = big
    m = with_teachers(d)
    sec = m[m.course_id.notna()].merge(d.courses[["course_id", "school_id", "level", "credential"]], on="course_id",
                                        suffixes=("", "_course"))
    assert len(sec) > 300 and (sec.level_teacher != "elementary").all()
    assert (sec.school_id == sec.school_id_course).all() and (sec.level_course == sec.level_teacher).all()
    assert all(c in creds for c, creds in zip(sec.credential, sec.credentials))
    assert sec.groupby("teacher_id").size().max() <= 3


def test_a_few_teachers_ask_for_the_other_secondary_level_where_a_course_fits(big):
    _, d = big
    m = with_teachers(d)
    moves = m[m.level.notna()]
    assert 1 <= len(moves) <= 30 and moves.grade.isna().all() and moves.course_id.isna().all()
    assert set(zip(moves.level_teacher, moves.level)) <= {("middle", "high"), ("high", "middle")}
    assert (moves.department == "general").all()
    for r in moves.itertuples():
        fits = d.courses[(d.courses.school_id == r.school_id) & (d.courses.level == r.level)
                         & d.courses.credential.isin(r.credentials)]
        grades = d.demand[d.demand.course_id.isin(fits.course_id)].grade
        assert grades.between(r.grade_min, r.grade_max).any(), r.teacher_id
    last = m.groupby("teacher_id")["rank"].max()
    assert (moves["rank"].to_numpy() == last[moves.teacher_id].to_numpy()).all()  # asked for last


def test_the_matrix_stream_leaves_every_other_table_as_it_was(monkeypatch):
    """Another draw for the matrix alone changes matrix.csv and nothing else."""
    before = build_district(300, 5, CONTRACT).tables
    original = Streams.from_seed

    def other_matrix(seed: int) -> Streams:
        return dataclasses.replace(original(seed), matrix=np.random.default_rng(seed + 1000))

    monkeypatch.setattr(Streams, "from_seed", classmethod(lambda cls, seed: other_matrix(seed)))
    after = build_district(300, 5, CONTRACT).tables
    for name in before:
        if name != "matrix":
            pd.testing.assert_frame_equal(before[name], after[name], obj=name)
    assert not before["matrix"].equals(after["matrix"])
