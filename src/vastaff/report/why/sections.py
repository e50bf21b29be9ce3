"""Why each teacher teaches what they teach: their sections (CRED), full periods (A6.1, A6.2), the course limit
(A6.3), the school's band mean (A8.1), the courses they may not teach (CRED) and, without sections, why none.

Lines are written only where a rule binds: a teacher with a free period gets no A6.1 line, one under the course limit
no A6.3 line. A band mean binds when it is within NEAR_LIMIT students of its limit.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from vastaff.check.class_size import band_groups, band_meetings
from vastaff.check.core import fmt_money
from vastaff.check.courses import teacher_courses
from vastaff.report.why.lines import (
    SHOWN, by_semesters, cols, concat, empty, grouped, id_list, lines, plural, row_refs,
)
from vastaff.report.why.tables import Tables, grade_range, grade_span, grades_text
from vastaff.rules import RowRef

NEAR_LIMIT = 1.0
"""A8.1: a band mean within this many students of its limit binds (fewer, larger sections would break it)."""
SHOWN_COURSES = 3
"""Courses named per credential in a CRED line (the rest are counted)."""


def section_lines(t: Tables) -> pd.DataFrame:
    """CRED (9.0(1)): each section a teacher teaches — course, semester, period, students, grades, credential; a
    section of another level is a level move (A9.1, 9.0(1))."""
    s = t.staffed
    if s.empty:
        return empty()
    order = t.ctx.district.periods[["school_id", "period_id", "order"]].rename(columns={"school_id": "course_school"})
    s = s.merge(order, on=["course_school", "period_id"], how="left").fillna({"order": -1})  # homeroom first
    s = s.assign(first_term=s.semester.map({"2": 2}).fillna(1))  # a year section meets from semester 1
    s = s.sort_values(["teacher_id", "first_term", "order", "section_id"], kind="stable")
    moved = (s.level != s.teacher_id.map(t.teachers.level)).to_numpy()
    label = t.course_label
    message = [f"teaches section {sid} of {label.get(c, c)}, {'year-long' if sem == 'year' else 'semester ' + sem}, "
               f"{'homeroom' if home else 'period ' + (p if isinstance(p, str) else '(none)')}: {n} students, {span} "
               f"(credential {cred})" + (", a level move (9.0(1))" if move else "")
               for sid, c, sem, home, p, n, span, cred, move in cols(
                   s.section_id, s.course_id, s.semester.astype(str), s.homeroom, s.period_id, s.enrollment,
                   grade_span(s.lo, s.hi), s.credential, moved)]
    rules = [("CRED", "A9.1") if m else "CRED" for m in moved]
    return lines("sections", s.teacher_id, rules, message,
                 row_refs(("sections.csv", s.section_id), ("courses.csv", s.course_id)))


def period_lines(t: Tables) -> pd.DataFrame:
    """A6.1 (6.0 A(1)), A6.2 (6.0 A(2)): semesters in which every academic period of the school holds a section of
    the teacher, so another section could only double a period (same subject, at most the limit) or not fit at all."""
    p = t.periods[t.periods.full & (t.periods.academic > 0)]
    if p.empty:
        return empty()
    limit = t.ctx.contract.max_sections_per_period
    cells = t.period_cells.merge(p[["teacher_id", "term"]], on=["teacher_id", "term"])
    doubled = _period_lists(cells[cells.sections > 1])
    eld = _period_lists(cells[cells.eld])
    key = list(cols(p.teacher_id, p.term))
    doubled_text = pd.Series([doubled.get(k, "") for k in key], index=p.index)
    eld_text = pd.Series([eld.get(k, "") for k in key], index=p.index)
    n = "all " + p.academic.astype(str) + " academic periods"
    packed = n + f" hold {limit} sections, the most a period may hold: no further section fits"
    room = (n + " hold a section" + np.where(p.doubled > 0, " (" + doubled_text + " doubled)", "")
            + f"; a further section would have to double a period holding one of the same subject, at most {limit}")
    body = pd.Series(np.where(p.at_limit >= p.used, packed, room), index=p.index)
    body += np.where(p.eld > 0, "; ELD sections keep " + eld_text + " to themselves", "")
    out = by_semesters(p.assign(body=body, has_eld=p.eld > 0), "body")
    rules = [("A6.1", "A6.2") if e else "A6.1" for e in out.has_eld]
    return lines("periods", out.teacher_id, rules, out.message, row_refs(("teachers.csv", out.teacher_id)))


def _period_lists(cells: pd.DataFrame) -> dict[tuple[str, int], str]:
    """(teacher, term) -> 'P2, P5' of the given cells, in rotation order."""
    return {k: id_list(v, 10) for k, v in grouped(cols(cells.teacher_id, cells.term), cells.period_id).items()}


def course_limit_lines(t: Tables) -> pd.DataFrame:
    """A6.3 (6.0 B(1)): semesters in which a teacher is at or beyond the distinct-course limit."""
    limit = t.ctx.contract.max_courses_per_semester
    c = teacher_courses(t.check).melt(id_vars="teacher_id", value_vars=["courses_s1", "courses_s2"], var_name="term",
                                     value_name="courses")
    c = c[c.courses >= limit].assign(term=lambda f: f.term.str[-1].astype("int64"))
    if c.empty:
        return empty()
    consent = c.teacher_id.map(t.teachers.stipend_consent).fillna(False).astype(bool).to_numpy()
    stipend = fmt_money(t.ctx.contract.stipend_per_course)
    at = np.where(consent, f"a further course would cost a {stipend} stipend (they consented)",
                  "a further course needs their stipend consent, which they have not given")
    beyond = np.where(consent, "paid by a stipend (they consented)", "without stipend consent")
    body = np.where(c.courses == limit, c.courses.astype(str) + " distinct courses, the limit: " + at,
                    c.courses.astype(str) + " distinct courses, " + (c.courses - limit).astype(str)
                    + f" beyond the limit of {limit}, " + beyond)
    out = by_semesters(c.assign(body=body), "body")
    return lines("courses", out.teacher_id, "A6.3", out.message, row_refs(("teachers.csv", out.teacher_id)))


def class_size_lines(t: Tables) -> pd.DataFrame:
    """A8.1 (8.0): a school band the teacher teaches in whose mean general/ELD section is at or within NEAR_LIMIT
    students of its limit in some semester — fewer, larger sections would break it. One text per school and band."""
    g = band_groups(t.check)
    g = g[g["mean"] >= g["limit"] - NEAR_LIMIT].sort_values(["course_school", "band", "term"])
    if g.empty:
        return empty()
    texts = {key: _band_text(*key, means) for key, means in
             grouped(cols(g.course_school, g.band), cols(g.term, g.n, g["mean"], g["limit"])).items()}
    keys = ["course_school", "band", "term"]
    m = band_meetings(t.check)[["teacher_id", *keys]].merge(g[keys], on=keys)
    m = m[m.teacher_id.isin(t.teachers.index)].drop_duplicates(["teacher_id", "course_school", "band"])
    m = m.sort_values(["teacher_id", "band"])
    message = [texts[k] for k in cols(m.course_school, m.band)]
    return lines("class_size", m.teacher_id, "A8.1", message, row_refs(("schools.csv", m.course_school)))


def _band_text(school: str, band: str, means: list[tuple]) -> str:
    """'VA1 band 4-12: semester 2, 1 general/ELD section with a mean of 25.00 students, at the limit of 25; ...'."""
    parts = [f"semester {term}, {plural(int(n), 'general/ELD section')} with a mean of {mean:.2f} students, "
             f"{'above' if mean > limit else 'at' if mean == limit else 'near'} the limit of {limit}"
             for term, n, mean, limit in means]
    return f"{school} band {band}: " + "; ".join(parts) + "; fewer, larger sections would break it"


def credential_lines(t: Tables) -> pd.DataFrame:
    """CRED (9.0(1)): the courses of the teacher's school and level they may not teach, by reason (credential, grade
    range, special education); the other levels' courses are counted; resource specialists teach none."""
    sig_lines = pd.concat([_refusals(t), _other_levels(t)], ignore_index=True)
    teachers = t.teachers[t.teachers.role == "classroom"][["teacher_id", "sig"]]
    sig_lines["refs"] = [tuple(("courses.csv", c) for c in courses) for courses in sig_lines.courses]
    out = teachers.merge(sig_lines, on="sig").sort_values(["teacher_id", "n"], kind="stable")
    out["message"] = _with_level_moves(t, out)
    rows = [(("teachers.csv", tid), *refs) for tid, refs in cols(out.teacher_id, out.refs)]
    specialists = t.teachers[t.teachers.role == "resource_specialist"].teacher_id
    return concat([
        lines("credential", out.teacher_id, "CRED", out.message, rows),
        lines("credential", specialists, "CRED", ["resource specialists teach no sections; their work is the "
                                                  "caseload (A7.3)"] * len(specialists),
              row_refs(("teachers.csv", specialists))),
    ])


def _refusals(t: Tables) -> pd.DataFrame:
    """(sig, n, message, courses): one line per reason the sig's teachers may not teach some courses of their level,
    with the courses it names."""
    f = t.fits[t.fits.why_not != ""].sort_values(["sig", "why_not", "credential", "course_id"])
    first = t.teachers.drop_duplicates("sig")
    first = {sig: row for sig, *row in cols(first.sig, first.level, first.school_id, first.creds, first.grade_min,
                                             first.grade_max)}
    rows = []
    for (sig, why), refused in grouped(cols(f.sig, f.why_not), cols(f.course_id, f.credential, f.lo, f.hi)).items():
        level, school, creds, grade_min, grade_max = first[sig]
        head = f"may not teach {plural(len(refused), level + ' course')} of {school}"
        if why == "credential":
            needs = grouped((cred for _, cred, _, _ in refused), (c for c, _, _, _ in refused))
            parts = [f"{cred} for {id_list(v, SHOWN_COURSES, t.course_label.get)}" for cred, v in needs.items()]
            more = f"; and {plural(len(parts) - 4, 'credential')} more" if len(parts) > 4 else ""
            text = (f"{head} without the credential they need (they hold {creds or 'none'}): "
                    + "; ".join(parts[:4]) + more)
            named = [c for v in list(needs.values())[:4] for c in v[:SHOWN_COURSES]]
        elif why == "grades":
            text = (f"{head} outside their grades {grade_range(grade_min, grade_max)}: "
                    + id_list(f"{t.course_label[c]} ({grades_text(lo, hi)})" for c, _, lo, hi in refused))
            named = [c for c, *_ in refused[:SHOWN]]
        else:
            text = (f"{head} of the special-education program, which needs the special-education department: "
                    + id_list(t.course_label[c] for c, *_ in refused))
            named = [c for c, *_ in refused[:SHOWN]]
        rows.append((sig, ("credential", "grades", "special_education").index(why), text, named))
    return pd.DataFrame(rows, columns=["sig", "n", "message", "courses"])


def _other_levels(t: Tables) -> pd.DataFrame:
    """(sig, n, message, courses): the courses of the sig's school at other levels, counted (a teacher keeps their
    level)."""
    c = t.courses.groupby(["school_id", "level"]).size().rename("courses").reset_index()
    sigs = t.teachers.drop_duplicates("sig")[["sig", "school_id", "level"]]
    other = sigs.merge(c, on="school_id", suffixes=("", "_other"))
    other = other[other.level != other.level_other].sort_values(["sig", "level_other"])
    rows = [(sig, 3, _other_levels_text(school, v), [])
            for (sig, school), v in grouped(cols(other.sig, other.school_id),
                                            cols(other.level_other, other.courses)).items()]
    return pd.DataFrame(rows, columns=["sig", "n", "message", "courses"])


def _with_level_moves(t: Tables, out: pd.DataFrame) -> list[str]:
    """The other levels' line of a teacher who teaches at another level tonight, by their matrix.csv level choice
    (9.0(1)), says so: an audit read "not theirs" beside five sections the same card explained as a level move."""
    own = t.teachers.reset_index(drop=True)[["teacher_id", "level"]]
    taught = t.staffed[["teacher_id", "level"]].merge(own, on="teacher_id", suffixes=("", "_own"))
    moved = taught[taught.level != taught.level_own].groupby("teacher_id")["level"].agg(lambda v: sorted(set(v)))
    return [f"{message}; tonight they teach {' and '.join(moved[tid])} courses by their level choice (9.0(1))"
            if n == 3 and tid in moved.index else message for tid, n, message in cols(out.teacher_id, out.n,
                                                                                      out.message)]


def _other_levels_text(school: str, counts: list[tuple[str, int]]) -> str:
    """'38 courses of VA06 are at another level (middle), not theirs: ...'."""
    n = sum(k for _, k in counts)
    what = f"1 course of {school} is" if n == 1 else f"{n} courses of {school} are"
    where = "another level" if len(counts) == 1 else "other levels"
    return (f"{what} at {where} ({', '.join(level for level, _ in counts)}), not theirs: a teacher teaches at their "
            f"own level (a move only by a matrix.csv level choice, A9.1)")


def no_section_lines(t: Tables) -> pd.DataFrame:
    """CRED / DEMAND: why a classroom teacher teaches nothing — no course of their school and level fits them, or the
    sections of every course that fits are held by others (named, most senior first). One text per sig."""
    busy = set(t.staffed.teacher_id)
    idle = t.teachers[(t.teachers.role == "classroom") & ~t.teachers.teacher_id.isin(busy)]
    if idle.empty:
        return empty()
    fit = t.fits[(t.fits.why_not == "") & t.fits.sig.isin(idle.sig)]
    sections = t.ctx.plan.sections
    sections = sections[sections.course_id.isin(fit.course_id)]
    by_course = grouped(sections.course_id, cols(sections.section_id, sections.teacher_id))
    texts = {sig: _why_idle(t, courses, by_course) for sig, courses in grouped(fit.sig, fit.course_id).items()}
    rules, messages, rows = [], [], []
    for r in idle.itertuples(index=False):
        if r.sig in texts:
            text, holders = texts[r.sig]
            rules.append("DEMAND")
            rows.append((RowRef("teachers.csv", r.teacher_id), *(RowRef("teachers.csv", h) for h in holders[:SHOWN])))
        else:
            text = (f"teaches no section: no {r.level} course of {r.school_id} fits their credential "
                    f"({r.creds or 'none'}) and grades {grade_range(r.grade_min, r.grade_max)}")
            rules.append("CRED")
            rows.append((RowRef("teachers.csv", r.teacher_id),))
        messages.append(text)
    return lines("no_sections", idle.teacher_id, rules, messages, rows)


def _why_idle(t: Tables, courses: list[str], by_course: dict) -> tuple[str, list[str]]:
    """'teaches no section: the 2 sections of the courses they may teach (...) are held by ...', and the holders."""
    held = [(s, h) for c in courses for s, h in by_course.get(c, [])]
    holders = sorted({h for _, h in held if isinstance(h, str) and h}, key=lambda h: t.place.get(h, 0))
    vacant = [s for s, h in held if not (isinstance(h, str) and h)]
    courses_text = id_list(courses, show=lambda c: t.course_label.get(c, c))
    if not held:
        return f"teaches no section: the plan has no section of the courses they may teach ({courses_text})", []
    text = (f"teaches no section: the {plural(len(held), 'section')} of the courses they may teach ({courses_text}) "
            f"are held by " + (id_list(holders, show=t.who) if holders else "no one"))
    if vacant:
        text += f"; {plural(len(vacant), 'vacancy', 'vacancies')} among them ({id_list(vacant)})"
    return text, holders
