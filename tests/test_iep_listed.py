"""Overlapping IEP meetings whose explicit eligible lists name fewer teachers than there are meetings (A7.1 + A7.2,
people/iep/listed.py): `vastaff validate` warns before any plan, and `vastaff solve` stops on a conflict of them."""

from __future__ import annotations

from typer.testing import CliRunner

from tests.conftest import tiny_tables, write_tables
from vastaff.cli import app
from vastaff.contract import load_contract
from vastaff.io.district import load_district
from vastaff.people.iep.listed import unholdable_lists

CONTRACT = load_contract()
MONDAY, TUESDAY = "2026-09-14", "2026-09-15"
MEETINGS = [  # (id, date, start, end, eligible list)
    ("X", MONDAY, "10:00", "11:00", "H1"),
    ("Y", MONDAY, "10:30", "11:30", "H1"),     # overlaps X, and names the same one teacher
    ("Z", TUESDAY, "10:00", "11:00", "H1"),    # H1 again, another day
    ("W", MONDAY, "10:00", "11:00", ""),       # no list: who may hold it depends on tonight's sections
    ("V", MONDAY, "10:15", "10:45", "H1;H2"),  # overlaps X and Y: X, Y and V have H1 and H2 for three
]
LINE = ("warning: A7.1 + A7.2: VA1: 2 IEP meetings (X, Y; grade 9) overlap on 2026-09-14 10:30–11:00 but only 1 "
        "eligible teacher can hold them: H1 — by their eligible lists, so no plan can hold them all: `vastaff solve` "
        "will stop with an A7.1 + A7.2 conflict (exit 3)")


def data_folder(tmp_path, meetings=MEETINGS):
    tables = tiny_tables()
    tables["iep_meetings"] = [{"meeting_id": mid, "school_id": "VA1", "student_id": f"ST-{mid}", "grade": 9,
                               "date": date, "start": start, "end": end, "eligible_teacher_ids": listed}
                              for mid, date, start, end, listed in meetings]
    return write_tables(tmp_path / "d", tables)


def test_the_smallest_set_the_lists_cannot_hold_is_named(tmp_path):
    found = unholdable_lists(load_district(data_folder(tmp_path), CONTRACT))
    assert [(f.rules, f.rows) for f in found] == [
        (("A7.1", "A7.2"), (("iep_meetings.csv", "X"), ("iep_meetings.csv", "Y"), ("teachers.csv", "H1")))]


def test_lists_that_can_be_held_give_nothing(tmp_path):
    held = [m for m in MEETINGS if m[0] != "Y"]  # X and V overlap, with H1 and H2 for two
    assert unholdable_lists(load_district(data_folder(tmp_path, held), CONTRACT)) == []


def test_validate_warns_and_exits_0_and_solve_stops_on_it(tmp_path):
    folder = data_folder(tmp_path)
    result = CliRunner().invoke(app, ["validate", str(folder)])
    assert result.exit_code == 0, result.stderr
    assert LINE in result.stderr.splitlines()
    solved = CliRunner().invoke(app, ["solve", str(folder), "--out", str(tmp_path / "plan")])
    assert solved.exit_code == 3
    conflict = solved.stderr.splitlines()[0]  # with tonight's sections W's teachers count too: a larger set
    assert conflict.startswith("A7.1 + A7.2: VA1: 4 IEP meetings (V, W, X, Y; grade 9) overlap on 2026-09-14")
