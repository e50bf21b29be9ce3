"""The workday warnings (4.0 A, 4.0 C(1)): IEP meetings the school set outside the on-site window (08:00-14:50, to
15:50 on a day with a faculty-type meeting) or on the Tuesday 13:50-14:50 PD/PLT slot — counted per school by
people/iep/workday.py (printed by `vastaff validate`, exit 0) and by the checker's figures (check/workday.py)."""

from __future__ import annotations

import pandas as pd
import pytest
from typer.testing import CliRunner

from tests.conftest import tiny_tables, write_tables
from vastaff.check.core import CheckContext
from vastaff.check.workday import WORKDAY_FIGURE, workday_figures
from vastaff.cli import app
from vastaff.contract import load_contract
from vastaff.io.district import load_district
from vastaff.people.iep.workday import workday_counts, workday_warnings
from vastaff.schemas.district import Plan

CONTRACT = load_contract()
NO_PLAN = Plan(*(pd.DataFrame() for _ in range(5)))
"""The workday figures read the data alone."""
MONDAY, TUESDAY, WEDNESDAY = "2026-09-14", "2026-09-15", "2026-09-16"

MEETINGS = [  # (id, date, start, end, outside the on-site window, on the PD/PLT slot)
    ("A", MONDAY, "07:45", "08:30", True, False),      # starts before 08:00
    ("B", MONDAY, "14:00", "14:50", False, False),     # ends as the on-site day ends
    ("C", WEDNESDAY, "14:30", "15:00", True, False),   # ends after 14:50 on a day without a faculty-type meeting
    ("D", TUESDAY, "13:30", "14:00", False, True),     # meets the PD/PLT slot
    ("E", TUESDAY, "13:00", "13:50", False, False),    # touches it
    ("F", WEDNESDAY, "13:30", "14:00", False, False),  # the same time on another day
    ("G", TUESDAY, "14:30", "15:10", True, True),      # both
    ("H", MONDAY, "15:00", "15:45", False, False),     # a faculty meeting that Monday: on site until 15:50
]


def data_folder(tmp_path, faculty_monday: bool = True):
    tables = tiny_tables()
    tables["iep_meetings"] = [{"meeting_id": mid, "school_id": "VA1", "student_id": f"ST-{mid}", "grade": 9,
                               "date": date, "start": start, "end": end, "eligible_teacher_ids": "H1;H2"}
                              for mid, date, start, end, _, _ in MEETINGS]
    tables["calendar"] = [{"school_id": "VA1", "date": d, "kind": "instructional"}
                          for d in (MONDAY, TUESDAY, WEDNESDAY)]
    tables["meeting_requests"] = [{"request_id": "FAC", "school_id": "VA1", "kind": "faculty", "audience": "all",
                                   "count": 1, "minutes": 60, "earliest": MONDAY, "latest": WEDNESDAY}]
    if faculty_monday:
        tables["meetings"] = [{"meeting_id": "FAC-1", "request_id": "FAC", "school_id": "VA1", "kind": "faculty",
                               "date": MONDAY, "start": "14:50", "end": "15:50"}]
    return write_tables(tmp_path / ("faculty" if faculty_monday else "plain"), tables)


def expected(faculty_monday: bool = True) -> dict:
    outside = sum(o for *_, o, _ in MEETINGS) + (0 if faculty_monday else 1)  # H is outside without FAC-1
    return {"school_id": "VA1", "iep_meetings": len(MEETINGS), "outside_onsite_window": outside,
            "on_pd_plt_slot": sum(p for *_, p in MEETINGS)}


@pytest.mark.parametrize("faculty_monday", [True, False])
def test_the_counts_per_school(tmp_path, faculty_monday):
    d = load_district(data_folder(tmp_path, faculty_monday), CONTRACT)
    assert workday_counts(d, CONTRACT).to_dict("records") == [expected(faculty_monday)]


@pytest.mark.parametrize("faculty_monday", [True, False])
def test_the_checker_counts_the_same(tmp_path, faculty_monday):
    d = load_district(data_folder(tmp_path, faculty_monday), CONTRACT)
    ctx = CheckContext(d, NO_PLAN, CONTRACT)
    assert workday_figures(ctx) == {WORKDAY_FIGURE: [expected(faculty_monday)]}


def test_nothing_to_warn_about_gives_no_figure_and_no_warning(tmp_path):
    d = load_district(write_tables(tmp_path / "tiny", tiny_tables()), CONTRACT)
    assert workday_warnings(d, CONTRACT) == []
    assert workday_figures(CheckContext(d, NO_PLAN, CONTRACT)) == {}


def test_validate_prints_the_warnings_and_exits_0(tmp_path):
    result = CliRunner().invoke(app, ["validate", str(data_folder(tmp_path))])
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines() == [
        "warning: VA1: 3 of 8 IEP meeting(s) outside the on-site window 08:00-14:50 (15:50 on a day with a "
        "faculty-type meeting) (4.0 A): A, C, G",
        "warning: VA1: 2 of 8 IEP meeting(s) on the PD/PLT slot (Tuesdays 13:50-14:50, 4.0 C(1)): D, G",
    ]


def test_a_long_list_is_cut_after_five_ids(tmp_path):
    d = load_district(data_folder(tmp_path, faculty_monday=False), CONTRACT)
    assert workday_warnings(d, CONTRACT, shown=2)[0].endswith(": A, C and 2 more")
