"""The checker's vocabulary: a violation is data, a `vastaff.rules.Finding` (rule ID, message, rows; the article
comes from the registry), never a print.

The checker knows the contract (docs/contract.md) and the data schemas, and nothing of any solver:
nothing under `vastaff.check` imports `vastaff.cpsat`, `vastaff.people.location`, `vastaff.displace` or `vastaff.nightly.sections`.

Besides the types, this module holds the few derived tables every section rule reads (sections joined with
their course, grades per section, section-semesters), computed once per CheckContext and cached on it.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

import pandas as pd

from vastaff.contract import ContractModel
from vastaff.rules import Finding, RowRef
from vastaff.schemas.district import District, Plan
from vastaff.schemas.fields import HOMEROOM, grade_name


@dataclass(frozen=True)
class CheckContext:
    """Everything a rule check may read: tonight's data, the plan under test, the contract.

    `names`: messages show a teacher's name next to the ID (`H1 (Cy Math)`); by default the ID only, so that
    logs and the outputs people pass around carry no names. `folder`: the plan is the folder at `plan.path` as it
    stands (`vastaff check`), so the tables for people there are its own (check/people_files.py); a plan a solve or a
    report is about to write has last night's files, or none, there.
    """

    district: District
    plan: Plan
    contract: ContractModel
    previous: Plan | None = None
    names: bool = False
    folder: bool = False
    cache: dict = field(default_factory=dict, repr=False, compare=False)


@dataclass
class CheckReport:
    violations: list[Finding] = field(default_factory=list)
    figures: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.violations

    def as_dict(self) -> dict:
        return {"ok": self.ok, "violations": [v.as_violation_dict() for v in self.violations], "figures": self.figures}


CheckFn = Callable[[CheckContext], list[Finding]]

NOT_CHECKED = "not checked"
"""The figure naming the rules a plan claims nothing about (rules -> why; `runner.not_checked`)."""

# Row files as docs/data-format.md names them. The plan's teachers.csv is told apart from the input's.
SECTIONS, SECTION_GRADES, PLAN_TEACHERS = "sections.csv", "section_grades.csv", "plan/teachers.csv"
TEACHERS, COURSES, DEMAND_FILE, PERIODS = "teachers.csv", "courses.csv", "demand.csv", "periods.csv"

SEMESTER_MEETS = {"1": (1,), "2": (2,), "year": (1, 2)}
"""The semesters a section meets in: a `year` section meets in both."""


def violation(rule: str, message: str, rows: Iterable[RowRef] = ()) -> Finding:
    """A finding of one rule (its article from vastaff.rules), its rows sorted and unique."""
    return Finding.of(rule, message, rows)


def finding(rule: str, message: str, rows: Iterable[RowRef] = ()) -> Finding:
    """A finding of one rule, its rows in the order given (the teacher first, then the rows that explain it)."""
    return Finding((rule,), message, tuple(rows))


def each(frame: pd.DataFrame):
    """The rows of a (usually empty) finding frame as named tuples; nothing at all for an empty frame."""
    return frame.itertuples(index=False) if len(frame) else ()


def refs(file: str, keys: Iterable) -> list[RowRef]:
    return [RowRef(file, str(k)) for k in keys]


def has_section_plan(ctx: CheckContext) -> bool:
    """Section rules apply when the plan has sections.csv or teachers.csv rows, and both section files."""
    return (not ctx.plan.sections.empty or not ctx.plan.teachers.empty) and not section_files_missing(ctx.plan)


SECTION_FILES = ("sections", "section_grades")


def section_files_missing(plan: Plan) -> list[str]:
    """The section files a plan read from disk lacks while it has sections or teachers.csv rows: without them the
    section rules, and the IEP rules that read the grades taught, would find every section vacant and every teacher
    idle, hundreds of lines for one file. A plan built in memory (no path) is taken as it is."""
    if not plan.path or (plan.sections.empty and plan.teachers.empty):
        return []
    return [f"{name}.csv" for name in SECTION_FILES if not plan_has_table(plan, name)]


def plan_has_table(plan: Plan, name: str) -> bool:
    """Whether the plan under test has table `name` at all: rows in memory, or the file/sheet on disk."""
    frame = getattr(plan, name)
    if frame is not None and len(frame):
        return True
    if not plan.path:
        return False
    path = Path(plan.path)
    if path.is_dir():
        return (path / f"{name}.csv").is_file()
    if path.is_file() and path.suffix.lower() in (".xlsx", ".xlsm"):
        return name in _sheet_names(str(path), path.stat().st_mtime_ns)
    return False


@functools.lru_cache(maxsize=4)
def _sheet_names(path: str, _mtime: int) -> tuple[str, ...]:
    """A workbook's sheet names, read once per version of the file."""
    return tuple(pd.ExcelFile(path, engine="calamine").sheet_names)


def section_rule(fn: CheckFn) -> CheckFn:
    """Skip a section rule for a plan without sections or teachers (e.g. a displacement plan)."""

    @functools.wraps(fn)
    def run(ctx: CheckContext) -> list[Finding]:
        return fn(ctx) if has_section_plan(ctx) else []

    return run


def cached(fn: Callable[[CheckContext], object]):
    """Compute a derived table once per CheckContext."""

    key = f"{fn.__module__}.{fn.__qualname__}"

    @functools.wraps(fn)
    def get(ctx: CheckContext):
        if key not in ctx.cache:
            ctx.cache[key] = fn(ctx)
        return ctx.cache[key]

    return get


def fmt_money(x: float) -> str:
    return f"${x:,.2f}"


def fmt_num(x: float) -> str:
    return f"{x:g}" if float(x) != int(x) else str(int(x))


def semesters_text(sems: Iterable[int]) -> str:
    s = sorted(set(int(x) for x in sems))
    return "semester " + " and ".join(str(x) for x in s) if len(s) == 1 else "semesters " + " and ".join(str(x) for x in s)


def short_list(items: Iterable, limit: int = 10) -> str:
    items = [str(i) for i in items]
    more = len(items) - limit
    return ", ".join(items[:limit]) + (f" and {more} more" if more > 0 else "")


# ----------------------------------------------------------------------------------------------
# Derived tables shared by the section rules.


@cached
def teacher_labels(ctx: CheckContext) -> dict[str, str]:
    """teacher_id -> 'H1 (Cy Math)' when the context shows names; teacher_id -> 'H1' otherwise."""
    t = ctx.district.teachers
    labels = t.teacher_id + " (" + t["name"].astype(str) + ")" if ctx.names else t.teacher_id
    return dict(zip(t.teacher_id, labels))


def teacher_label(ctx: CheckContext, teacher_id: str) -> str:
    return teacher_labels(ctx).get(teacher_id, str(teacher_id))


@cached
def course_labels(ctx: CheckContext) -> dict[str, str]:
    """course_id -> 'MA-ALG1 (Algebra 1)'."""
    c = ctx.district.courses
    return dict(zip(c.course_id, c.course_id + " (" + c.title.astype(str) + ")"))


def course_label(ctx: CheckContext, course_id: str) -> str:
    return course_labels(ctx).get(course_id, str(course_id))


@cached
def plan_sections(ctx: CheckContext) -> pd.DataFrame:
    """The plan's sections, one row per section_id (the first row of a repeated ID), joined with the course.

    Adds: course_school, title, subject, credential, level, program, course_semester (NaN for an unknown
    course), vacancy (blank teacher_id), homeroom (period_id is 'homeroom').
    """
    s = ctx.plan.sections.drop_duplicates("section_id", keep="first").copy()
    courses = ctx.district.courses[["course_id", "school_id", "title", "subject", "credential", "level", "program",
                                    "semester"]].rename(columns={"school_id": "course_school", "semester": "course_semester"})
    s = s.merge(courses, on="course_id", how="left")
    s["vacancy"] = s.teacher_id.isna()
    s["homeroom"] = s.period_id.eq(HOMEROOM).fillna(False).astype(bool)
    return s.reset_index(drop=True)


@cached
def section_grade_stats(ctx: CheckContext) -> pd.DataFrame:
    """Per section of the plan: students, and the grades with students (count, lowest, highest, highest >= 0).

    Rows of section_grades with 0 students hold no grade; a section without students has n_grades 0.
    """
    ids = plan_sections(ctx)[["section_id"]]
    g = held_grades(ctx)
    students = ctx.plan.section_grades.groupby("section_id", sort=False).students.sum().astype("int64").rename("students")
    per = g.groupby("section_id", sort=False).grade.agg(n_grades="size", lo="min", hi="max")
    out = ids.merge(pd.concat([students, per], axis=1), left_on="section_id", right_index=True, how="left")
    out["students"] = out.students.fillna(0).astype("int64")
    out["n_grades"] = out.n_grades.fillna(0).astype("int64")
    out["top"] = out.hi.clip(lower=0)
    return out.reset_index(drop=True)


@cached
def held_grades(ctx: CheckContext) -> pd.DataFrame:
    """(section_id, grade) of every grade with students in a section of the plan."""
    g = ctx.plan.section_grades
    g = g[g.section_id.isin(plan_sections(ctx).section_id) & (g.students.astype("int64") > 0)]
    g = g[["section_id", "grade"]].astype({"grade": "int64"}).drop_duplicates()
    return g.reset_index(drop=True)


def grades_text(ctx: CheckContext, section_ids: Iterable[str]) -> dict[str, str]:
    """section_id -> its grades with students, e.g. 'TK;K;1' (for the few sections a message names)."""
    section_ids = set(section_ids)
    if not section_ids:
        return {}
    g = held_grades(ctx)
    g = g[g.section_id.isin(section_ids)].sort_values(["section_id", "grade"])
    return {sid: ";".join(grade_name(x) for x in grp.grade) for sid, grp in g.groupby("section_id", sort=False)}


@cached
def sections_full(ctx: CheckContext) -> pd.DataFrame:
    """plan_sections joined with section_grade_stats."""
    return plan_sections(ctx).merge(section_grade_stats(ctx), on="section_id", how="left")


MEETING_COLUMNS = ["section_id", "course_id", "course_school", "subject", "level", "program", "students",
                   "n_grades", "top"]


@cached
def meetings(ctx: CheckContext) -> pd.DataFrame:
    """One row per section and semester it meets (`term` 1 or 2): a `year` section twice.

    Read from every row of sections.csv (a year section split into a semester-1 and a semester-2 row still
    meets twice); teacher and period come from the row, everything else from the section's first row.
    """
    expand = pd.DataFrame([(k, v) for k, sems in SEMESTER_MEETS.items() for v in sems], columns=["semester", "term"])
    rows = ctx.plan.sections[["section_id", "semester", "period_id", "teacher_id"]]
    m = rows.merge(expand, on="semester", how="inner").drop_duplicates(["section_id", "term"], keep="first")
    rest = sections_full(ctx)[MEETING_COLUMNS]
    m = m.merge(rest, on="section_id", how="left")
    m["vacancy"] = m.teacher_id.isna()
    m["homeroom"] = m.period_id.eq(HOMEROOM).fillna(False).astype(bool)
    return m.reset_index(drop=True)


def merged_over_semesters(groups: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Collapse per-semester findings that involve the same sections into one row with both semesters.

    `groups` has columns keys + ['sem', 'sections'] (sections: a sorted tuple of section IDs).
    """
    if groups.empty:
        return groups.assign(sems=pd.Series(dtype=object))
    merged = groups.groupby(keys + ["sections"], sort=True, dropna=False).agg(sems=("term", lambda x: tuple(sorted(x))))
    rest = groups.drop(columns=["term"]).drop_duplicates(keys + ["sections"])
    return rest.merge(merged.reset_index(), on=keys + ["sections"], how="left")


MONEY_TOLERANCE = 0.005
"""Money (and hours) in the plan may differ from the recomputed value by rounding only."""


def column_mismatches(ctx: CheckContext, recomputed: pd.DataFrame, columns: dict[str, str], rule: str,
                      detail: Callable[[CheckContext, list[str]], dict[str, str]] | None = None) -> list[Finding]:
    """Compare per-teacher columns of the plan's teachers.csv with recomputed values; one violation per teacher.

    `columns` maps a column to its kind: 'count' (exact), 'money' or 'hours' (within MONEY_TOLERANCE).
    `detail(ctx, teacher_ids)` explains the recomputed value of the teachers reported, appended to the message.
    """
    plan = ctx.plan.teachers
    if plan.empty:
        return []
    cols = list(columns)
    plan = plan.drop_duplicates("teacher_id")[["teacher_id"] + cols]
    m = plan.merge(recomputed, on="teacher_id", how="inner", suffixes=("_plan", ""))
    flags = pd.DataFrame(index=m.index)
    for col, kind in columns.items():
        a, b = m[f"{col}_plan"].astype(float), m[col].astype(float)
        flags[col] = (a != b) if kind == "count" else ((a - b).abs() > MONEY_TOLERANCE)
    bad = m[flags.any(axis=1)].sort_values("teacher_id")
    if bad.empty:
        return []
    out = []
    why_of = detail(ctx, list(bad.teacher_id)) if detail is not None else {}
    for i, r in bad.iterrows():
        parts = [f"{col} {_value(r[f'{col}_plan'], kind)}, recomputed {_value(r[col], kind)}"
                 for col, kind in columns.items() if flags.at[i, col]]
        why = f" ({why_of[r.teacher_id]})" if why_of.get(r.teacher_id) else ""
        out.append(violation(rule, f"teacher {teacher_label(ctx, r.teacher_id)}: plan/teachers.csv "
                                   + "; ".join(parts) + why, [RowRef(PLAN_TEACHERS, r.teacher_id)]))
    return out


def _value(x, kind: str) -> str:
    if kind == "money":
        return fmt_money(float(x))
    return fmt_num(float(x))
