"""sections/last_night.py: last night's sections as counts of tonight's shapes (a section names its shape by its
course and the grades it seats)."""

from __future__ import annotations

import pandas as pd

from vastaff.schemas.district import Plan
from vastaff.sections.last_night import last_night, last_night_rows

SHAPES = pd.DataFrame({"sid": [0, 1, 2, 3], "course_id": ["ALG", "ALG", "ALG", "GEO"],
                       "grades": [(9,), (10,), (9, 10), (10,)]})
"""Tonight's shapes of school VA1: ALG for grade 9, grade 10 and both; GEO for grade 10."""


def plan(sections: list[tuple], seats: list[tuple]) -> Plan:
    """A previous plan of (section_id, school_id, course_id, teacher_id or None) and (section_id, grade, students)."""
    s = pd.DataFrame(sections, columns=["section_id", "school_id", "course_id", "teacher_id"])
    g = pd.DataFrame(seats, columns=["section_id", "grade", "students"])
    return Plan(s, g, *(pd.DataFrame() for _ in range(3)))


LAST_NIGHT = plan([("ALG-01", "VA1", "ALG", "H1"), ("ALG-02", "VA1", "ALG", "H1"), ("ALG-03", "VA1", "ALG", "H2"),
                   ("ALG-04", "VA1", "ALG", None), ("GEO-01", "VA2", "GEO", "H9")],
                  [("ALG-01", 9, 20), ("ALG-02", 9, 19), ("ALG-03", 9, 4), ("ALG-03", 10, 18), ("ALG-04", 10, 21),
                   ("GEO-01", 10, 25)])


def plain(named: pd.DataFrame) -> list[tuple]:
    """Last night's named sections as (section_id, course_id, sid or None, teacher_id or None)."""
    return [(i, c, None if pd.isna(s) else int(s), None if pd.isna(t) else t)
            for i, c, s, t in named[["section_id", "course_id", "sid", "teacher_id"]].itertuples(index=False)]


def test_each_section_counts_for_the_shape_of_its_course_and_grades():
    """H1's two grade-9 sections, H2's two-grade one, a grade-10 vacancy; GEO-01 is another school's."""
    counts, kept, named = last_night("VA1", SHAPES, last_night_rows(LAST_NIGHT))
    takes, opened, seats = counts
    assert takes.values.tolist() == [["H1", 0, 2], ["H2", 2, 1]]
    assert opened.values.tolist() == [[0, 2, 0], [1, 1, 1], [2, 1, 0], [3, 0, 0]]  # sid, sections, vacant
    assert seats.values.tolist() == [[0, 9, 39], [1, 10, 21], [2, 9, 4], [2, 10, 18], [3, 10, 0]]
    assert kept.equals(takes)
    assert plain(named) == [("ALG-01", "ALG", 0, "H1"), ("ALG-02", "ALG", 0, "H1"), ("ALG-03", "ALG", 2, "H2"),
                            ("ALG-04", "ALG", 1, None)]


def test_a_section_whose_shape_is_gone_leaves_no_counts_but_the_other_teachers_shapes():
    """Tonight ALG has no grade 10 (no shapes 1 and 2): last night's counts cannot hold, H1's shape is still known."""
    counts, kept, named = last_night("VA1", SHAPES[SHAPES.sid.isin([0, 3])], last_night_rows(LAST_NIGHT))
    assert counts is None
    assert kept.values.tolist() == [["H1", 0, 2]]
    assert [sid for _, _, sid, _ in plain(named)] == [0, 0, None, None]  # every section still named, for its ID


def test_nothing_without_last_nights_sections_or_their_grades():
    """No previous plan, none of this school's sections, or a plan without section_grades.csv: nothing is known."""
    for previous, school in ((None, "VA1"), (LAST_NIGHT, "VA3"), (plan([("ALG-01", "VA1", "ALG", "H1")], []), "VA1")):
        counts, kept, _ = last_night(school, SHAPES, last_night_rows(previous))
        assert counts is None and kept.empty and list(kept.columns) == ["teacher_id", "sid", "sections"]
