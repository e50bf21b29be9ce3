"""Everything a file for people is made from: the district, the plan, the checker's verdict, what changed.

Built once per `solve` or `vastaff report`, then handed to each writer (report/workbook.py, report/html.py), which
only format it: no writer decides or checks anything of its own.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd

from vastaff.check.core import CheckContext, CheckReport
from vastaff.check.location import NO_CURRENT_SITE
from vastaff.check.runner import checks_of
from vastaff.check.timetable import clash_groups
from vastaff.contract import ContractModel
from vastaff.io.plan import frame_for
from vastaff.report.tables import timetable_frame, vacancies_frame
from vastaff.schemas.district import District, Plan

PLAN_PARTS = ("sections", "section_grades", "teachers", "iep_assignments", "caseloads")


@dataclass(frozen=True)
class ReportContext:
    """A plan as people read it.

    - `district`: the validated input (names, titles, periods, sites, rooms).
    - `plan`: the plan folder's tables and `run` (run.json as a dict; `{}` for a plan without one).
    - `check`: the independent checker's verdict on the plan (violations and figures).
    - `changes`: changes.csv's rows (teacher_id, what, before, after), or None without a previous plan.
    - `timetable`, `vacancies`: timetable.csv and vacancies.csv (report/tables.py).
    """

    district: District
    plan: Plan
    contract: ContractModel
    check: CheckReport | None  # None only in a draft (draft_context), before the checker ran
    changes: pd.DataFrame | None
    timetable: pd.DataFrame
    vacancies: pd.DataFrame


def plan_of(tables: dict[str, pd.DataFrame], run: dict, path: str = "") -> Plan:
    """A plan made in memory (a nightly solve's tables and run.json's content) as the Plan a folder would load."""
    return Plan(**{name: frame_for(name, tables.get(name)) for name in PLAN_PARTS}, run=run, path=path)


def report_context(district: District, plan: Plan, contract: ContractModel,
                   changes: pd.DataFrame | None = None) -> ReportContext:
    """The context of `plan`: runs the independent checker (with teachers' names in its messages)."""
    return checked(draft_context(district, plan, contract, changes))


def draft_context(district: District, plan: Plan, contract: ContractModel,
                  changes: pd.DataFrame | None = None) -> ReportContext:
    """The context of `plan` before the checker ran (`check` is None): what the plan's own tables need."""
    return ReportContext(district, plan, contract, None, changes, timetable_frame(plan.sections, district),
                         vacancies_frame(plan.sections, plan.section_grades, plan.run))


def checked(draft: ReportContext) -> ReportContext:
    """`draft` with the independent checker's verdict (teachers' names in its messages)."""
    return replace(draft, check=verdict(draft))


def verdict(draft: ReportContext, modules: tuple[str, ...] | None = None) -> CheckReport:
    """The independent checker's verdict on the draft's plan (teachers' names in its messages), of the rule modules
    `modules` (check.runner.MODULES' names; None: all)."""
    return checks_of(check_context(draft), modules)


_CHECK: list[tuple[tuple, CheckContext]] = []


def check_context(ctx: ReportContext) -> CheckContext:
    """The checker's context of `ctx`'s plan (A12 against the district's previous plan, teachers' names in its
    messages), one per plan in this process — the last plan's is kept, as the "why" keeps its tables (report/why). The
    checker's rule modules, the "why" lines and the page's charts read the same derived tables of the checker
    (vastaff.check.core `cached`: sections with their grades, section-semesters, placements), computed once instead
    of once by each (tight 60: the checker's modules run after the "why" 93 -> 68 ms). A plan is known by identity:
    plans are loaded or made once and never changed in place, so a plan with other rows is another object."""
    key = (ctx.district, ctx.plan, ctx.contract)
    if not _CHECK or any(a is not b for a, b in zip(_CHECK[0][0], key)):
        _CHECK[:] = [(key, CheckContext(*key, ctx.district.previous, names=True))]
    return _CHECK[0][1]


NO_CURRENT_SITE_NAME = "no current site (site choosers who had none)"


def site_names(ctx: ReportContext) -> dict[str, str]:
    """site_id -> name for people: the district's sites, and the A19 figure's row of the site choosers left at home
    who have no current site (the checker's `(none)`)."""
    return {**dict(zip(ctx.district.sites.site_id, ctx.district.sites.name)), NO_CURRENT_SITE: NO_CURRENT_SITE_NAME}


NOT_TONIGHT = "not in teachers.csv tonight"
"""The name a change row shows for a teacher of the previous plan who is no longer in the data (a teacher who left)."""


def courses_by_school(ctx: ReportContext) -> pd.DataFrame:
    """Per school: the most courses one teacher holds in a semester, and how many teachers exceed A6.3's limit with
    their stipend consent (paid) and without it (a violation): report.html's and plan.xlsx's A6.3 figure."""
    t = ctx.plan.teachers[["teacher_id", "courses_s1", "courses_s2"]].merge(
        ctx.district.teachers[["teacher_id", "school_id", "stipend_consent"]], on="teacher_id")
    most = t[["courses_s1", "courses_s2"]].max(axis=1)
    over, consent = most > ctx.contract.max_courses_per_semester, t.stipend_consent.astype(bool)
    t = t.assign(most=most, paid=over & consent, unpaid=over & ~consent)
    return t.groupby("school_id").agg(most=("most", "max"), paid=("paid", "sum"), unpaid=("unpaid", "sum"))


def clash_table(ctx: ReportContext) -> pd.DataFrame:
    """The singleton clashes one by one, as the timetable's figure counts them (check/timetable.py `clash_groups`):
    per school, semester, period and (secondary) grade, the single-section courses of the grade meeting together
    ('AP US History (VA04-H-APUSH-01), AP Calculus AB (VA04-H-CALCAB-01)') and the pairs they make — a student of
    the grade can take only one of them."""
    groups = clash_groups(check_context(ctx))
    titles = dict(zip(ctx.district.courses.course_id, ctx.district.courses.title))
    courses = [", ".join(f"{titles.get(c, c)} ({s})" for s, c in zip(sections, ids))
               for sections, ids in zip(groups.section_ids.tolist(), groups.course_ids.tolist())]
    return pd.DataFrame({"school_id": groups.school_id.tolist(), "semester": groups.term.tolist(),
                         "period_id": groups.period_id.tolist(), "grade": [int(g) for g in groups.grade],
                         "courses_meeting_together": courses, "pairs": groups.pairs.tolist()})
