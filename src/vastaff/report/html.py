"""report.html: one self-contained page a principal reads and prints (no network at open time).

The page, top to bottom: the run's headline, the independent checker's verdict, per school the contract figures next
to their limits (with charts), sites and rooms, vacancies with their reasons, what changed since the previous plan,
and every teacher's timetable, found by name or ID.

Everything shown comes from the `ReportContext` (report/context.py); this module only arranges it. The page is a
Jinja2 template (`report/templates/`) with autoescape on, so every name, title and message is escaped; charts are
SVG strings whose text is escaped (report/charts.py). Timetables travel as one compressed JSON blob (`packed`) from
which a few lines of inline JavaScript build, with `textContent` only, the blocks of the teachers that match the
filter: 20,000 teachers make a few megabytes of data, not 20,000 tables in the page.
"""

from __future__ import annotations

import base64
import functools
import gzip
import json

import pandas as pd
from jinja2 import Environment, PackageLoader, StrictUndefined

from vastaff.check.class_size import band_meetings
from vastaff.check.core import NOT_CHECKED
from vastaff.check.workday import WORKDAY_FIGURE
from vastaff.diff import SUMMARY
from vastaff.people.wording import counted
from vastaff.report import charts
from vastaff.report.context import (
    NOT_TONIGHT, ReportContext, check_context, clash_table, courses_by_school, site_names,
)
from vastaff.report.tables import HOMEROOM, grade_names, plan_size, site_moves
from vastaff.sections.vacancies import id_list

DASH = "–"
LIST_LIMIT = 500
"""Rows shown per list (violations, vacancies, changes); the plan's CSV files and `vastaff check` hold them all."""
TEACHER_LIMIT = 200
"""Teacher blocks shown at once: all of them in a small district; in a large one, the first matches of the filter."""
IEP_FIGURE, CASELOAD_FIGURE = "A7.1/A7.2 IEP meetings per school", "A7.3 caseloads per school"
SITE_FIGURE, LOCATION_FIGURE = "A19 rooms and shortfall per site", "A19/A24 work location"
PERIOD_FIGURES = (("A6.1", "doubled", "doubled_floor", "Doubled periods"),
                  ("timetable", "singleton_clashes", "singleton_floor", "Singleton clashes"),
                  ("timetable", "max_live_students", "max_live_floor", "Largest live group"))
"""The timetable's figures shown per school, each with the floor no timetable can beat (rule, value, floor, name)."""
OK, OVER, ABOVE, PAID = "ok", "over", "above", "paid"
"""A figure's state: within its limit; over a limit of the contract; above the floor no plan can beat; above a limit
the contract allows with pay (A6.3: more courses with the teacher's consent and a stipend)."""


def report_html(ctx: ReportContext, why: dict[str, list[str]] | None = None) -> str:
    """The whole page for `ctx`; `why` gives, per teacher ID, lines explaining that teacher's assignment."""
    return _environment().get_template("report.html").render(
        title=_title(ctx), headline=headline(ctx), check=verdict(ctx), costs=cost_view(ctx),
        schools=school_views(ctx), sites=site_view(ctx), vacancies=vacancy_view(ctx), changes=change_view(ctx),
        timetable=packed(timetable_data(ctx, why or {})))


@functools.cache
def _environment() -> Environment:
    return Environment(loader=PackageLoader("vastaff.report", "templates"), autoescape=True,
                       undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def _title(ctx: ReportContext) -> str:
    name = ctx.district.path.rstrip("/\\").replace("\\", "/").rsplit("/", 1)[-1] if ctx.district.path else ""
    return f"Staffing plan: {name}" if name else "Staffing plan"


def _rows(frame: pd.DataFrame, *columns: str):
    """The columns of `frame` as plain Python values, row by row (pandas' own iteration is slow at 20,000 teachers)."""
    return zip(*(frame[c].tolist() for c in columns))


# ---- the headline -------------------------------------------------------------------------------------------

def _run_value(run: dict, *keys: str):
    """run.json's value at `keys`, or None when a plan made by hand lacks it."""
    value = run
    for key in keys:
        if not isinstance(value, dict) or value.get(key) is None:
            return None
        value = value[key]
    return value


def money(value) -> str:
    """$1,234.50; a dash for a missing value; any other text as it is."""
    if value is None:
        return DASH
    try:
        return f"${float(value):,.2f}"
    except (TypeError, ValueError):
        return str(value)


def _number(value, unit: str = "") -> str:
    """1,234 / 0.0123 / 12.35 (four significant digits below 1,000); a dash for a missing value."""
    if value is None:
        return DASH
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    return f"{value:,.0f}{unit}" if isinstance(value, int) or abs(value) >= 1000 else f"{value:.4g}{unit}"


def headline(ctx: ReportContext) -> list[tuple[str, str]]:
    """(label, value) of the run: run.json's status, costs, gap, time, model and input hash (a dash where it says
    nothing), the checker's verdict and the model it checked against, and the vacancies counted from the sections."""
    run = ctx.plan.run or {}
    costs = [money(_run_value(run, "costs", k)) for k in ("stipend", "multigrade", "xtime")]
    verdict_text = "OK" if ctx.check.ok else f"NOT OK: {len(ctx.check.violations)} violation(s)"
    return [
        ("Status", str(_run_value(run, "status") or DASH)),
        ("Contract check", verdict_text),
        ("Total cost", money(_run_value(run, "costs", "total"))),
        ("Cost breakdown", f"stipend {costs[0]}, multi-grade {costs[1]}, X-time {costs[2]}"),
        ("Vacancies", f"{len(ctx.vacancies):,}"),
        *zip(("Sections", "Classroom teachers"), plan_size(ctx.plan.sections, ctx.district)),
        ("Gap", _number(_run_value(run, "gap"))),
        ("Wall time", _number(_run_value(run, "wall_seconds"), " s")),
        ("Method", str(_run_value(run, "method") or DASH)),
        ("Contract model", str(_run_value(run, "contract_model") or DASH)),
        ("Checked against", ctx.contract.name),
        ("Input hash (SHA-256)", str(_run_value(run, "input_sha256") or DASH)),
        *_prep_time(run),
    ]


def _prep_time(run: dict) -> list[tuple[str, str]]:
    """A9.2 (9.0(2)), when the run was given --first-day: who may request preparation time, and why."""
    block = run.get("prep_time") if isinstance(run, dict) else None
    if not isinstance(block, dict):
        return []
    listed = block.get("teachers")
    teachers = [str(t) for t in listed] if isinstance(listed, list) else []  # a hand-made run.json: any shape
    when = (f"notified {block.get('days_before')} day(s) before the first day {block.get('first_day')} "
            f"(notice: {block.get('notice_days')} days)")
    if not teachers:
        return [("Preparation time (A9.2)", f"nobody: {when}")]
    return [("Preparation time (A9.2)", f"{len(teachers)} teacher(s) whose sections changed may request it, {when}: "
                                        f"{id_list(teachers, shown=10)}")]


def verdict(ctx: ReportContext) -> dict:
    """The checker's verdict: OK, or each violation with its rule IDs, article and message (the first LIST_LIMIT)."""
    found = ctx.check.violations
    rows = [{"rule": " + ".join(v.rules), "article": v.article, "message": v.message} for v in found[:LIST_LIMIT]]
    skipped = ctx.check.figures.get(NOT_CHECKED) or {}
    return {"ok": ctx.check.ok, "violations": rows, "total": len(found), "not_checked": list(skipped.items())}


def cost_view(ctx: ReportContext) -> dict:
    """The checker's recomputed costs (COSTS, A8.5, A12) as a bar chart, or None when every cost is $0."""
    figure = ctx.check.figures.get("costs") or {}
    amounts = {"Stipend (A6.3)": figure.get("stipend", 0.0), "Multi-grade (A8.5)": figure.get("multigrade", 0.0),
               "X-time (A12)": figure.get("xtime", 0.0)}
    counts = (f"{counted(figure.get('stipend_courses', 0), 'stipend course')}, "
              f"{counted(figure.get('multigrade_sections', 0), 'multi-grade section')}, "
              f"{counted(figure.get('xtime_teachers', 0), 'teacher')} with X-time")
    chart = charts.cost_chart("Cost by kind", amounts) if any(amounts.values()) else None
    return {"chart": chart, "counts": counts, "total": money(figure.get("total"))}


# ---- per school ---------------------------------------------------------------------------------------------

def _figure(rule: str, name: str, value, limit: str, state: str, note: str = "") -> dict:
    return {"rule": rule, "name": name, "value": value, "limit": limit, "state": state, "note": note}


def _of_school(ctx: ReportContext, key: str, school_id: str) -> list[dict]:
    rows = ctx.check.figures.get(key) or []
    return [r for r in rows if isinstance(r, dict) and r.get("school_id") == school_id]


def _state(value, limit, worse: str) -> str:
    return worse if value is not None and limit is not None and value > limit else OK


def band_figures(ctx: ReportContext, school_id: str) -> list[dict]:
    """A8.1: the mean general/ELD class per band and semester against the band's limit."""
    return [_figure("A8.1", f"Mean class, band {r['band']}, semester {r['semester']} ({r['sections']} sections)",
                    f"{r['mean']:.2f}", f"≤ {r['limit']}", _state(r["mean"], r["limit"], OVER))
            for r in _of_school(ctx, "section_means", school_id)]


def course_figures(ctx: ReportContext, most: pd.DataFrame, school_id: str) -> list[dict]:
    """A6.3: the most courses a teacher holds in a semester against the limit (beyond it, with a stipend)."""
    if school_id not in most.index:
        return []
    limit, row = ctx.contract.max_courses_per_semester, most.loc[school_id]
    notes = [f"{int(row.paid)} teacher(s) over the limit with their consent, paid a stipend" if row.paid else "",
             f"{int(row.unpaid)} without stipend_consent" if row.unpaid else ""]
    state = OVER if row.unpaid else PAID if row.paid else OK
    return [_figure("A6.3", "Most courses per teacher in a semester", int(row.most), f"≤ {limit}", state,
                    "; ".join(n for n in notes if n))]


def period_figures(ctx: ReportContext, school_id: str) -> list[dict]:
    """A6.1/A6.2: doubled periods, singleton clashes and the largest live group against the floor no timetable beats."""
    return [_figure(rule, name, _number(r.get(value)), f"floor {_number(r.get(floor))}",
                    _state(r.get(value), r.get(floor), ABOVE))
            for r in _of_school(ctx, "periods", school_id) for rule, value, floor, name in PERIOD_FIGURES]


def people_figures(ctx: ReportContext, school_id: str) -> list[dict]:
    """A7.1/A7.2: the spread of IEP meetings per teacher against the least spread; A7.3: the largest caseload;
    4.0 A: IEP meetings the school set outside the on-site day or on the PD/PLT slot (a warning); A9.1: the matrix
    choices granted per level (first choice, within the top 3, none), a figure with no limit."""
    out = [_figure("A7.1", f"IEP meeting spread ({r['meetings']} meetings, {r['eligible_teachers']} teachers)",
                   _number(r.get("plan_spread")), f"least {_number(r.get('least_spread'))}",
                   _state(r.get("plan_spread"), r.get("least_spread"), ABOVE))
           for r in _of_school(ctx, IEP_FIGURE, school_id)]
    out += [_figure("A7.3", f"Largest caseload ({r['specialists']} specialists, {r['students']} students)",
                    _number(r.get("max")), f"≤ {_number(r.get('cap'))}", _state(r.get("max"), r.get("cap"), OVER))
            for r in _of_school(ctx, CASELOAD_FIGURE, school_id)]
    out += [_figure("4.0 A", f"IEP meetings the school set outside the on-site window / on the PD/PLT slot "
                             f"({r['iep_meetings']} meetings)", f"{r['outside_onsite_window']} / {r['on_pd_plt_slot']}",
                    "a warning, not a violation", OK) for r in _of_school(ctx, WORKDAY_FIGURE, school_id)]
    out += [_figure("A9.1", f"Matrix choices granted, {r['level']} ({r['teachers_with_choices']} teachers who listed "
                            f"choices)", f"{r['first_choice']} first / {r['within_top3']} top 3 / {r['none_granted']} "
                            "none", "by seniority", OK) for r in _of_school(ctx, "matrix", school_id)]
    return out


def size_rows(ctx: ReportContext) -> dict[str, list[charts.SizeRow]]:
    """A8.1 chart rows per school: per band and semester, how many sections hold each enrollment, and their mean —
    the very section-semesters the checker's band means count (check/class_size.py)."""
    meetings = band_meetings(check_context(ctx))
    sizes = meetings.groupby(["course_school", "band", "term", "students"]).size()
    out: dict[str, list[charts.SizeRow]] = {}
    for (school, band, term), counts in sizes.groupby(level=[0, 1, 2], sort=True):
        by_size = dict(zip(counts.index.get_level_values("students").astype(int).tolist(), counts.tolist()))
        mean = sum(k * n for k, n in by_size.items()) / sum(by_size.values())
        out.setdefault(school, []).append(
            charts.SizeRow(f"band {band}, sem. {term}", by_size, mean, ctx.contract.band_mean_max.get(band)))
    return out


def _loads(ctx: ReportContext) -> pd.DataFrame:
    """Per classroom teacher: school and sections held in the busier semester (a year section counts in both)."""
    s = ctx.plan.sections[ctx.plan.sections.teacher_id.notna()]
    meets = pd.DataFrame({"teacher_id": s.teacher_id, "s1": s.semester.isin(["1", "year"]),
                          "s2": s.semester.isin(["2", "year"])})
    busiest = meets.groupby("teacher_id")[["s1", "s2"]].sum().max(axis=1)
    staff = ctx.district.teachers[ctx.district.teachers.role == "classroom"][["teacher_id", "school_id"]]
    return staff.assign(sections=staff.teacher_id.map(busiest).fillna(0).astype(int))


def school_views(ctx: ReportContext) -> list[dict]:
    """Per school (ID order): its figures against their limits, its singleton clashes one by one and its two
    charts."""
    most, sizes = courses_by_school(ctx), size_rows(ctx)
    loads = _loads(ctx).groupby("school_id").sections.value_counts()
    clashes = clash_table(ctx)
    out = []
    for school_id, name in sorted(_rows(ctx.district.schools, "school_id", "name")):
        figures = (band_figures(ctx, school_id) + course_figures(ctx, most, school_id)
                   + period_figures(ctx, school_id) + people_figures(ctx, school_id))
        rows = sizes.get(school_id, [])
        load = loads[school_id].to_dict() if school_id in loads.index.get_level_values(0) else {}
        out.append({
            "id": school_id, "name": name, "figures": figures, "over": sum(f["state"] == OVER for f in figures),
            "clashes": clashes[clashes.school_id == school_id].to_dict("records"),
            "size_chart": charts.class_size_chart(f"{school_id} {name}: students per section by band", rows)
            if rows else None,
            "load_chart": charts.histogram_chart(f"{school_id} {name}: sections per teacher (busier semester)",
                                                 load, "section", "teacher") if load else None,
        })
    return out


# ---- sites, vacancies, changes ------------------------------------------------------------------------------

def site_view(ctx: ReportContext) -> dict:
    """A19: places, teachers placed and site choosers left at home per site; A19/A24: where teachers work."""
    names = site_names(ctx)
    rows = [{**r, "name": names.get(r.get("site_id"), ""), "state": OVER if r.get("site_choosers_at_home") else OK}
            for r in ctx.check.figures.get(SITE_FIGURE) or [] if isinstance(r, dict)]
    location = ctx.check.figures.get(LOCATION_FIGURE) or {}
    return {"rows": rows, "location": [(k.replace("_", " "), v) for k, v in location.items()],
            "moves": site_moves(ctx.plan.teachers, ctx.district)}


def _names(ctx: ReportContext) -> dict[str, str]:
    return dict(zip(ctx.district.teachers.teacher_id, ctx.district.teachers.name))


def vacancy_view(ctx: ReportContext) -> dict:
    """Every section left without a teacher, with its course title, grades, students, reason and rule IDs."""
    titles = dict(zip(ctx.district.courses.course_id, ctx.district.courses.title))
    v = ctx.vacancies.head(LIST_LIMIT)
    rows = [{"section_id": r.section_id, "school_id": r.school_id,
             "course": f"{titles.get(r.course_id, '')} ({r.course_id})", "grades": grade_names(r.grades),
             "students": r.students, "reason": r.reason, "rules": r.rules.replace(";", ", ")}
            for r in v.itertuples(index=False)]
    return {"rows": rows, "total": len(ctx.vacancies)}


def change_view(ctx: ReportContext) -> dict | None:
    """What changed per teacher since the previous plan, in a line ('VA01-M-KEYB S1 P2 -> P5', where the changes
    know it: vastaff.diff's `summary`) and in full; None when no previous plan was given."""
    if ctx.changes is None:
        return None
    names = _names(ctx)
    rows = [{"teacher": f"{names.get(r['teacher_id']) or NOT_TONIGHT} ({r['teacher_id']})", "what": r["what"],
             "change": _blank(r.get(SUMMARY)), "before": _blank(r["before"]), "after": _blank(r["after"])}
            for r in ctx.changes.head(LIST_LIMIT).to_dict("records")]
    return {"rows": rows, "total": len(ctx.changes)}


def _blank(value) -> str:
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


# ---- timetables ---------------------------------------------------------------------------------------------

def timetable_data(ctx: ReportContext, why: dict[str, list[str]]) -> dict:
    """The JSON the page's filter reads: per teacher `[id, name, school_id, level, work location, grid]`, the grid
    one `[period, semester 1, semester 2]` row per period (homeroom first, then the school's rotation), each cell the
    course titles with their students; `why`: lines per teacher ID."""
    cells = _cells(ctx)
    rotation = ctx.district.academic_periods().groupby("school_id").period_id.agg(list).to_dict()
    where = _locations(ctx)
    people = sorted(_rows(ctx.district.teachers, "teacher_id", "name", "school_id", "level"))
    teachers = [[t, name, school, level, where.get(t, DASH), _grid(cells.get(t, {}), rotation.get(school, []))]
                for t, name, school, level in people]
    known = {t[0] for t in teachers}
    return {"teachers": teachers, "schools": dict(_rows(ctx.district.schools, "school_id", "name")),
            "why": {t: [str(line) for line in lines] for t, lines in why.items() if t in known},
            "limit": TEACHER_LIMIT}


def packed(data: dict) -> str:
    """`data` as JSON, gzip-compressed (no timestamp, so a plan always gives the same page) and base64-encoded: the
    page's script unpacks it with the browser's DecompressionStream. The "why" lines of 20,000 teachers are some 25 MB
    of JSON but repeat themselves, so the page stays a few megabytes — small enough to send by e-mail — and base64
    holds no character that HTML would read as markup."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return base64.b64encode(gzip.compress(text, compresslevel=6, mtime=0)).decode("ascii")


def _cells(ctx: ReportContext) -> dict[str, dict[tuple[str, str], str]]:
    """Per teacher: (period, semester) -> "Title + Title (students)" from timetable.csv's rows; the same course
    twice in a doubled period (A6.1) as "Title ×2"."""
    titles = dict(zip(ctx.district.courses.course_id, ctx.district.courses.title))
    tt, out = ctx.timetable, {}
    for t, period, sem, courses, students in _rows(tt, "teacher_id", "period_id", "semester", "course_ids", "students"):
        out.setdefault(t, {})[(period, str(sem))] = f"{_titles(courses, titles)} ({students})"
    return out


def _titles(course_ids: str, titles: dict[str, str]) -> str:
    if ";" not in course_ids:
        return titles.get(course_ids, course_ids)
    each: dict[str, int] = {}
    for c in course_ids.split(";"):
        title = titles.get(c, c)
        each[title] = each.get(title, 0) + 1
    return " + ".join(title if n == 1 else f"{title} ×{n}" for title, n in each.items())


def _grid(cells: dict[tuple[str, str], str], rotation: list[str]) -> list[list[str]]:
    """Rows of one teacher's grid: the homeroom if held; the school's rotation (free periods blank) if any of it is
    held, and any other period the plan names, so nothing held is ever left out."""
    held = list(dict.fromkeys(p for p, _ in cells))
    periods = [HOMEROOM] if HOMEROOM in held else []
    others = [p for p in held if p != HOMEROOM]
    if others:
        periods += rotation + [p for p in others if p not in rotation]
    return [[p, cells.get((p, "1"), ""), cells.get((p, "2"), "")] for p in periods]


def _locations(ctx: ReportContext) -> dict[str, str]:
    """Per teacher in the plan: "home", or "site WC01 (name), room R" (A19, A24)."""
    sites = dict(zip(ctx.district.sites.site_id, ctx.district.sites.name))
    out = {}
    for teacher, location, site, room in _rows(ctx.plan.teachers, "teacher_id", "work_location", "site_id", "room_id"):
        site, room = _blank(site), _blank(room)
        text = str(location) if not site else f"{location} {site} ({sites.get(site, '')})"
        out[teacher] = f"{text}, room {room}" if room else text
    return out
