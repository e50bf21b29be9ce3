"""The tables every explanation reads, computed once per plan for the whole district (pandas joins, no per-teacher
loop).

`tables_of(ctx)` builds them lazily and keeps the last context's, so `explain_teacher` for several teachers of a plan,
`explain_all` and `matrix_summary_lines` share one computation. The plan is read through the checker's own derived
tables (`vastaff.check.core`, cached on a CheckContext: sections with their grades, section-semesters, band means), so
an explanation never reads a plan differently from `vastaff check`; the work location is the optimizer's own
reasoning (`assign_locations`, run once, deterministic).
"""

from __future__ import annotations

from functools import cached_property

import numpy as np
import pandas as pd

from vastaff.check.core import course_labels
from vastaff.check.matrix import seniority, staffed
from vastaff.check.periods import period_meetings
from vastaff.people.location import LocationResult, assign_locations
from vastaff.report.context import ReportContext, check_context
from vastaff.report.why.lines import cols
from vastaff.rules import Infeasible
from vastaff.schemas.fields import GRADE_RANGE, grade_name

GRADES = {g: grade_name(g) for g in range(GRADE_RANGE[0], GRADE_RANGE[1] + 1)}
"""Grade -> how messages write it (UTK, TK, K, 1..12); float keys find it too (9.0 == 9)."""


def grade_span(lo: pd.Series, hi: pd.Series) -> pd.Series:
    """'grade 9', 'grades 9-10' (a section's grades with students), or 'no students'."""
    a, b = lo.map(GRADES), hi.map(GRADES)
    text = np.where(lo == hi, "grade " + a.fillna(""), "grades " + a.fillna("") + "-" + b.fillna(""))
    return pd.Series(np.where(lo.isna(), "no students", text), index=lo.index, dtype=object)


def grades_text(lo, hi) -> str:
    """Grades some students hold: 'grade 9', 'grades 9-10'."""
    return f"grade {GRADES[lo]}" if lo == hi else f"grades {GRADES[lo]}-{GRADES[hi]}"


def grade_range(lo, hi) -> str:
    """A teacher's authorized grades as the checker writes them: 'K..5'."""
    return f"{GRADES.get(lo, lo)}..{GRADES.get(hi, hi)}"


class Tables:
    """One plan's explanation tables; each property is computed on first use."""

    def __init__(self, ctx: ReportContext, locations: LocationResult | None = None):
        self.ctx = ctx
        self.check = check_context(ctx)
        self.given_locations = locations
        self.memo: dict = {}

    def once(self, key: str, compute):
        """`compute(self)`, computed once per Tables (for tables built outside this module)."""
        if key not in self.memo:
            self.memo[key] = compute(self)
        return self.memo[key]

    @cached_property
    def teachers(self) -> pd.DataFrame:
        """Input teachers by ID (the first row of a repeated ID) with `creds` ('eld, math') and `sig`: teachers alike
        for CRED (school, level, department, role, credentials, grades) share one sig, so CRED is worked out once per
        sig."""
        t = self.ctx.district.teachers.drop_duplicates("teacher_id")
        creds = t.credentials.map(lambda c: ", ".join(sorted(c)))
        key = (t.school_id + "|" + t.level + "|" + t.department + "|" + t.role + "|" + creds + "|"
               + t.grade_min.astype(str) + "|" + t.grade_max.astype(str))
        return t.assign(creds=creds, sig=pd.factorize(key)[0]).set_index("teacher_id", drop=False)

    @cached_property
    def place(self) -> dict[str, int]:
        """teacher_id -> place in District seniority (1 = most senior), as the A9.1 check reads it."""
        return seniority(self.check).to_dict()

    def who(self, teacher_id: str) -> str:
        """'T00007 (Ann Lee, seniority #3)'."""
        name = self.names.get(teacher_id, "")
        return f"{teacher_id} ({name + ', ' if name else ''}seniority #{self.place.get(teacher_id, '?')})"

    @cached_property
    def names(self) -> dict[str, str]:
        return dict(cols(self.teachers.teacher_id, self.teachers["name"].astype(str)))

    @cached_property
    def course_label(self) -> dict[str, str]:
        """course_id -> 'MA-ALG1 (Algebra 1)'."""
        return course_labels(self.check)

    @cached_property
    def courses(self) -> pd.DataFrame:
        """Courses with demand (a course without any has no section), with `label` and the `lo`/`hi` demanded grade."""
        d = self.ctx.district.demand.groupby("course_id").grade.agg(lo="min", hi="max")
        c = self.ctx.district.courses.drop_duplicates("course_id").merge(d, left_on="course_id", right_index=True)
        return c.assign(label=c.course_id.map(self.course_label)).reset_index(drop=True)

    @cached_property
    def fits(self) -> pd.DataFrame:
        """CRED per sig and course of its school and level (with demand): `why_not` is '' when the sig's teachers may
        teach it, else the first reason: 'credential', 'grades' (none of its demanded grades in range) or
        'special_education' (a special-education course, a general-education teacher)."""
        cols = ["sig", "school_id", "level", "department", "credentials", "grade_min", "grade_max"]
        sigs = self.teachers.drop_duplicates("sig")[cols].reset_index(drop=True)
        pairs = sigs.merge(self.courses[["course_id", "school_id", "level", "credential", "program", "lo", "hi",
                                         "label"]], on=["school_id", "level"])
        held = sigs[["sig", "credentials"]].explode("credentials").dropna()
        has = set(held.sig.astype(str) + "|" + held.credentials.astype(str))
        no_credential = ~(pairs.sig.astype(str) + "|" + pairs.credential.astype(str)).isin(has)
        grades = (pairs.hi < pairs.grade_min) | (pairs.lo > pairs.grade_max)
        sped = pairs.program.eq("special_education") & pairs.department.ne("special_education")
        why = np.select([no_credential, grades, sped], ["credential", "grades", "special_education"], default="")
        return pairs.assign(why_not=why)

    @cached_property
    def staffed(self) -> pd.DataFrame:
        """Staffed sections of known courses taught by a teacher of the data (the checker's sections_full columns)."""
        s = staffed(self.check)
        return s[s.teacher_id.isin(self.teachers.index)].reset_index(drop=True)

    @cached_property
    def period_cells(self) -> pd.DataFrame:
        """Per teacher, semester (`term`) and academic period holding sections: school_id, sections, eld (any ELD)."""
        m = period_meetings(self.check)
        academic = self.ctx.district.academic_periods()[["school_id", "period_id", "order"]]
        m = m.merge(academic.rename(columns={"school_id": "course_school"}), on=["course_school", "period_id"])
        m = m.assign(eld=m.program.eq("eld"))
        keys = ["teacher_id", "term", "course_school", "period_id"]
        cells = m.groupby(keys, sort=False).agg(sections=("section_id", "size"), eld=("eld", "any"),
                                                order=("order", "first")).reset_index()
        return cells.rename(columns={"course_school": "school_id"}).sort_values(["teacher_id", "term", "order"])

    @cached_property
    def periods(self) -> pd.DataFrame:
        """Per teacher and semester with sections in academic periods: `academic` (the school's), `used`, `doubled`
        (periods holding more than one), `at_limit` (holding the A6.1 maximum), `eld`, and `full` (every period
        used)."""
        c = self.period_cells
        limit = self.ctx.contract.max_sections_per_period
        c = c.assign(doubled=c.sections > 1, at_limit=c.sections >= limit)
        per = c.groupby(["teacher_id", "term"], sort=False).agg(
            school_id=("school_id", "first"), used=("period_id", "size"), doubled=("doubled", "sum"),
            at_limit=("at_limit", "sum"), eld=("eld", "sum")).reset_index()
        academic = self.ctx.district.academic_periods().groupby("school_id").size()
        per["academic"] = per.school_id.map(academic).fillna(0).astype("int64")
        return per.assign(full=per.used >= per.academic)

    @cached_property
    def locations(self) -> LocationResult | None:
        """Tonight's work locations as the optimizer gives them (None when the site locks cannot all hold)."""
        if self.given_locations is not None:
            return self.given_locations
        try:
            return assign_locations(self.ctx.district, self.ctx.contract, self.ctx.district.previous)
        except Infeasible:
            return None


_LAST: list[Tables] = []


def tables_of(ctx: ReportContext, locations: LocationResult | None = None) -> Tables:
    """The explanation tables of `ctx` (the last context's are kept: one plan is explained many times in a row). The
    tables of its draft (the same plan before the checker's verdict, `why.prepare`) serve it: the verdict is all
    that differs, and only the lines of `why.VERDICT_BUILDERS` read it, which a draft never makes."""
    if _LAST and _LAST[0].ctx is not ctx and _is_draft_of(_LAST[0].ctx, ctx):
        _LAST[0].ctx = ctx
    if _LAST and _LAST[0].ctx is ctx and locations in (None, _LAST[0].given_locations):
        return _LAST[0]
    _LAST[:] = [Tables(ctx, locations)]
    return _LAST[0]


def _is_draft_of(draft: ReportContext, ctx: ReportContext) -> bool:
    return (draft.check is None and ctx.check is not None and draft.plan is ctx.plan
            and draft.district is ctx.district and draft.contract is ctx.contract and draft.changes is ctx.changes)
