"""Why, per teacher: every decision of a plan about one teacher with the rule that bounds it, in contract terms.

- `explain_teacher(ctx, teacher_id)`: `vastaff.rules.Finding`s (rules, message, rows) — their sections (CRED), full
  periods (A6.1, A6.2), the course limit (A6.3), the band mean (A8.1), the courses they may not teach (CRED), why they
  have no section, their work location (A16, A19, A24-A26: the optimizer's reasoning), IEP meetings (A7.1, A7.2),
  caseload (A7.3), costs (A6.3, A8.5, A12), locks (LOCK) and their matrix choices (A9.1).
- `explain_all(ctx)`: every teacher's lines as text, for report.html's teacher view (pandas over the whole district:
  20,000 teachers in seconds).
- `matrix_summary_lines(ctx)`: after a solve, the most senior teachers who did not get their first choice, and why.

Any plan folder is explained (made by `vastaff solve`, by hand, by another tool): the plan is read as the checker
reads it; only the work location's reasons come from re-running the optimizer's `assign_locations` on the data.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from vastaff.people.location import LocationResult
from vastaff.report.context import ReportContext
from vastaff.report.why import changes, matrix, people, sections
from vastaff.report.why.lines import concat, line_texts
from vastaff.report.why.tables import Tables, tables_of
from vastaff.rules import Finding

__all__ = ["explain_all", "explain_teacher", "heading", "matrix_summary_lines", "prepare"]

BUILDERS = (
    sections.section_lines, sections.period_lines, changes.period_change_lines, sections.course_limit_lines,
    sections.class_size_lines,
    sections.credential_lines, sections.no_section_lines, people.location_lines, people.iep_lines,
    people.caseload_lines, people.cost_lines, people.lock_lines, matrix.matrix_lines,
)
"""Every kind of line, in topic order (lines.TOPICS)."""
VERDICT_BUILDERS = (people.iep_lines, people.lock_lines)
"""The kinds of line that read the checker's verdict (`ctx.check`: the IEP spread's figure, the locks it found broken);
every other kind reads the plan alone and can be made while the checker runs (`prepare`)."""


def explain_teacher(ctx: ReportContext, teacher_id: str,
                    locations: LocationResult | None = None) -> list[Finding]:
    """Every explanation of one teacher, in reading order. KeyError for a teacher not in the data.

    `locations`: the work locations `assign_locations` gave tonight's data, when the caller already has them (the
    nightly solve computes them); else it runs once here for the whole district."""
    t = tables_of(ctx, locations)
    if teacher_id not in t.teachers.index:
        raise KeyError(f"no teacher {teacher_id} in the data")
    frame = _all_lines(t)
    mine = frame.iloc[_spans(t).get(teacher_id, slice(0, 0))]
    return [Finding(r, m, rows) for r, m, rows in zip(mine.rules.tolist(), mine.message.tolist(), mine.rows.tolist())]


def explain_all(ctx: ReportContext, locations: LocationResult | None = None) -> dict[str, list[str]]:
    """teacher_id -> their lines as text ('A6.1 (6.0 A(1)): ...'), for every teacher of the data (maybe none)."""
    t = tables_of(ctx, locations)
    texts = t.once("why.texts", lambda t: line_texts(_all_lines(t)))
    spans = _spans(t)
    return {tid: texts[spans[tid]] if tid in spans else [] for tid in t.teachers.teacher_id.tolist()}


def prepare(draft: ReportContext, locations: LocationResult | None = None) -> None:
    """Every line of a plan not checked yet (`draft.check` None) that needs no verdict: made while the checker runs
    (report/parallel.py); `explain_all` of the checked context adds the rest (`tables_of` keeps these)."""
    t = tables_of(draft, locations)
    for build in BUILDERS:
        if build not in VERDICT_BUILDERS:
            _lines_of(t, build)


def matrix_summary_lines(ctx: ReportContext, limit: int = 5) -> list[str]:
    """The `limit` most senior teachers who did not get their first matrix choice, one line each with the reason
    ('T00007 (Ann Lee, seniority #3), VA01 high: choice 2 of 3 granted, ...; not their first choice, ...: held by
    more senior ...'); empty without matrix.csv."""
    return matrix.summary_lines(tables_of(ctx), limit)


def matrix_missed(ctx: ReportContext) -> int | None:
    """How many teachers did not get their first matrix choice, if the report's outcomes are known (else None)."""
    return matrix.missed_count(tables_of(ctx))


def heading(ctx: ReportContext, teacher_id: str) -> str:
    """'T00012 Ann Lee — VA01 Van Nuys Virtual Academy, high (general, classroom)'."""
    t = tables_of(ctx).teachers.loc[teacher_id]
    school = ctx.district.schools.set_index("school_id")["name"].get(t.school_id, "")
    return (f"{teacher_id} {t['name']} — {t.school_id}{' ' + str(school) if school else ''}, {t.level} "
            f"({t.department}, {t.role.replace('_', ' ')})")


def _all_lines(t: Tables) -> pd.DataFrame:
    """Every line of every teacher, by teacher then topic (each builder's own order kept)."""
    return t.once("why.lines", _build)


def _build(t: Tables) -> pd.DataFrame:
    frame = concat(_lines_of(t, build) for build in BUILDERS)
    order = np.lexsort((np.arange(len(frame)), frame.topic.to_numpy(dtype="int64"),
                        frame.teacher_id.astype(str).to_numpy()))
    return frame.iloc[order].reset_index(drop=True)


def _lines_of(t: Tables, build) -> pd.DataFrame:
    """One kind of line, made once per Tables."""
    return t.once(f"why.{build.__module__}.{build.__name__}", build)


def _spans(t: Tables) -> dict[str, slice]:
    """teacher_id -> the slice of their lines in `_all_lines` (sorted by teacher)."""
    def compute(t: Tables) -> dict[str, slice]:
        ids = _all_lines(t).teacher_id.to_numpy(dtype=object)
        if not len(ids):
            return {}
        starts = np.flatnonzero(np.r_[True, ids[1:] != ids[:-1]])
        ends = np.r_[starts[1:], len(ids)]
        return {ids[s]: slice(int(s), int(e)) for s, e in zip(starts, ends)}
    return t.once("why.spans", compute)
