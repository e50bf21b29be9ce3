"""What each data sheet of plan.xlsx holds, as plain DataFrames; report/workbook.py writes them.

Every frame is a join of the context's tables (no loop over rows), so a 20,000-teacher district takes about a
second. Nothing here decides or checks anything: figures come from the checker (`ctx.check.figures`), the timetable
and vacancies from report/tables.py, the matrix rank from the checker's own A9.1 reading. A column missing from a
hand-made plan, or a figure the checker did not compute, leaves blank cells, never an error.
"""

from __future__ import annotations

import pandas as pd

from vastaff.check.core import has_section_plan
from vastaff.check.matrix import granted
from vastaff.diff import CHANGE_COLUMNS, SUMMARY
from vastaff.report.context import NOT_TONIGHT, ReportContext, check_context, site_names
from vastaff.report.tables import GRADE_SEP, HOMEROOM, grade_names
from vastaff.schemas.fields import grade_name
from vastaff.schemas.plan import PLAN_COLUMNS

LIST_SEP = "; "
"""Between the items of a list in one cell (names in a room, students of a caseload)."""
DOUBLED = " + "
"""Between the sections of one timetable cell: a doubled period (A6.1)."""
HOMEROOM_COLUMN = "Homeroom"
TEACHER_MONEY = ("stipend_cost", "multigrade_cost", "xtime_cost", "total_cost")
"""The Teachers sheet's columns in dollars."""


def _names(ctx: ReportContext) -> pd.Series:
    """teacher_id -> name, from the input."""
    t = ctx.district.teachers.drop_duplicates("teacher_id")
    return pd.Series(t["name"].to_numpy(object), index=t.teacher_id.to_numpy(object))


def _titles(ctx: ReportContext) -> pd.Series:
    """course_id -> title, from courses.csv."""
    c = ctx.district.courses.drop_duplicates("course_id")
    return pd.Series(c.title.to_numpy(object), index=c.course_id.to_numpy(object))


def _held(sections: pd.DataFrame) -> pd.DataFrame:
    """The sections that have a teacher."""
    return sections[sections.teacher_id.notna() & (sections.teacher_id.astype(str) != "")]


def _joined(keys: pd.Series, values: pd.Series, sep: str) -> pd.Series:
    """key -> its values as text joined by `sep`, in the order given (one pass: pandas' groupby-agg of a Python
    function slices a Series per group, seconds for 70,000 sections)."""
    groups: dict = {}
    for key, value in zip(keys.tolist(), values.astype(str).tolist()):
        groups.setdefault(key, []).append(value)
    return pd.Series({key: sep.join(items) for key, items in groups.items()}, dtype=object)


def _insert_after(frame: pd.DataFrame, after: str, name: str, values) -> pd.DataFrame:
    out = frame.copy()
    out.insert(out.columns.get_loc(after) + 1, name, values)
    return out


def _plan_table(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    """A plan table with every column of its file (blank when a hand-made file lacks one)."""
    return frame.reindex(columns=PLAN_COLUMNS[name])


# ----------------------------------------------------------------------------------------------
# Teachers


def teachers_sheet(ctx: ReportContext) -> pd.DataFrame:
    """One row per teacher of the input: who, load (sections and courses per semester), costs, place, flags.

    `locked`: the teacher has a row in locks.csv (rule LOCK). With matrix.csv (A9.1): `matrix_choices` listed and
    `matrix_rank`, the best rank granted (blank: none granted), as the checker reads the plan."""
    who = ctx.district.teachers[["teacher_id", "name", "school_id", "level", "department", "role"]]
    plan = _plan_table(ctx.plan.teachers, "teachers").drop_duplicates("teacher_id")
    out = who.merge(plan, on="teacher_id", how="left")
    for at, semester in enumerate(("1", "2"), start=6):  # a year section meets (and counts) in both semesters
        held = _held(ctx.plan.sections)
        held = held[held.semester.astype(str).isin((semester, "year"))].teacher_id.value_counts()
        out.insert(at, f"sections_s{semester}", out.teacher_id.map(held).fillna(0).astype("int64"))
    costs = out[["stipend_cost", "multigrade_cost", "xtime_cost"]].apply(pd.to_numeric, errors="coerce")
    out["total_cost"] = costs.sum(axis=1, min_count=1)
    out["locked"] = out.teacher_id.isin(set(ctx.district.locks.teacher_id.dropna()))
    if not ctx.district.matrix.empty:
        out["matrix_choices"] = out.teacher_id.map(ctx.district.matrix.groupby("teacher_id").size())
        out["matrix_rank"] = out.teacher_id.map(_matrix_rank(ctx))
    return _quiet(out).reset_index(drop=True)


ZERO_BLANK = ("stipend_courses", "stipend_cost", "multigrade_sections", "multigrade_cost", "xtime_hours", "xtime_cost",
              "total_cost")
"""Columns of the Teachers sheet shown blank where they are 0: the few teachers who cost something stand out."""
FLAGS = ("prep_time", "locked")
"""Columns of the Teachers sheet shown "yes" where true, blank otherwise."""


def _quiet(out: pd.DataFrame) -> pd.DataFrame:
    """Zero costs and counts blank, flags "yes" or blank: 20,000 rows of $0.00 and FALSE hide the rows that matter."""
    out = out.copy()
    for name in ZERO_BLANK:
        values = pd.to_numeric(out[name], errors="coerce")
        out[name] = values.mask(values == 0)
    for name in FLAGS:
        true = out[name].astype("string").str.strip().str.lower().isin(["true", "1", "yes"])
        out[name] = pd.Series(None, index=out.index, dtype=object).mask(true, "yes")
    return out


def _matrix_rank(ctx: ReportContext) -> pd.Series:
    """teacher_id -> the best rank of matrix.csv the plan grants them (the checker's A9.1 reading)."""
    check = check_context(ctx)
    if not has_section_plan(check):
        return pd.Series(dtype=float)
    g = granted(check)
    return pd.Series(g.received.to_numpy(float), index=g.teacher_id.to_numpy(object))


# ----------------------------------------------------------------------------------------------
# Timetable


def timetable_sheet(ctx: ReportContext) -> pd.DataFrame:
    """One row per teacher, one column per semester and period: the cell lists the courses met then, `Title (24)`
    with the students, joined by ` + ` in a doubled period (A6.1). Built from timetable.csv, so it is sections.csv.

    Columns: the homerooms (one `Homeroom` column when every homeroom is a year section, else one per semester),
    then semester 1 and semester 2, each with the union of all schools' periods in rotation order."""
    tt = ctx.timetable
    labels = _section_labels(ctx)
    cells = [DOUBLED.join(labels[s] for s in ids.split(";")) for ids in tt.section_ids.tolist()]
    one_homeroom = _one_homeroom_column(ctx)
    homeroom = tt.period_id.eq(HOMEROOM).to_numpy(bool)
    column = ("S" + tt.semester.astype(str) + " " + tt.period_id.astype(str)).to_numpy(object)
    column[homeroom] = [_column_name(sem, HOMEROOM, one_homeroom) for sem in tt.semester[homeroom].tolist()]
    keep = ~(one_homeroom & homeroom & tt.semester.ne("1").to_numpy(bool))
    grid = pd.DataFrame({"teacher_id": tt.teacher_id.to_numpy(object), "column": column, "cell": cells})[keep]
    wide = _one_cell_each(grid).unstack("column")
    rows = _timetable_rows(ctx, tt)
    out = rows.merge(wide, left_on="teacher_id", right_index=True, how="left")
    return out.reindex(columns=[*rows.columns, *_period_columns(ctx, tt, one_homeroom)])


def _one_cell_each(grid: pd.DataFrame) -> pd.Series:
    """(teacher, column) -> cell; a teacher who meets sections of two schools in one period gets them joined."""
    keys = ["teacher_id", "column"]
    if grid.duplicated(keys).any():
        return grid.groupby(keys, sort=False).cell.agg(DOUBLED.join)
    return grid.set_index(keys).cell


def _section_labels(ctx: ReportContext) -> dict[str, str]:
    """section_id -> `Title (students)`; the course ID when courses.csv has no title for it."""
    s = _held(ctx.plan.sections)
    title = s.course_id.map(_titles(ctx)).fillna(s.course_id).astype(str)
    return dict(zip(s.section_id.tolist(), (title + " (" + s.enrollment.astype("int64").astype(str) + ")").tolist()))


def _one_homeroom_column(ctx: ReportContext) -> bool:
    homerooms = _held(ctx.plan.sections)
    return bool(homerooms[homerooms.period_id == HOMEROOM].semester.astype(str).eq("year").all())


def _column_name(semester: str, period_id: str, one_homeroom: bool) -> str:
    if period_id == HOMEROOM:
        return HOMEROOM_COLUMN if one_homeroom else f"S{semester} {HOMEROOM_COLUMN}"
    return f"S{semester} {period_id}"


def _period_columns(ctx: ReportContext, tt: pd.DataFrame, one_homeroom: bool) -> list[str]:
    """Homeroom column(s), then per semester every academic period of any school (and any other period a section
    meets in), by its earliest place in a rotation, then by ID."""
    p = ctx.district.academic_periods()
    rank = p.groupby("period_id")["order"].min().to_dict()
    used = set(tt.period_id.unique().tolist()) - {HOMEROOM}
    periods = sorted(set(rank) | used, key=lambda pid: (pid not in rank, rank.get(pid, 0), pid))
    has_homeroom = bool(tt.period_id.eq(HOMEROOM).any())
    homeroom = ([HOMEROOM_COLUMN] if one_homeroom else [f"S{s} {HOMEROOM_COLUMN}" for s in "12"]) * has_homeroom
    return homeroom + [_column_name(s, pid, one_homeroom) for s in "12" for pid in periods]


def _timetable_rows(ctx: ReportContext, tt: pd.DataFrame) -> pd.DataFrame:
    """Every teacher of the input, then any teacher a section names who is not in it; by teacher ID."""
    who = ctx.district.teachers[["teacher_id", "name", "school_id"]].astype(object)
    others = tt[~tt.teacher_id.isin(set(who.teacher_id))].drop_duplicates("teacher_id")[["teacher_id", "school_id"]]
    rows = pd.concat([who, others.astype(object)], ignore_index=True)
    return rows.sort_values("teacher_id", kind="stable").reset_index(drop=True)


# ----------------------------------------------------------------------------------------------
# Sections, vacancies, changes


def _grades(ctx: ReportContext) -> pd.Series:
    """section_id -> its grades as people write them, in order: `K, 1` (sections.csv's 0 and 1)."""
    g = ctx.plan.section_grades.sort_values(["section_id", "grade"], kind="stable")
    return _joined(g.section_id, g.grade.astype("int64").map(grade_name), GRADE_SEP)


def _grade_cell(grade) -> object:
    """A student's grade in a cell: 1-12 a number, UTK / TK / K as text (not -2 / -1 / 0)."""
    return grade if pd.isna(grade) or int(grade) >= 1 else grade_name(int(grade))


def sections_sheet(ctx: ReportContext) -> pd.DataFrame:
    """sections.csv in its order, with each course's title, the teacher's name and the section's grades."""
    s = _plan_table(ctx.plan.sections, "sections")
    s = _insert_after(s, "course_id", "course_title", s.course_id.map(_titles(ctx)))
    s = _insert_after(s, "teacher_id", "teacher_name", s.teacher_id.map(_names(ctx)))
    return s.assign(grades=s.section_id.map(_grades(ctx))).reset_index(drop=True)


def vacancies_sheet(ctx: ReportContext) -> pd.DataFrame:
    """vacancies.csv (one row per section without a teacher, with run.json's reason), with the course's title."""
    v = ctx.vacancies
    v = v.assign(grades=v.grades.map(grade_names, na_action="ignore")) if "grades" in v.columns else v
    return _insert_after(v, "course_id", "course_title", v.course_id.map(_titles(ctx)))


def changes_sheet(ctx: ReportContext) -> pd.DataFrame:
    """changes.csv with each teacher's name and the change in a line (`change`: 'VA01-M-KEYB S1 P2 -> P5', blank
    where the changes do not know it); no rows without a previous plan."""
    c = (ctx.changes if ctx.changes is not None else pd.DataFrame()).reindex(columns=[*CHANGE_COLUMNS, SUMMARY])
    c = c.rename(columns={SUMMARY: "change"})[["teacher_id", "what", "change", "before", "after"]]
    names = c.teacher_id.map(_names(ctx)).fillna(NOT_TONIGHT) if len(c) else c.teacher_id
    return _insert_after(c, "teacher_id", "name", names).reset_index(drop=True)


# ----------------------------------------------------------------------------------------------
# People: IEP meetings, caseloads, rooms


def iep_sheet(ctx: ReportContext) -> pd.DataFrame:
    """iep_assignments.csv with each meeting's school, date, times and student grade, and the teacher's name
    (A7.1, A7.2); by school, date, start and meeting."""
    meetings = ctx.district.iep_meetings[["meeting_id", "school_id", "date", "start", "end", "grade"]]
    a = _plan_table(ctx.plan.iep_assignments, "iep_assignments")
    out = a.merge(meetings.drop_duplicates("meeting_id").rename(columns={"grade": "student_grade"}),
                  on="meeting_id", how="left")
    out = out.assign(teacher_name=out.teacher_id.map(_names(ctx)), student_grade=out.student_grade.map(_grade_cell))
    cols = ["meeting_id", "school_id", "date", "start", "end", "student_grade", "teacher_id", "teacher_name",
            "needs_coverage"]
    return out[cols].sort_values(["school_id", "date", "start", "meeting_id"], kind="stable").reset_index(drop=True)


def caseloads_sheet(ctx: ReportContext) -> pd.DataFrame:
    """Per resource specialist (the checker's A7.3 figure): students carried against the cap, and who they are."""
    cols = ["teacher_id", "school_id", "students", "cap"]
    per = pd.DataFrame(ctx.check.figures.get("A7.3 caseload per specialist") or [], columns=cols)
    c = _plan_table(ctx.plan.caseloads, "caseloads").dropna(subset=["teacher_id"]).sort_values("student_id")
    students = _joined(c.teacher_id, c.student_id, LIST_SEP)
    per = _insert_after(per, "teacher_id", "name", per.teacher_id.map(_names(ctx)))
    return per.assign(student_ids=per.teacher_id.map(students)).reset_index(drop=True)


def rooms_sheet(ctx: ReportContext) -> pd.DataFrame:
    """One row per room (A19): its site with the checker's figures for the site (room places, teachers placed, free
    places, site choosers left at home), then the room, its capacity and the teachers the plan puts in it."""
    sites = ctx.district.sites[["site_id", "region_id", "status"]]
    figure = pd.DataFrame(ctx.check.figures.get("A19 rooms and shortfall per site") or [],
                          columns=["site_id", "places", "placed", "free", "site_choosers_at_home"]).rename(
        columns={"places": "site_places", "placed": "site_placed", "free": "site_free"})
    sites = sites.merge(figure[["site_id"]], on="site_id", how="outer")
    sites.insert(1, "site_name", sites.site_id.map(site_names(ctx)))
    rooms = ctx.district.rooms[["site_id", "room_id", "kind", "capacity"]].merge(
        _placed(ctx), on=["site_id", "room_id"], how="outer")
    out = sites.merge(figure, on="site_id", how="outer").merge(rooms, on="site_id", how="outer")
    out["teachers_placed"] = out.teachers_placed.fillna(0).astype("int64").where(out.room_id.notna())
    return out.sort_values(["site_id", "room_id"], kind="stable").reset_index(drop=True)


def _placed(ctx: ReportContext) -> pd.DataFrame:
    """Per (site, room) of plan/teachers.csv: how many teachers, and `T00001 Name` of each."""
    t = _plan_table(ctx.plan.teachers, "teachers")
    t = t[t.room_id.notna() & (t.room_id.astype(str) != "")].sort_values("teacher_id")
    who = (t.teacher_id.astype(str) + " " + t.teacher_id.map(_names(ctx)).fillna("").astype(str)).str.strip()
    key = t.site_id.astype(str) + "|" + t.room_id.astype(str)  # "|" is in no ID
    first = t.assign(key=key).drop_duplicates("key")
    return pd.DataFrame({"site_id": first.site_id.to_numpy(object), "room_id": first.room_id.to_numpy(object),
                         "teachers_placed": first.key.map(key.value_counts()).to_numpy("int64"),
                         "teachers": first.key.map(_joined(key, who, LIST_SEP)).to_numpy(object)})
