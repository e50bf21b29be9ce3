"""changes_vs_previous (sections/changes.py): run.json's counts of tonight's plan against last night's."""

from __future__ import annotations

import pandas as pd

from vastaff.schemas.district import Plan
from vastaff.sections.changes import changes_vs_previous

COLUMNS = ["section_id", "school_id", "course_id", "semester", "period_id", "teacher_id", "enrollment"]


def sections(*rows: tuple[str, str, str, str]) -> pd.DataFrame:
    """(section_id, course_id, period_id, teacher_id) rows of one school, semester 1."""
    return pd.DataFrame([(s, "VA1", c, "1", p, t, 20) for s, c, p, t in rows], columns=COLUMNS)


def previous(frame: pd.DataFrame) -> Plan:
    empty = pd.DataFrame()
    return Plan(sections=frame, section_grades=empty, teachers=empty, iep_assignments=empty, caseloads=empty)


LAST_NIGHT = sections(("A-1", "ALG", "P1", "H1"), ("G-1", "GEO", "P2", "H1"), ("E-1", "EN", "P1", "H2"))


def test_a_section_added_beside_kept_ones_moved_no_period():
    """H1 gets a second ALG section in P3 (demand grew): 1 new section, no teacher's courses changed, no kept section
    moved (it was counted as a moved period)."""
    tonight = sections(("A-1", "ALG", "P1", "H1"), ("A-2", "ALG", "P3", "H1"), ("G-1", "GEO", "P2", "H1"),
                       ("E-1", "EN", "P1", "H2"))
    assert changes_vs_previous(previous(LAST_NIGHT), tonight) == {"sections": 1, "teachers": 0, "periods": 0}


def test_a_kept_section_in_another_period_moved():
    """H2's EN from P1 to P3, H1's ALG and GEO swap periods; a dropped section moves nothing."""
    tonight = sections(("A-1", "ALG", "P2", "H1"), ("G-1", "GEO", "P1", "H1"), ("E-1", "EN", "P3", "H2"))
    assert changes_vs_previous(previous(LAST_NIGHT), tonight) == {"sections": 0, "teachers": 0, "periods": 3}
    fewer = sections(("A-1", "ALG", "P1", "H1"), ("E-1", "EN", "P1", "H2"))
    assert changes_vs_previous(previous(LAST_NIGHT), fewer) == {"sections": 0, "teachers": 1, "periods": 0}
