"""A7.1 eligibility and A7.2 coverage (vastaff.people.iep.eligibility): who may hold a meeting, which meetings need
classroom coverage, which schools share one model."""

from __future__ import annotations

import pandas as pd
import pytest
import yaml

from tests.people.iep.builders import (
    CONTRACT, NO_SECTIONS, district, explicit, meeting, teacher, tonight,
)
from vastaff.contract import DEFAULT_MODEL, contract_from_dict
from vastaff.people.iep import assign_iep_meetings, meeting_times
from vastaff.people.iep.eligibility import eligible_pairs, school_groups


def test_default_eligibility_is_general_classroom_teachers_of_the_school_teaching_the_grade():
    teachers = [teacher("G9"), teacher("G10"), teacher("SPED", department="special_education"),
                teacher("RSP", department="special_education", role="resource_specialist"),
                teacher("OTHER", school="VA2"), teacher("EMPTY"), teacher("VAC")]
    d = district(teachers, [meeting("M1", 9, "13:00", "14:00")])
    sections, grades = tonight({"G9": [9], "G10": [10], "SPED": [9], "RSP": [9], "OTHER": [9], "EMPTY": [9]})
    grades.loc[grades.section_id == sections.section_id[sections.teacher_id == "EMPTY"].iat[0], "students"] = 0
    vacancy = pd.DataFrame([{"section_id": "VSEC", "school_id": "VA1", "course_id": "C", "semester": "1",
                             "period_id": None, "teacher_id": None, "enrollment": 10}])
    sections = pd.concat([sections, vacancy], ignore_index=True)
    grades = pd.concat([grades, pd.DataFrame([{"section_id": "VSEC", "grade": 9, "students": 10}])], ignore_index=True)
    pairs = eligible_pairs(d, meeting_times(d.iep_meetings), sections, grades)
    assert pairs.teacher_id.tolist() == ["G9"]
    assert assign_iep_meetings(d, CONTRACT, sections, grades).assignments.teacher_id.tolist() == ["G9"]


def test_explicit_eligible_list_overrides_the_default():
    d = district([teacher("G9"), teacher("X1"), teacher("X2")],
                 [meeting("M1", 9, "13:00", "14:00", eligible=("X1", "X2"))])
    pairs = eligible_pairs(d, meeting_times(d.iep_meetings), *tonight({"G9": [9]}))
    assert pairs.teacher_id.tolist() == ["X1", "X2"]


@pytest.mark.parametrize("start,end,due", [
    ("07:00", "08:00", False),   # ends at the window's start
    ("11:00", "12:00", False),   # starts at the window's end
    ("07:30", "08:01", True),
    ("10:59", "11:30", True),
    ("08:00", "11:00", True),
    ("07:00", "12:00", True),
    ("12:00", "13:00", False),
])
def test_needs_coverage_at_the_window_edges(start: str, end: str, due: bool):
    d = district([teacher("A")], [meeting("M1", 9, start, end, eligible=("A",))])
    assert explicit(d).assignments.needs_coverage.tolist() == [due]


def test_needs_coverage_reads_the_window_from_the_contract_model():
    raw = yaml.safe_load(DEFAULT_MODEL.read_text())
    raw["workday"]["synchronous_window"]["value"] = {"start": "12:00", "end": "13:00"}
    contract = contract_from_dict(raw)
    d = district([teacher("A")], [meeting("M1", 9, "07:00", "08:30", eligible=("A",)),
                                  meeting("M2", 9, "12:30", "13:30", eligible=("A",))])
    result = assign_iep_meetings(d, contract, *NO_SECTIONS)
    assert result.assignments.needs_coverage.tolist() == [False, True]


def test_a_chain_of_shared_teachers_links_three_schools():
    meetings = [meeting("M1", 9, "09:00", "10:00", school="VA1", eligible=("A", "B")),
                meeting("M2", 9, "09:00", "10:00", school="VA2", eligible=("B", "C")),
                meeting("M3", 9, "09:00", "10:00", school="VA3", eligible=("C",)),
                meeting("M4", 9, "09:00", "10:00", school="VA4", eligible=("D",))]
    d = district([teacher(t) for t in "ABCD"], meetings)
    m = meeting_times(d.iep_meetings)
    assert school_groups(m, eligible_pairs(d, m, *NO_SECTIONS)) == [["VA1", "VA2", "VA3"], ["VA4"]]
