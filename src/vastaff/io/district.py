"""`load_district(path)`: a data folder (or workbook) -> one validated District, or InputError with every problem.

Problems are found in two passes, and all are reported at once: cells (every cell against its column's type),
then cross-table checks (duplicate IDs, dangling references, rules between columns). A cross-table check runs
whenever the tables it reads could be read at all, so one missing file does not hide the rest. References are
checked against every ID a table lists, even on a row that has a problem of its own, so one bad cell in
schools.csv is one message, not one per teacher of that school; and the rules between rows judge by every good cell
of such a row (io/judging.py), so a teacher with a bad flag still has a school their locks are judged by. A previous
plan (`--previous`, `DATA/previous/`; io/previous.py) must be a plan of this district with sections in it: an empty
one, or one whose IDs are mostly unknown here, would silently switch A12 X-time and stability off or charge them
against the wrong district.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Callable

import pandas as pd

from vastaff.contract import ContractModel, load_contract
from vastaff.schemas.district import District, matrix_dtypes
from vastaff.errors import InputError, InputProblem
from vastaff.io.keys import duplicates, keys_as_written
from vastaff.io.locks import LOCKS, lock_problems
from vastaff.io.matrix import MATRIX, matrix_problems
from vastaff.io.meetings import read_meetings
from vastaff.io.previous import load_previous, previous_path
from vastaff.io.grid import EMPTY_FILE, ROW, no_rows, other_separator, truncated
from vastaff.io.judging import Reads, judging_tables, usable, views, with_dtypes
from vastaff.io.tables import TableSource, empty_frame, raw_ids, validate_cells
from vastaff.schemas.fields import HOMEROOM, _text, grade_name
from vastaff.schemas.inputs import INPUT_TABLES, OPTIONAL_COLUMNS

Label = Callable[[str], str]

KEYS = {
    "schools": ["school_id"], "regions": ["region_id"], "sites": ["site_id"], "rooms": ["room_id"],
    "teachers": ["teacher_id"], "courses": ["course_id"], "demand": ["course_id", "grade"],
    "periods": ["school_id", "period_id"], "iep_meetings": ["meeting_id"], "sped_students": ["student_id"],
    "positions": ["school_id", "level", "department"], "locks": ["lock_id"],
}
"""The key of each input table: no two rows may share it."""

REFERENCES = [
    # (table, column, referenced table, its ID column, blank allowed)
    ("schools", "region_id", "regions", "region_id", False),
    ("sites", "region_id", "regions", "region_id", False),
    ("rooms", "site_id", "sites", "site_id", False),
    ("teachers", "school_id", "schools", "school_id", False),
    ("teachers", "home_region_id", "regions", "region_id", False),
    ("teachers", "current_site_id", "sites", "site_id", True),
    ("teachers", "requested_site_ids", "sites", "site_id", False),
    ("courses", "school_id", "schools", "school_id", False),
    ("demand", "school_id", "schools", "school_id", False),
    ("demand", "course_id", "courses", "course_id", False),
    ("periods", "school_id", "schools", "school_id", False),
    ("iep_meetings", "school_id", "schools", "school_id", False),
    ("iep_meetings", "eligible_teacher_ids", "teachers", "teacher_id", False),
    ("sped_students", "school_id", "schools", "school_id", False),
    ("positions", "school_id", "schools", "school_id", False),
]
"""Every ID column that must name a row of another table (';'-lists: every item)."""

NEEDS_ROWS = {"schools": "VA schools", "regions": "regions", "teachers": "teachers", "courses": "courses",
              "demand": "students per course and grade"}
"""Required tables that must hold at least one data row: without them there is nothing to staff, or no one."""


def load_district(
    path: str | Path,
    contract: ContractModel | None = None,
    previous: str | Path | None = None,
    previous_force: bool = False,
    audiences: bool = False,
) -> District:
    """Read and validate a data folder of CSV files or one .xlsx workbook (docs/data-format.md, "Input").

    `previous` (a plan folder) wins over `DATA/previous/`; `previous_force` accepts a previous plan whose IDs are
    mostly unknown in this data (CLI `--previous-force`); `audiences`: the meeting requests' audiences must hold
    (`vastaff meetings`), else their problems are warnings (MeetingsData.roster). Raises InputError listing every
    problem.
    """
    contract = contract or load_contract()
    source = TableSource.open(path)
    try:
        if not source.exists():
            raise InputError([_missing_source(Path(path))])
        if source.problems:  # a folder that cannot be listed, a workbook that cannot be opened: no table is "missing"
            raise InputError(source.problems)
        tables, cells, raw, broken, problems = _read_tables(source)
        judge = judging_tables(cells, raw, broken, KEYS)  # every row as far as its cells are good: io/judging.py
        problems += _cross_checks(tables, cells, judge, raw, broken, source.label, contract)
        problems += left_out_references(tables, raw, broken, source.label, problems)
        meetings, found = read_meetings(source, judge, broken, raw)  # Article 4.0 C: optional files, io/meetings.py
        problems += found + list(meetings.roster if audiences and meetings is not None else ())
    finally:
        source.close()
    plan = None
    prev_path = previous_path(Path(path), previous)
    if prev_path is not None:
        plan, found = load_previous(prev_path, raw, broken, previous_force)  # io/previous.py
        problems += found
    if problems:
        raise InputError(problems)
    return District(
        **{name: tables[name].reset_index(drop=True) for name in INPUT_TABLES},
        meetings=meetings,
        has_positions=source.has("positions"),
        previous=plan,
        path=str(path),
        input_sha256=source.digest.hexdigest(),
    )


def _missing_source(path: Path) -> InputProblem:
    """What to say when DATA is neither a folder nor a workbook."""
    expected = "a data folder of CSV files or an .xlsx workbook"
    if path.is_file():
        hint = "save it as .xlsx" if path.suffix.lower() in (".xls", ".ods", ".xlsb") else "not a folder or workbook"
        return InputProblem(str(path), expected=f"{expected} (got a {path.suffix or 'plain'} file: {hint})")
    return InputProblem(str(path), expected=f"{expected} (not found)")


def _read_tables(source: TableSource) -> tuple[dict[str, pd.DataFrame], dict[str, pd.DataFrame],
                                               dict[str, pd.DataFrame], set[str], list[InputProblem]]:
    """Typed tables (rows without problems), every row as far as its cells are good (validate_cells; of locks.csv
    and matrix.csv, whose rows no other row names, the typed rows), raw tables, names of tables that could not be
    read, problems."""
    tables: dict[str, pd.DataFrame] = {}
    cells: dict[str, pd.DataFrame] = {}
    raw: dict[str, pd.DataFrame] = {}
    broken: set[str] = set()
    problems: list[InputProblem] = []
    for name, (schema, required) in INPUT_TABLES.items():
        typed, cells[name], raw[name], found, readable = _read_table(source, name, schema, required)
        tables[name] = matrix_dtypes(typed) if name == MATRIX else with_dtypes(typed)
        if name in (MATRIX, LOCKS):
            cells[name] = tables[name]
        problems += found
        if not readable:
            broken.add(name)
    return tables, cells, raw, broken, problems


def _read_table(source: TableSource, name: str, schema, required: bool
                ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, list[InputProblem], bool]:
    """One table: typed rows, every row as far as its cells are good, raw rows, problems, and whether its columns
    could be read at all."""
    label = source.label(name)
    none = empty_frame(schema)
    if not source.has(name):
        if not required:
            return none, none, no_rows(), [], True
        what = "sheet" if source.sheets is not None else "file"
        return none, none, no_rows(), [InputProblem(label, expected=f"this required {what} ({what} missing)")], False
    frame, layout = source.read_table(name)
    if not required and any(p.expected == EMPTY_FILE for p in layout):
        return none, none, no_rows(), [], True  # an empty optional file is an empty table
    if list(frame.columns) == [ROW] and layout or other_separator(layout):
        return none, none, no_rows(), layout, False  # nothing readable: no column messages on top
    optional = {c for t, c in OPTIONAL_COLUMNS if t == name}
    typed, cells, found = validate_cells(frame, schema, label, optional)
    if name in NEEDS_ROWS and frame.empty and not layout + found:
        what = "sheet" if source.sheets is not None else "file"
        found = [InputProblem(label, expected=f"at least one data row of {NEEDS_ROWS[name]} (no data rows: the "
                                              f"{what} has a header only)")]
    readable = not truncated(layout) and not any(p.row is None or p.row <= 1 for p in layout + found)
    return typed, cells, frame, layout + found, readable


# ----------------------------------------------------------------------------------------------
# Cross-table checks: duplicates, dangling references, rules between columns; all vectorised.


def _cross_checks(
    t: dict[str, pd.DataFrame], cells: dict[str, pd.DataFrame], judge: dict[str, pd.DataFrame],
    raw: dict[str, pd.DataFrame], broken: set[str], L: Label, contract: ContractModel
) -> list[InputProblem]:
    """Duplicate keys (of every row as far as its key cells are good), dangling references (of the typed tables
    `t`) and row rules (each on `views` of `judging_tables`), over every table that could be read."""
    p: list[InputProblem] = []
    for name, keys in KEYS.items():
        if name not in broken:
            p += duplicates(keys_as_written(usable(cells[name], tuple(keys)), raw[name], keys), keys, L(name))
    for name, column, target, target_column, blank_ok in REFERENCES:
        if name in broken or target in broken:
            continue
        expected = f"a {target_column} listed in {L(target)}" + (", or blank" if blank_ok else "")
        p += dangling(t[name], column, raw_ids(raw[target], target_column), L(name), expected)
    for reads, check in _row_rules():
        if not broken.intersection(reads):
            p += check(views(judge, reads), L, contract)
    return p + lock_problems(judge, raw, broken, L, p) + matrix_problems(judge, raw, broken, L, contract)


def _row_rules() -> list[tuple[Reads, Callable]]:
    """Rules between columns or tables, each with the columns it reads of each table (skipped if a table could not
    be read; a row takes part when those cells of it are good)."""
    schools = {"schools": ("school_id", "levels")}
    return [
        (schools | {"teachers": ("school_id", "level")}, partial(_level_offered_by, name="teachers")),
        (schools | {"courses": ("school_id", "level")}, partial(_level_offered_by, name="courses")),
        (schools | {"positions": ("school_id", "level")}, partial(_level_offered_by, name="positions")),
        ({"teachers": ("grade_min", "grade_max")}, _teacher_grade_range),
        ({"schools": ("school_id",), "courses": ("course_id", "level", "school_id"),
          "demand": ("school_id", "course_id", "grade")}, _demand_matches_course),
        ({"courses": ("level", "semester")}, _elementary_courses_year),
        ({"periods": ("period_id",)}, _homeroom_reserved),
        ({"courses": ("course_id", "school_id", "level"), "demand": ("course_id", "school_id", "students"),
          "periods": ("school_id", "kind")}, _secondary_schools_have_periods),
        ({"iep_meetings": ("start", "end")}, _meeting_ends_after_start),
        ({"iep_meetings": ("school_id", "eligible_teacher_ids"), "teachers": ("teacher_id", "school_id")},
         _eligible_teachers_of_school),
        ({"sites": ("priority_site", "status")}, _priority_site_open),
    ]


def dangling(frame: pd.DataFrame, column: str, valid: set, label: str, expected: str) -> list[InputProblem]:
    """Rows whose reference (or any item of a ';'-list) is not among `valid`."""
    if frame.empty:
        return []
    values = frame[column]
    if values.dtype == object and isinstance(values.iloc[0], tuple):
        return [InputProblem(label, int(r), column, v, expected)
                for r, items in zip(frame[ROW], values) for v in items if v not in valid]
    bad = frame[values.notna() & ~values.isin(valid)]
    return [InputProblem(label, int(r), column, str(v), expected) for v, r in zip(bad[column], bad[ROW])]


def left_out_references(t: dict[str, pd.DataFrame], raw: dict[str, pd.DataFrame], broken: set[str], L: Label,
                        found: list[InputProblem]) -> list[InputProblem]:
    """The dangling references of rows left out of the typed tables for a problem of their own (a bad flag beside an
    unknown region): said in the same run, not after that problem is fixed; a cell already reported is not again."""
    said = {(p.file, p.row, p.column) for p in found}
    out: list[InputProblem] = []
    for name, column, target, target_column, blank_ok in REFERENCES:
        if name in broken or target in broken or column not in raw[name].columns:
            continue
        rows = raw[name][~raw[name][ROW].isin(t[name][ROW])]
        valid = raw_ids(raw[target], target_column)
        expected = f"a {target_column} listed in {L(target)}" + (", or blank" if blank_ok else "")
        for row, cell in zip(rows[ROW], rows[column]):
            items = [i.strip() for i in _text(cell).split(";")] if column.endswith("_ids") else [_text(cell)]
            out += [InputProblem(L(name), int(row), column, item, expected) for item in items
                    if item and item not in valid and (L(name), int(row), column) not in said]
    return out


def _rule_of_rows(frame: pd.DataFrame, mask: pd.Series, label: str, column: str,
                  expected: str | Callable[[pd.DataFrame], pd.Series],
                  shown: Callable[[pd.DataFrame], pd.Series] | None = None) -> list[InputProblem]:
    """One problem per row where `mask` holds; `expected` (and the value shown) may be computed from the bad rows."""
    bad = frame[mask.to_numpy(dtype=bool)]
    if bad.empty:
        return []
    exp = expected(bad) if callable(expected) else [expected] * len(bad)
    values = shown(bad) if shown is not None else bad[column].astype(str)
    return [InputProblem(label, int(r), column, str(v), str(e)) for r, v, e in zip(bad[ROW], values, exp)]


def _level_offered_by(t: dict[str, pd.DataFrame], L: Label, contract: ContractModel, name: str) -> list[InputProblem]:
    """A teacher's, course's or position's level is one its school offers (schools.csv levels; Article 9.0(1))."""
    f = t[name]
    levels_of = t["schools"].drop_duplicates("school_id").set_index("school_id").levels
    if f.empty or levels_of.empty:
        return []
    offered = levels_of.explode()
    offered_keys = set(offered.index + "\x1f" + offered)
    mask = f.school_id.isin(levels_of.index) & ~(f.school_id + "\x1f" + f.level).isin(offered_keys)
    return _rule_of_rows(f, mask, L(name), "level",
                         lambda b: "a level school " + b.school_id + " offers: "
                         + b.school_id.map(levels_of).map(", ".join) + f" ({L('schools')})")


def _teacher_grade_range(t: dict[str, pd.DataFrame], L: Label, contract: ContractModel) -> list[InputProblem]:
    """A teacher's grade_min is at or below grade_max."""
    tt = t["teachers"]
    if tt.empty:
        return []
    return _rule_of_rows(tt, tt.grade_min > tt.grade_max, L("teachers"), "grade_max",
                         lambda b: "a grade at or above grade_min " + b.grade_min.map(grade_name),
                         shown=lambda b: b.grade_max.map(grade_name))


def _demand_matches_course(t: dict[str, pd.DataFrame], L: Label, contract: ContractModel) -> list[InputProblem]:
    """A demand row names its course's own school, and a grade of its course's level (the model's grades of a level;
    docs/data-format.md, "Rules between files").

    A course at an unknown school is reported once, on the course (not again on each of its demand rows)."""
    courses = t["courses"][["course_id", "level", "school_id"]].rename(columns={"school_id": "course_school"})
    courses = courses[courses.course_school.isin(t["schools"].school_id)]
    d = t["demand"].merge(courses, on="course_id", how="inner")
    if d.empty:
        return []
    bounds = {lv: contract.level_grades(lv) for lv in d.level.unique()}
    d = d.assign(lo=d.level.map(lambda lv: bounds[lv][0]), hi=d.level.map(lambda lv: bounds[lv][1]))
    out = _rule_of_rows(d, (d.grade < d.lo) | (d.grade > d.hi), L("demand"), "grade",
                        lambda b: "a grade of course " + b.course_id + "'s level, " + b.level + ": "
                        + b.lo.map(grade_name) + ".." + b.hi.map(grade_name),
                        shown=lambda b: b.grade.map(grade_name))
    out += _rule_of_rows(d, d.school_id != d.course_school, L("demand"), "school_id",
                         lambda b: b.course_school + ", the school_id of course " + b.course_id + f" in {L('courses')}")
    return out


def _elementary_courses_year(t: dict[str, pd.DataFrame], L: Label, contract: ContractModel) -> list[InputProblem]:
    """An elementary course is a year-long homeroom (docs/data-format.md, "Rules between files")."""
    c = t["courses"]
    if c.empty:
        return []
    return _rule_of_rows(c, (c.level == "elementary") & (c.semester != "year"), L("courses"), "semester",
                         "year for an elementary course (elementary sections are year-long homerooms)")


def _homeroom_reserved(t: dict[str, pd.DataFrame], L: Label, contract: ContractModel) -> list[InputProblem]:
    """`homeroom` is reserved for elementary homerooms and is not a rotation period (docs/data-format.md)."""
    pr = t["periods"]
    if pr.empty:
        return []
    return _rule_of_rows(pr, pr.period_id.str.lower() == HOMEROOM, L("periods"), "period_id",
                         f"a period_id other than {HOMEROOM} (reserved for elementary homerooms)")


def _secondary_schools_have_periods(t: dict[str, pd.DataFrame], L: Label, contract: ContractModel
                                    ) -> list[InputProblem]:
    """A school with middle or high students in demand has an academic period: without one no section of theirs can
    meet (A6.1), and every one would be a vacancy blamed on periods — one line on periods.csv says why instead."""
    courses = t["courses"][t["courses"].level != "elementary"][["course_id", "school_id"]]
    asked = t["demand"][t["demand"].students > 0].merge(courses, on=["course_id", "school_id"])
    academic = set(t["periods"][t["periods"].kind == "academic"].school_id)
    students = asked[~asked.school_id.isin(academic)].groupby("school_id").students.sum()
    return [InputProblem(L("periods"), None, None, None, (
        f"an academic period of school {school} ({L('demand')} asks for {n:,} middle or high school students there, "
        "and no section of theirs can meet without a period: A6.1)")) for school, n in students.items()]


def _meeting_ends_after_start(t: dict[str, pd.DataFrame], L: Label, contract: ContractModel) -> list[InputProblem]:
    """An IEP meeting ends after it starts (A7.2 overlaps need real intervals)."""
    m = t["iep_meetings"]
    if m.empty:
        return []
    return _rule_of_rows(m, m.end <= m.start, L("iep_meetings"), "end", lambda b: "a time after start " + b.start)


def _eligible_teachers_of_school(t: dict[str, pd.DataFrame], L: Label, contract: ContractModel) -> list[InputProblem]:
    """A meeting's listed eligible teachers teach at the meeting's school (A7.1 rotates within a school)."""
    m = t["iep_meetings"][["school_id", "eligible_teacher_ids", ROW]].explode("eligible_teacher_ids").dropna()
    if m.empty:
        return []
    school_of = t["teachers"].drop_duplicates("teacher_id").set_index("teacher_id").school_id
    m = m.assign(teacher_school=m.eligible_teacher_ids.map(school_of)).dropna(subset=["teacher_school"])
    return _rule_of_rows(m, m.school_id != m.teacher_school, L("iep_meetings"), "eligible_teacher_ids",
                         lambda b: "a teacher_id of school " + b.school_id + f" ({L('teachers')} puts this teacher at "
                         + b.teacher_school + ")")


def _priority_site_open(t: dict[str, pd.DataFrame], L: Label, contract: ContractModel) -> list[InputProblem]:
    """A priority reporting site (Article 11.0) is open (docs/data-format.md, "Rules between files")."""
    s = t["sites"]
    if s.empty:
        return []
    return _rule_of_rows(s, s.priority_site & (s.status != "open"), L("sites"), "status",
                         "open for a priority site (priority_site = true, Article 11.0)")
