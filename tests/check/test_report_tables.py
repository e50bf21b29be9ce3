"""`vastaff check`'s figures on a terminal (check/report.py): each table in the orientation that fits."""

from __future__ import annotations

import io

from rich.console import Console

from vastaff.check.core import CheckReport
from vastaff.check.report import print_report


def _printed(figures: dict, width: int = 80) -> list[str]:
    console = Console(record=True, width=width, file=io.StringIO())
    print_report(CheckReport(figures=figures), console)
    return console.export_text().splitlines()


def _means(schools: int) -> list[dict]:
    return [{"school_id": f"VA{s:02d}", "band": band, "semester": sem, "sections": 100 + s, "students": 2200 + s,
             "mean": 22.0, "limit": 25} for s in range(1, schools + 1) for band in ("4-12", "K-3") for sem in (1, 2)]


def test_many_rows_of_seven_keys_print_one_line_per_row():
    lines = _printed({"section_means": _means(7)})
    rows = [line for line in lines if line.startswith("│ VA")]
    assert len(rows) == 28  # it used to be turned: 29 columns squeezed into 80 characters, every cell empty
    assert rows[0].split("│")[1:8] == [" VA01      ", " 4-12 ", "        1 ", "      101 ", "     2201 ",
                                       " 22.0 ", "    25 "]
    assert max(len(line) for line in lines) <= 80


def _periods(schools: int) -> list[dict]:
    return [{"school_id": f"VA{s:02d}", "doubled": 12, "doubled_floor": 12, "singleton_clashes": 62,
             "singleton_floor": 60, "grade_peak_excess": 0, "max_live_students": 35, "max_live_floor": 35,
             "teacher_mean_class_min": 10.6, "teacher_mean_class_max": 24.2} for s in range(1, schools + 1)]


def test_a_few_rows_of_many_keys_print_turned_with_floors_beside_their_values():
    lines = _printed({"periods": _periods(2)})
    header = next(line for line in lines if "VA01" in line)
    assert [cell.strip() for cell in header.split("┃")[1:4]] == ["school id", "VA01", "VA02"]
    assert any(line.startswith("│ singleton clashes ") and line.count("62 (floor 60)") == 2 for line in lines)
    assert not any("singleton floor" in line for line in lines)  # the floor is beside its value, not a line


def test_rows_of_many_keys_print_one_line_per_row_when_that_fits():
    lines = _printed({"periods": _periods(12)}, width=200)
    assert sum(line.startswith("│ VA") for line in lines) == 12
    assert any("62 (floor 60)" in line for line in lines)


def test_a_mapping_or_list_inside_a_figure_reads_as_text_not_python():
    lines = _printed({"meetings": {"scheduled": 256, "most_per_teacher": {"A4.1": 32, "A4.2": 28},
                                   "schools": ["VA01", "VA02"]}})
    assert "│ most_per_teacher │ A4.1 32, A4.2 28 │" in lines
    assert "│ schools          │ VA01, VA02       │" in lines
