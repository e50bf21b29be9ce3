"""Why each teacher works where they work (A16, A19, A24-A26), holds their IEP meetings (A7.1, A7.2) and caseload
(A7.3), what they cost (A6.3, A8.5, A12) and which decisions people locked (LOCK).

The work location's reasons are the optimizer's (`assign_locations` on tonight's data, run once): for a plan whose
placement differs (made by hand or by another tool) the plan's placement is stated, then that it differs, then the
optimizer's reasoning for tonight's data.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from vastaff.check.caseload import caseload_counts
from vastaff.check.class_size import multigrade_meetings
from vastaff.check.core import fmt_money, fmt_num
from vastaff.check.core import plan_has_table
from vastaff.check.iep import IEP_FIGURE, assignments_table, meetings_table, teacher_grades
from vastaff.report.why.lines import SHOWN, cols, concat, empty, grouped, id_list, lines, plural, row_refs
from vastaff.report.why.tables import Tables
from vastaff.rules import RowRef
from vastaff.schemas.inputs import HOME_SITE, LOCK_GROUPS

PLAN_TEACHERS = "plan/teachers.csv"
RA_HOME = ("granted", "pending")


def _clean(values: pd.Series) -> pd.Series:
    """Plan cells as text, blank (missing, empty, 'nan') as ''."""
    text = values.astype(object).where(values.notna(), "").astype(str).str.strip()
    return text.where(~text.isin(["nan", "None"]), "")


def _place(location: pd.Series, site: pd.Series, room: pd.Series, site_names: pd.Series) -> pd.Series:
    """'works at site WC01 (Welcome Center at Banning), room WC01-C001' or 'works from home'."""
    at = ("works at site " + site + " (" + site.map(site_names).fillna("unknown site") + ")"
          + np.where(room != "", ", room " + room, " without a room"))
    return pd.Series(np.where(location == "site", at, "works from home"), index=location.index)


def location_lines(t: Tables) -> pd.DataFrame:
    """A16/A19/A24/A25/A26: the plan's work location and the teacher's choice, then the optimizer's reasons."""
    p = t.ctx.plan.teachers
    if p.empty or "work_location" not in p.columns:
        return empty()
    p = p.drop_duplicates("teacher_id")
    p = p[p.teacher_id.isin(t.teachers.index)].reset_index(drop=True)
    me = t.teachers.loc[p.teacher_id].reset_index(drop=True)
    names = t.ctx.district.sites.set_index("site_id")["name"].astype(str)
    loc, site, room = _clean(p.work_location), _clean(p.site_id), _clean(p.room_id)
    requests = me.requested_site_ids.map(lambda r: ", ".join(r) if isinstance(r, (list, tuple)) else "")
    choice = ("chose " + me.work_location + np.where(me.ra_status != "none", ", RA " + me.ra_status, "")
              + np.where(requests != "", ", requested " + requests, ""))
    home_rule = np.where(me.work_location.eq("home") | me.ra_status.isin(RA_HOME), "A16", "A19")
    rules = np.where(loc == "site", "A19", home_rule)
    place = _place(loc, site, room, names)
    result = t.locations
    differs = _differs(p, loc, site, room, result.assignments, names) if result is not None else empty()
    reasons = _reasons(result.explanations) if result is not None else empty()
    keep = ~_said_again(p.teacher_id, place, reasons, set(differs.teacher_id)).to_numpy()
    out = [lines("location", p.teacher_id[keep], list(rules[keep]), (place + " (" + choice + ")")[keep],
                 row_refs((PLAN_TEACHERS, p.teacher_id[keep]), ("teachers.csv", p.teacher_id[keep]))),
           differs, reasons]
    return concat(out)


def _said_again(teacher_id: pd.Series, place: pd.Series, reasons: pd.DataFrame, differs: set) -> pd.Series:
    """Teachers whose placement the optimizer's reason states again, with more (`works from home (chose site but
    every site ... is full: A19 shortfall)` after `works from home (chose site)`): their plan line is left out."""
    first = dict(cols(reasons.teacher_id[::-1], reasons.message[::-1]))  # the first reason line of each teacher
    return pd.Series([tid not in differs and str(first.get(tid, "")).startswith(pl + " (")
                      for tid, pl in cols(teacher_id, place)], index=teacher_id.index, dtype=bool)


def _differs(p: pd.DataFrame, loc, site, room, given: pd.DataFrame, names: pd.Series) -> pd.DataFrame:
    """A24: teachers whose plan placement is not the one the optimizer gives tonight's data."""
    g = given.drop_duplicates("teacher_id").set_index("teacher_id").reindex(p.teacher_id)
    g_loc, g_site, g_room = (_clean(g[c]).set_axis(p.index) for c in ("work_location", "site_id", "room_id"))
    off = (loc != g_loc) | (site != g_site) | (room != g_room)
    if not off.any():
        return empty()
    text = ("this placement is not the one tonight's data gives (" + _place(g_loc, g_site, g_room, names)[off]
            + "): the reasons below are the optimizer's for tonight's data")
    return lines("location", p.teacher_id[off], "A24", text, row_refs((PLAN_TEACHERS, p.teacher_id[off])))


def _reasons(e: pd.DataFrame) -> pd.DataFrame:
    """The optimizer's explanation rows (people.location.explain), their rule prefix taken off."""
    text = [m.removeprefix(f"{r}: ") for r, m in cols(e.rule, e.message)]
    return lines("location", e.teacher_id, list(e.rule), text, row_refs(("teachers.csv", e.teacher_id)))


def iep_lines(t: Tables) -> pd.DataFrame:
    """A7.1 (7.0 A(1)), A7.2 (7.0 A(2)): a teacher's IEP meetings against their school's spread (min..max over the
    teachers eligible for one of its meetings) and the least spread possible (the checker's figure)."""
    if not plan_has_table(t.ctx.plan, "iep_assignments") or t.ctx.district.iep_meetings.empty:
        return empty()
    meetings = meetings_table(t.check)[["meeting_id", "school_id"]].astype({"meeting_id": "string"})
    held = assignments_table(t.check).dropna(subset=["meeting_id", "teacher_id"]).merge(meetings, on="meeting_id")
    eligible = _eligible(t)
    counts = held.groupby(["school_id", "teacher_id"]).agg(meetings=("meeting_id", "size"),
                                                          coverage=("needs_coverage", "sum")).reset_index()
    spread = eligible.merge(counts, on=["school_id", "teacher_id"], how="left").fillna({"meetings": 0})
    spread = spread.groupby("school_id").agg(lo=("meetings", "min"), hi=("meetings", "max"),
                                             eligible=("teacher_id", "size"))
    c = eligible.merge(counts, on=["school_id", "teacher_id"], how="outer").fillna({"meetings": 0, "coverage": 0})
    c = c[c.teacher_id.isin(t.teachers.index)].sort_values(["teacher_id", "school_id"]).reset_index(drop=True)
    c = c.join(spread, on="school_id")
    ids = grouped(cols(held.school_id, held.teacher_id), held.meeting_id)
    least = {f["school_id"]: _least(f) for f in t.ctx.check.figures.get(IEP_FIGURE, [])}
    mine = [ids.get(k, []) for k in cols(c.school_id, c.teacher_id)]
    text = [f"holds {plural(int(n), 'IEP meeting')}" + (f" ({id_list(m)})" if m else "")
            + ("" if pd.isna(e) else f"; the {int(e)} teachers eligible for meetings of {s} hold {int(lo)} to "
                                     f"{int(hi)}, a spread of {int(hi - lo)}{least.get(s, '')}")
            + (f"; {int(cv)} of them {'needs' if cv == 1 else 'need'} classroom coverage (in the synchronous window)"
               if cv else "")
            for n, m, e, s, lo, hi, cv in cols(c.meetings, mine, c.eligible, c.school_id, c.lo, c.hi, c.coverage)]
    rules = [("A7.1", "A7.2") if cv else "A7.1" for cv in c.coverage]
    rows = [(RowRef("teachers.csv", tid), *(RowRef("iep_meetings.csv", x) for x in m[:SHOWN]))
            for tid, m in cols(c.teacher_id, mine)]
    return lines("iep", c.teacher_id, rules, text, rows)


def _eligible(t: Tables) -> pd.DataFrame:
    """(school_id, teacher_id) eligible for at least one IEP meeting of the school — check/iep.py's reading (the
    meeting's list as written, else the school's general-education classroom teachers holding a section of its
    grade), taken per school and grade rather than per meeting: far fewer rows, the same teachers."""
    m = meetings_table(t.check)
    listed = m[m.eligible_teacher_ids.map(len) > 0][["school_id", "eligible_teacher_ids"]]
    listed = listed.explode("eligible_teacher_ids").rename(columns={"eligible_teacher_ids": "teacher_id"})
    by_grade = m[m.eligible_teacher_ids.map(len) == 0][["school_id", "grade"]].drop_duplicates()
    by_grade = by_grade.merge(teacher_grades(t.check), on=["school_id", "grade"])[["school_id", "teacher_id"]]
    pairs = pd.concat([listed, by_grade], ignore_index=True).drop_duplicates()
    return pairs.astype({"school_id": "string", "teacher_id": "string"})


def _least(figure: dict | None) -> str:
    """'; the least spread possible without overlapping meetings is 1' (from the checker's A7.1 figure)."""
    if not figure or figure.get("least_spread") is None:
        return ""
    proven = "" if figure.get("least_proven") else " (not proven)"
    return f"; the least spread possible without overlapping meetings is {figure['least_spread']}{proven}"


def caseload_lines(t: Tables) -> pd.DataFrame:
    """A7.3 (7.0 B(1)): a resource specialist's students against the cap and their school's other specialists."""
    if not plan_has_table(t.ctx.plan, "caseloads"):
        return empty()
    c = caseload_counts(t.check)
    c = c[c.teacher_id.isin(t.teachers.index)].astype({"teacher_id": object})
    per = c.groupby("school_id").students.agg(["size", "min", "max"])
    c = c.join(per, on="school_id")
    cap = t.ctx.contract.caseload_cap
    text = ("caseload of " + c.students.astype(str) + f" students against a cap of {cap}; the "
            + c["size"].astype(str) + " resource specialists of " + c.school_id + " hold "
            + c["min"].astype(str) + " to " + c["max"].astype(str))
    return lines("caseload", c.teacher_id, "A7.3", text, row_refs(("teachers.csv", c.teacher_id)))


def cost_lines(t: Tables) -> pd.DataFrame:
    """A6.3 stipend, A8.5 multi-grade differential and A12 X-time, as the plan's teachers.csv states them."""
    p = t.ctx.plan.teachers
    if p.empty:
        return empty()
    p = p.drop_duplicates("teacher_id")
    p = p[p.teacher_id.isin(t.teachers.index)
          & ((p.stipend_courses > 0) | (p.multigrade_sections > 0) | (p.xtime_hours > 0))]
    limit = t.ctx.contract.max_courses_per_semester
    mg = multigrade_meetings(t.check)
    multi = {k: id_list(dict.fromkeys(v)) for k, v in grouped(mg.teacher_id, mg.section_id).items()}
    out = []
    for r in p.itertuples(index=False):
        if r.stipend_courses > 0:
            out.append((r.teacher_id, "A6.3", f"stipend: {plural(int(r.stipend_courses), 'course')} over the limit "
                                              f"of {limit} a semester, both semesters counted, "
                                              f"{fmt_money(r.stipend_cost)}"))
        if r.multigrade_sections > 0:
            sections = f" ({multi[r.teacher_id]})" if r.teacher_id in multi else ""
            n, cost = plural(int(r.multigrade_sections), "section"), fmt_money(r.multigrade_cost)
            out.append((r.teacher_id, "A8.5", f"multi-grade differential: {n}{sections}, {cost}"))
        if r.xtime_hours > 0:
            out.append((r.teacher_id, "A12", f"X-time: {fmt_num(r.xtime_hours)} hours, {fmt_money(r.xtime_cost)}, "
                                             f"owed once for a course they did not teach in the previous plan"))
    frame = pd.DataFrame(out, columns=["teacher_id", "rule", "message"])
    return lines("costs", frame.teacher_id, list(frame.rule), frame.message,
                 row_refs((PLAN_TEACHERS, frame.teacher_id)))


def lock_lines(t: Tables) -> pd.DataFrame:
    """LOCK: every locks.csv row of the teacher — a decision people made, which stands whatever else holds; a lock
    the plan breaks (the checker's LOCK violations) is said to be broken."""
    locks = t.ctx.district.locks
    if locks.empty:
        return empty()
    broken = {r.key for v in t.ctx.check.violations if v.rule == "LOCK" for r in v.rows if r.file == "locks.csv"}
    rows = locks.astype(object).where(locks.notna(), None).to_dict("records")
    text = [_lock_text(t, r) + (": BROKEN by this plan (vastaff check)" if r["lock_id"] in broken else "")
            for r in rows]
    return lines("locks", [r["teacher_id"] for r in rows], "LOCK", text,
                 [(RowRef("locks.csv", r["lock_id"]), RowRef("teachers.csv", r["teacher_id"])) for r in rows])


def _lock_text(t: Tables, lock: dict) -> str:
    """'lock L1 (require): teaches MA-ALG1 (Algebra 1) in semester 1 in period P1 (reason: principal)'."""
    group = next((g for g in LOCK_GROUPS if lock.get(g) is not None), None)
    must = lock["mode"] == "require"
    if group == "site_id":
        where = "from home" if lock["site_id"] == HOME_SITE else f"at site {lock['site_id']}" + (
            f" in room {lock['room_id']}" if lock.get("room_id") else "")
        what = f"{'works' if must else 'does not work'} {where}"
    elif group == "meeting_id":
        what = f"{'holds' if must else 'does not hold'} IEP meeting {lock['meeting_id']}"
    else:
        course = t.course_label.get(lock["course_id"], lock["course_id"]) if lock.get("course_id") else "anything"
        when = (f" in semester {lock['semester']}" if lock.get("semester") in ("1", "2") else
                " in either semester" if lock.get("semester") == "year" else "")
        period = f" in period {lock['period_id']}" if lock.get("period_id") else ""
        what = f"{'teaches' if must else 'does not teach'} {course}{when}{period}"
    reason = f" (reason: {lock['reason']})" if lock.get("reason") else ""
    return f"lock {lock['lock_id']} ({lock['mode']}): {what}{reason}"
