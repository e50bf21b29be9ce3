"""plan.xlsx (report/workbook.py): sheets, frozen headers and filters, text that stays text, a timetable equal to
sections.csv, costs equal to run.json, vacancies, changes, determinism.

One sample plan per module: data/sample staffed by the clerk's fill (--method greedy), whose timetable has doubled
periods and year and semester sections; variants are copies of its tables.
"""

from __future__ import annotations

import dataclasses
import io
import re
from datetime import datetime
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from vastaff.check.workday import WORKDAY_FIGURE
from vastaff.contract import load_contract
from vastaff.io.district import load_district
from vastaff.io.plan import load_plan, write_plan
from vastaff.nightly import solve_nightly
from vastaff.nightly.sections import SolveSettings
from vastaff.report.context import report_context
from vastaff.report.workbook import NO_PREVIOUS, plan_workbook
from vastaff.schemas.district import matrix_dtypes

SHEETS = ["Summary", "Teachers", "Timetable", "Singleton clashes", "Sections", "Vacancies", "Changes", "IEP",
          "Caseloads", "Rooms"]
SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample"


@pytest.fixture(scope="module")
def contract():
    return load_contract(None)


@pytest.fixture(scope="module")
def district(contract):
    return load_district(SAMPLE, contract)


@pytest.fixture(scope="module")
def plan_dir(tmp_path_factory, district, contract) -> Path:
    nightly = solve_nightly(district, contract, SolveSettings(method="greedy", processes=1))
    return write_plan(tmp_path_factory.mktemp("plan") / "greedy", nightly.tables, nightly.run)


@pytest.fixture(scope="module")
def ctx(district, contract, plan_dir):
    return report_context(district, load_plan(plan_dir), contract)


@pytest.fixture(scope="module")
def book(ctx):
    return openpyxl.load_workbook(io.BytesIO(plan_workbook(ctx)))


def rows(ws) -> list[dict]:
    """A sheet's data rows as dicts by column: the header back to the CSV files' name (`Teacher ID` -> `teacher_id`),
    the timetable's period headers (`S1 P3`, `Homeroom`) as they are."""
    values = list(ws.iter_rows(values_only=True))
    return [dict(zip(map(column, values[0]), line)) for line in values[1:]]


def column(header: str) -> str:
    if re.fullmatch(r"S\d \S+|Homeroom", header):
        return header
    return header.lower().replace(" ", "_").replace("x-time", "xtime")


def summary(ws) -> dict[tuple[str, str], tuple]:
    """(part, item) -> (value, limit or floor, note) of the Summary sheet (the first row of each)."""
    out = {}
    for r in rows(ws):
        out.setdefault((r["part"], r["item"]), (r["value"], r["limit_or_floor"], r["note"]))
    return out


def test_sheets_in_order_with_bold_frozen_header_and_filter(book):
    assert book.sheetnames == SHEETS
    for ws in book.worksheets:
        assert ws.freeze_panes == "A2", ws.title
        assert ws.auto_filter.ref == f"A1:{ws.cell(1, ws.max_column).column_letter}{max(ws.max_row, 2)}", ws.title
        assert all(cell.font.b for cell in ws[1]), ws.title
        assert ws.column_dimensions["A"].width >= len(str(ws["A1"].value))


def test_formula_like_names_and_titles_stay_text(ctx, district):
    names = ["=1+1", "+1", "-x", "@y", '=HYPERLINK("http://x","y")']
    teachers = district.teachers.copy()
    teachers.loc[teachers.index[:len(names)], "name"] = names
    courses = district.courses.copy()
    courses.loc[courses.index[0], "title"] = "=2*3"
    odd = dataclasses.replace(district, teachers=teachers, courses=courses)
    book = openpyxl.load_workbook(io.BytesIO(plan_workbook(dataclasses.replace(ctx, district=odd))))
    cells = {c.value: c for line in book["Teachers"].iter_rows(min_col=2, max_col=2) for c in line}
    for name in names:
        assert cells[name].data_type == "s" and cells[name].value == name
    sections = [c for line in book["Sections"].iter_rows() for c in line if c.value == "=2*3"]
    assert sections and all(c.data_type == "s" for c in sections)
    assert not any(c.data_type == "f" for ws in book.worksheets for line in ws.iter_rows() for c in line)


def test_timetable_equals_sections_csv(book, plan_dir, district):
    """Every teacher's (semester, period) -> courses and students, from the sheet and from sections.csv."""
    titles = dict(zip(district.courses.course_id, district.courses.title))
    sections = pd.read_csv(plan_dir / "sections.csv", dtype=str, keep_default_na=False)
    expected: dict[str, dict] = {t: {} for t in district.teachers.teacher_id}
    for s in sections[sections.teacher_id != ""].itertuples():
        semesters = ("1", "2") if s.semester == "year" else (s.semester,)
        keys = [("*", "homeroom")] if s.period_id == "homeroom" else [(m, s.period_id) for m in semesters]
        for key in keys:
            expected[s.teacher_id].setdefault(key, []).append((titles[s.course_id], int(s.enrollment)))
    got: dict[str, dict] = {}
    for r in rows(book["Timetable"]):
        cells = {k: v for k, v in r.items() if k not in ("teacher_id", "name", "school_id") and v is not None}
        got[r["teacher_id"]] = {_timetable_key(k): [_course(c) for c in v.split(" + ")] for k, v in cells.items()}
    expected = {t: {k: sorted(v) for k, v in by.items()} for t, by in expected.items()}
    assert {t: {k: sorted(v) for k, v in by.items()} for t, by in got.items()} == expected
    assert any(len(v) == 2 for by in got.values() for v in by.values()), "the sample has doubled periods (A6.1)"


def _timetable_key(column: str) -> tuple[str, str]:
    """`S1 P3` -> ("1", "P3"); `Homeroom` -> ("*", "homeroom")."""
    return ("*", "homeroom") if column == "Homeroom" else (column[1], column.split(" ", 1)[1])


def _course(cell: str) -> tuple[str, int]:
    title, students = re.fullmatch(r"(.+) \((\d+)\)", cell).groups()
    return title, int(students)


def test_timetable_periods_in_rotation_order(book):
    header = [c.value for c in book["Timetable"][1]]
    assert header == ["Teacher ID", "Name", "School ID", "Homeroom",
                      *(f"S{s} P{p}" for s in (1, 2) for p in range(1, 7))]


def test_headers_read_as_words(book):
    """The CSV files' column names as a person reads them; the frames (and the CSV files) keep theirs."""
    header = [c.value for c in book["Teachers"][1]]
    assert header[:10] == ["Teacher ID", "Name", "School ID", "Level", "Department", "Role", "Sections S1",
                           "Sections S2", "Courses S1", "Courses S2"]
    assert "X-time hours" in header and "Total cost" in header
    assert [c.value for c in book["IEP"][1]][:6] == ["Meeting ID", "School ID", "Date", "Start", "End", "Student grade"]


def test_grades_as_people_write_them(ctx, district, contract, book):
    """K, TK and UTK, not 0, -1 and -2: in the Sections sheet, a vacancy's grades and a meeting's student."""
    by_course = {r["course_id"]: r["grades"] for r in rows(book["Sections"])}
    assert (by_course["VA01-E-K"], by_course["VA01-E-TK"], by_course["VA01-E-G1"]) == ("K", "TK", "1")
    grades = {r["student_grade"] for r in rows(book["IEP"])}
    assert grades & {"K", "TK"} and not grades & {0, -1, -2}, grades
    assert all(isinstance(g, int) for g in grades - {"UTK", "TK", "K"})
    sections = ctx.plan.sections.copy()
    sections.loc[sections.course_id == "VA01-E-K", "teacher_id"] = pd.NA
    vacant = report_context(district, dataclasses.replace(ctx.plan, sections=sections), contract)
    got = rows(openpyxl.load_workbook(io.BytesIO(plan_workbook(vacant)))["Vacancies"])
    assert {r["grades"] for r in got if r["course_id"] == "VA01-E-K"} == {"K"}


def test_summary_costs_equal_run_json_in_dollars(ctx):
    costs = {"stipend": 1234.5, "multigrade": 250.0, "xtime": 99.99, "total": 1584.49}
    plan = dataclasses.replace(ctx.plan, run={**ctx.plan.run, "costs": costs})
    ws = openpyxl.load_workbook(io.BytesIO(plan_workbook(dataclasses.replace(ctx, plan=plan))))["Summary"]
    items = {"stipend": "stipend (A6.3)", "multigrade": "multi-grade (A8.5)", "xtime": "X-time (A12)",
             "total": "total"}
    got = {key: summary(ws)[("cost", item)][0] for key, item in items.items()}
    assert got == costs
    money = [line[2] for line in ws.iter_rows(min_row=2) if line[0].value == "cost"]
    assert [c.number_format for c in money] == ['"$"#,##0.00'] * 4
    s = summary(ws)
    assert s[("run", "status")][0] == ctx.plan.run["status"] and s[("run", "method")][0] == "greedy"
    assert s[("run", "input sha256")][0] == ctx.plan.run["input_sha256"]
    assert s[("check", "verdict")][0] == "OK"


def test_summary_of_a_hand_made_plan_without_run_json_is_blank(ctx):
    plan = dataclasses.replace(ctx.plan, run={"costs": "n/a", "vacancies": []})
    ws = openpyxl.load_workbook(io.BytesIO(plan_workbook(dataclasses.replace(ctx, plan=plan))))["Summary"]
    s = summary(ws)
    assert s[("run", "status")] == (None, None, None)
    assert s[("cost", "total")][0] is None and s[("run", "input sha256")][0] is None
    assert s[("run", "vacancies")][0] == len(ctx.vacancies)


def test_school_figures_beside_their_limits(book, ctx):
    s = summary(book["Summary"])
    means = ctx.check.figures["section_means"][0]
    key = ("school " + means["school_id"],
           f"mean class size, band {means['band']}, semester {means['semester']} (A8.1)")
    assert s[key][:2] == (means["mean"], means["limit"])
    doubled = {r["school_id"]: r for r in ctx.check.figures["periods"]}["VA01"]
    assert s[("school VA01", "doubled periods (A6.1)")][:2] == (doubled["doubled"], doubled["doubled_floor"])
    assert s[("school VA01", "largest live group (students one teacher meets at once)")][:2] == (
        doubled["max_live_students"], doubled["max_live_floor"])  # the timetable's measures as report.html shows them
    assert s[("school VA01", "grade-peak excess")][:2] == (doubled["grade_peak_excess"], 0)
    caseload = {r["school_id"]: r for r in ctx.check.figures["A7.3 caseloads per school"]}["VA02"]
    assert s[("school VA02", "largest caseload (A7.3)")][:2] == (caseload["max"], caseload["cap"])
    courses = ctx.plan.teachers.merge(ctx.district.teachers[["teacher_id", "school_id"]], on="teacher_id")
    most = courses[courses.school_id == "VA01"][["courses_s1", "courses_s2"]].max().max()
    assert s[("school VA01", "most courses per teacher in a semester (A6.3)")][:2] == (
        most, ctx.contract.max_courses_per_semester)  # report.html's A6.3 row: plan.xlsx had none


def test_iep_timing_warnings_and_matrix_choices_as_report_html_shows_them(book, ctx):
    """4.0 A (a warning) and A9.1 per school: report.html had them, plan.xlsx's Summary did not."""
    timing = {r["school_id"]: r for r in ctx.check.figures[WORKDAY_FIGURE]}["VA01"]
    item = "IEP meetings the school set outside the on-site window / on the PD/PLT slot (4.0 A)"
    assert summary(book["Summary"])[("school VA01", item)] == (
        f"{timing['outside_onsite_window']} / {timing['on_pd_plt_slot']}", None,
        f"a warning, not a violation; {timing['iep_meetings']} meetings")
    matrix = {"school_id": "VA02", "level": "high", "teachers_with_choices": 7, "first_choice": 4, "within_top3": 6,
              "none_granted": 1}
    chose = dataclasses.replace(ctx, check=dataclasses.replace(ctx.check, figures={**ctx.check.figures,
                                                                                   "matrix": [matrix]}))
    got = summary(openpyxl.load_workbook(io.BytesIO(plan_workbook(chose)))["Summary"])
    assert got[("school VA02", "matrix choices granted, high (A9.1)")] == (
        "4 first / 6 top 3 / 1 none", None, "by seniority; 7 teachers listed choices")


def test_a_teacher_paid_a_stipend_is_counted_beside_the_a6_3_limit(tmp_path):
    """A tight district's consenting teacher over the course limit: the Summary says so, as report.html does."""
    from typer.testing import CliRunner

    from vastaff.cli import app

    data, plan = tmp_path / "d", tmp_path / "p"
    assert CliRunner().invoke(app, ["generate", str(data), "--teachers", "60", "--seed", "2", "--profile", "tight"]
                              ).exit_code == 0
    assert CliRunner().invoke(app, ["solve", str(data), "--out", str(plan), "--store", "off"]).exit_code == 0
    rows = [r for r in summary(openpyxl.load_workbook(plan / "plan.xlsx")["Summary"]).items()
            if r[0][1] == "most courses per teacher in a semester (A6.3)"]
    paid = [value for _, value in rows if "paid a stipend" in str(value[2])]
    assert len(rows) >= 2 and len(paid) == 1 and paid[0][0] > paid[0][1]


def test_vacant_sections_one_row_each_and_the_checker_verdict(ctx, district, contract):
    sections = ctx.plan.sections.copy()
    blank = sections.index[sections.teacher_id.notna()][[0, -1]]
    sections.loc[blank, "teacher_id"] = pd.NA
    vacant = report_context(district, dataclasses.replace(ctx.plan, sections=sections), contract)
    book = openpyxl.load_workbook(io.BytesIO(plan_workbook(vacant)))
    got = rows(book["Vacancies"])
    assert [r["section_id"] for r in got] == sorted({*ctx.vacancies.section_id, *sections.loc[blank, "section_id"]})
    titles = dict(zip(district.courses.course_id, district.courses.title))
    assert all(r["course_title"] == titles[r["course_id"]] and isinstance(r["students"], int) for r in got)
    s = rows(book["Summary"])
    found = vacant.check.violations
    assert next(r for r in s if r["item"] == "verdict")["value"] == f"{len(found)} violations"
    listed = [(r["item"], r["value"], r["note"]) for r in s if r["part"] == "violation"]
    assert listed == [(", ".join(v.rules), v.article, v.message) for v in found]
    demand = sorted(note.split()[1] for rule, _, note in listed if rule == "DEMAND" and "not listed" in note)
    assert demand == sorted(sections.loc[blank, "section_id"]), "a blanked section not in run.json is caught"
    avoidable = sorted(note.split()[1] for rule, _, note in listed if rule == "DEMAND" and "could take it" in note)
    assert avoidable == demand, "and its teacher, who just had it, could take it (check/avoidable.py)"
    assert next(r for r in s if r["item"] == "vacancies")["value"] == len(ctx.vacancies) + 2


def test_changes_with_names_or_one_line_without_previous(ctx, book):
    changes = pd.DataFrame({"teacher_id": ["T00001", "T00002", "T09999"], "what": ["courses", "site", "site"],
                            "before": ["+1 Algebra", "WC01", "home"], "after": ["-x", "", ""],
                            "summary": ["Algebra x1 -> x", "WC01 -> home", ""]})
    ws = openpyxl.load_workbook(io.BytesIO(plan_workbook(dataclasses.replace(ctx, changes=changes))))["Changes"]
    names = dict(zip(ctx.district.teachers.teacher_id, ctx.district.teachers.name))
    assert [list(r.values()) for r in rows(ws)] == [
        ["T00001", names["T00001"], "courses", "Algebra x1 -> x", "+1 Algebra", "-x"],
        ["T00002", names["T00002"], "site", "WC01 -> home", "WC01", None],
        ["T09999", "not in teachers.csv tonight", "site", None, "home", None]]  # a teacher who left: was a blank name
    assert rows(book["Changes"]) == [{"teacher_id": NO_PREVIOUS, "name": None, "what": None, "change": None,
                                      "before": None, "after": None}]


def test_teachers_sheet_load_costs_and_locks(ctx, district):
    locks = pd.DataFrame([{"lock_id": "L1", "teacher_id": "T00005", "mode": "require", "_row": 2}]).reindex(
        columns=district.locks.columns)
    paid = ctx.plan.teachers.assign(stipend_cost=lambda f: f.stipend_cost.mask(f.teacher_id == "T00003", 600.0))
    locked = dataclasses.replace(ctx, district=dataclasses.replace(district, locks=locks),
                                 plan=dataclasses.replace(ctx.plan, teachers=paid))
    got = rows(openpyxl.load_workbook(io.BytesIO(plan_workbook(locked)))["Teachers"])
    assert [r["teacher_id"] for r in got] == list(district.teachers.teacher_id)
    held = ctx.plan.sections.dropna(subset=["teacher_id"])
    for semester in ("1", "2"):  # a year section in both: a reviewer read 8 semester sections beside 4 year ones
        meets = held[held.semester.isin((semester, "year"))].teacher_id.value_counts()
        assert {r["teacher_id"]: r[f"sections_s{semester}"] for r in got} == {
            t: int(meets.get(t, 0)) for t in district.teachers.teacher_id}
    plan = paid.set_index("teacher_id")
    assert all(r["courses_s1"] == plan.courses_s1[r["teacher_id"]] and (r["stipend_cost"] or 0) == plan.stipend_cost[
        r["teacher_id"]] for r in got)
    assert {r["stipend_cost"] for r in got if plan.stipend_cost[r["teacher_id"]] == 0} == {None}, "no cost is blank"
    assert [(r["teacher_id"], r["stipend_cost"], r["total_cost"]) for r in got if r["total_cost"]] == [
        ("T00003", 600, 600)]
    assert [(r["teacher_id"], r["locked"]) for r in got if r["locked"]] == [("T00005", "yes")]
    assert "matrix_rank" not in got[0], "no matrix.csv in the sample"


def test_matrix_rank_received(ctx, district):
    """A9.1: T00001 listed a course they do not teach first and one they teach second; they received rank 2."""
    taught = ctx.plan.sections[ctx.plan.sections.teacher_id == "T00001"].course_id.iloc[0]
    other = district.courses[district.courses.course_id != taught].course_id.iloc[0]
    matrix = matrix_dtypes(pd.DataFrame({"teacher_id": ["T00001", "T00001"], "rank": [1, 2], "grade": [pd.NA, pd.NA],
                                         "course_id": [other, taught], "level": [None, None], "_row": [2, 3]}))
    chose = dataclasses.replace(ctx, district=dataclasses.replace(district, matrix=matrix))
    got = {r["teacher_id"]: r for r in rows(openpyxl.load_workbook(io.BytesIO(plan_workbook(chose)))["Teachers"])}
    assert (got["T00001"]["matrix_choices"], got["T00001"]["matrix_rank"]) == (2, 2)
    assert (got["T00002"]["matrix_choices"], got["T00002"]["matrix_rank"]) == (None, None)


def test_people_sheets_agree_with_the_plan(book, ctx):
    iep = rows(book["IEP"])
    assert len(iep) == len(ctx.plan.iep_assignments)
    assert all(isinstance(r["date"], datetime) and isinstance(r["needs_coverage"], bool) for r in iep)
    caseloads = rows(book["Caseloads"])
    assert sum(r["students"] for r in caseloads) == len(ctx.plan.caseloads)
    assert all(len(r["student_ids"].split("; ")) == r["students"] for r in caseloads if r["students"])
    rooms = rows(book["Rooms"])
    placed = ctx.plan.teachers.dropna(subset=["room_id"])
    assert sum(r["teachers_placed"] or 0 for r in rooms) == len(placed)
    assert {r["room_id"] for r in rooms} == set(ctx.district.rooms.room_id)


def test_rooms_name_every_site_and_the_site_choosers_without_one(ctx):
    figure = ctx.check.figures["A19 rooms and shortfall per site"] + [
        {"site_id": "(none)", "region_id": "", "status": "", "places": 0, "placed": 0, "free": 0,
         "site_choosers_at_home": 2}]
    check = dataclasses.replace(ctx.check, figures={**ctx.check.figures, "A19 rooms and shortfall per site": figure})
    rooms = rows(openpyxl.load_workbook(io.BytesIO(plan_workbook(dataclasses.replace(ctx, check=check))))["Rooms"])
    names = dict(zip(ctx.district.sites.site_id, ctx.district.sites.name))
    assert all(r["site_name"] == names[r["site_id"]] for r in rooms if r["site_id"] != "(none)")
    assert [(r["site_name"], r["site_choosers_at_home"]) for r in rooms if r["site_id"] == "(none)"] == [
        ("no current site (site choosers who had none)", 2)]


def test_same_plan_same_bytes(ctx):
    assert plan_workbook(ctx) == plan_workbook(ctx)


def test_a_plan_without_rows_gives_headers_only(ctx, district, contract):
    """A hand-made plan folder with no rows at all (and no run.json): every sheet is there, nothing breaks."""
    empty = dataclasses.replace(ctx.plan, **{name: getattr(ctx.plan, name).iloc[:0] for name in (
        "sections", "section_grades", "teachers", "iep_assignments", "caseloads")}, run={})
    book = openpyxl.load_workbook(io.BytesIO(plan_workbook(report_context(district, empty, contract))))
    assert book.sheetnames == SHEETS
    assert len(rows(book["Timetable"])) == len(district.teachers)
    assert all(len(r) == 3 + 12 and not any(list(r.values())[3:]) for r in rows(book["Timetable"]))
    assert rows(book["Sections"]) == [] and rows(book["IEP"]) == []
    teachers = rows(book["Teachers"])
    assert [(r["sections_s1"], r["sections_s2"]) for r in teachers] == [(0, 0)] * len(district.teachers)
    assert all(r["courses_s1"] is None and r["work_location"] is None for r in teachers)


def test_singleton_clashes_are_listed_one_by_one_and_add_up_to_the_figure(book, ctx):
    """A principal read 'singleton clashes 27 | floor 27' and found no list of them: the sheet lists each period
    where single-section courses of one grade meet together, its pairs adding up to the checker's figure per school,
    each section meeting then (timetable.csv)."""
    listed = rows(book["Singleton clashes"])
    assert listed
    pairs: dict[str, int] = {}
    for r in listed:
        pairs[r["school_id"]] = pairs.get(r["school_id"], 0) + r["pairs"]
    figure = {r["school_id"]: r["singleton_clashes"] for r in ctx.check.figures["periods"]}
    assert pairs == {school: n for school, n in figure.items() if n and school != "district"}
    meets = {(str(r.semester), r.period_id, s) for r in ctx.timetable.itertuples() for s in r.section_ids.split(";")}
    for r in listed:
        sections = re.findall(r"\(([^()]+)\)", r["courses_meeting_together"])
        assert len(sections) * (len(sections) - 1) // 2 == r["pairs"] and len(sections) >= 2
        assert all((str(r["semester"]), r["period_id"], s) in meets for s in sections), r
