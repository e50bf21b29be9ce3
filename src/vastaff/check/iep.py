"""A7.1 / A7.2 — IEP meetings (Article 7.0 A): equitable rotation among general-education teachers, no
overlapping meetings, and the classroom-coverage flag.

Independent of every solver: the minimum achievable spread is this module's own tiny CP-SAT model
(`minimum_spread`), built from docs/contract.md alone. The checks run only when the plan has iep_assignments.csv
(a plan folder that lacks the file, such as a displacement plan, claims nothing about IEP meetings; a file
with a header only is checked and every meeting is reported unassigned).

Readings: an explicit eligible_teacher_ids list is taken as written; by default a teacher "teaches that grade"
when a section of theirs has students of it (section_grades rows with 0 students hold no grade). The spread
is compared per school, only when every meeting of the school is assigned once to an eligible teacher; the
least spread is solved per school (a teacher listed at two schools is not coupled across them). A violation
needs a witness: when CP-SAT stops at its time limit without one, the spread is not reported (the figure
says it is unproven).

With a meetings calendar in the data: a teacher in a scheduled meeting (meetings.csv, the plan's else the data's)
that overlaps an IEP meeting may not hold it (A4.3, reported by check/meetings.py), so the least spread and the
figures count only the pairs left free; on a ROA Friday of calendar.csv a meeting needs coverage when it meets the
day's short synchronous slot (3.0), not the 3-hour window.
"""

from __future__ import annotations

import pandas as pd

from vastaff.check.core import CheckContext, RowRef, cached, finding, plan_has_table, section_files_missing
from vastaff.check.iep_spread import minimum_spread
from vastaff.check.meetings import iep_overlaps
from vastaff.check.workday import workday_figures
from vastaff.rules import Finding
from vastaff.schemas.fields import minutes_of_day

# ----------------------------------------------------------------------------------------------
# Shared plumbing (also used by caseload.py, location.py and displacement.py)


def blank(values: pd.Series) -> pd.Series:
    """True where an optional ID cell is empty (missing, None or whitespace)."""
    return values.isna() | (values.astype("string").str.strip() == "")


def clean_ids(values: pd.Series) -> pd.Series:
    """IDs as stripped strings, blanks as missing values."""
    out = values.astype("string").str.strip()
    return out.mask(out == "")


def as_bool(values: pd.Series) -> pd.Series:
    """Plan booleans as bool, whether they arrive typed or as 'true'/'false' text."""
    if values.dtype == bool:
        return values
    return values.astype("string").str.strip().str.lower().eq("true").fillna(False).astype(bool)


# ----------------------------------------------------------------------------------------------
# The meetings, their eligible teachers and the plan's assignments


@cached
def meetings_table(ctx: CheckContext) -> pd.DataFrame:
    """iep_meetings.csv with start/end in minutes, `roa` (calendar.csv makes the day a ROA Friday of the school),
    the window of that day (`win_lo`, `win_hi`: 3.0's short slot on a ROA Friday, else the synchronous window) and
    the coverage flag the contract requires (A7.2)."""
    m = ctx.district.iep_meetings.copy()
    m["start_min"], m["end_min"] = minutes_of_day(m["start"]), minutes_of_day(m["end"])
    m["roa"] = _on_roa_friday(ctx, m)
    (lo, hi), (roa_lo, roa_hi) = ctx.contract.synchronous_window, ctx.contract.roa_friday_synchronous_minutes
    m["win_lo"], m["win_hi"] = m["roa"].map({True: roa_lo, False: lo}), m["roa"].map({True: roa_hi, False: hi})
    m["coverage_due"] = (m["start_min"] < m["win_hi"]) & (m["end_min"] > m["win_lo"])
    return m


def _on_roa_friday(ctx: CheckContext, m: pd.DataFrame) -> pd.Series:
    """True where the meeting's school keeps its date as a ROA Friday in calendar.csv (3.0)."""
    data = ctx.district.meetings
    if data is None or data.calendar.empty or m.empty:
        return pd.Series(False, index=m.index)
    roa = data.calendar.loc[data.calendar["kind"] == "roa_friday", ["school_id", "date"]].assign(_roa=True)
    found = m[["school_id", "date"]].merge(roa, on=["school_id", "date"], how="left")["_roa"]
    return pd.Series(found.notna().to_numpy(), index=m.index)


def teacher_grades(ctx: CheckContext) -> pd.DataFrame:
    """(school_id, grade, teacher_id) of general-education classroom teachers holding a section of that grade."""
    sec = ctx.plan.sections[["section_id", "teacher_id"]].assign(teacher_id=lambda f: clean_ids(f["teacher_id"]))
    sg = ctx.plan.section_grades[["section_id", "grade", "students"]]
    sg = sg[pd.to_numeric(sg["students"]) > 0].assign(grade=lambda f: f["grade"].astype(int))
    t = ctx.district.teachers
    gen_ed = t[(t["department"] == "general") & (t["role"] == "classroom")][["teacher_id", "school_id"]]
    held = sec.dropna(subset=["teacher_id"]).merge(sg, on="section_id")[["teacher_id", "grade"]]
    return held.merge(gen_ed, on="teacher_id").drop_duplicates()[["school_id", "grade", "teacher_id"]]


@cached
def eligible_pairs(ctx: CheckContext) -> pd.DataFrame:
    """(meeting_id, school_id, teacher_id): the explicit list if given, else the documented default (A7.1)."""
    meetings = meetings_table(ctx)
    explicit = meetings["eligible_teacher_ids"].map(len) > 0
    listed = meetings.loc[explicit, ["meeting_id", "school_id", "eligible_teacher_ids"]].explode("eligible_teacher_ids")
    listed = listed.rename(columns={"eligible_teacher_ids": "teacher_id"}).drop_duplicates()
    default = meetings.loc[~explicit, ["meeting_id", "school_id", "grade"]]
    # Each default meeting meets each teacher of its (school, grade) once, and a meeting is listed or default,
    # never both: the pairs are unique without a drop_duplicates over millions of rows. Teachers and schools are
    # categories (set on the small tables before the merge): the spread groups and counts millions of pairs.
    grades = teacher_grades(ctx)
    teachers = pd.CategoricalDtype(sorted(set(grades["teacher_id"].dropna()) | set(listed["teacher_id"].dropna())))
    schools = pd.CategoricalDtype(sorted(set(meetings["school_id"].dropna()) | set(grades["school_id"].dropna())))
    by_grade = default.astype({"school_id": schools}).merge(
        grades.astype({"school_id": schools, "teacher_id": teachers}), on=["school_id", "grade"])
    return pd.concat([listed.astype({"meeting_id": "string", "school_id": schools, "teacher_id": teachers}),
                      by_grade[["meeting_id", "school_id", "teacher_id"]].astype({"meeting_id": "string"})],
                     ignore_index=True)


def eligible_rows(ctx: CheckContext, known: pd.DataFrame) -> pd.Series:
    """For each assignment row joined with its meeting (meeting_id, teacher_id, school_id, grade,
    eligible_teacher_ids), whether the teacher is eligible (A7.1): on the explicit list, else teaching the grade at
    the school — `eligible_pairs` asked row by row, without its millions of pairs."""
    ids = known["eligible_teacher_ids"].map(lambda v: v if isinstance(v, (list, tuple)) else None)
    listed = [bool(v) and isinstance(t, str) and t in v for t, v in zip(known["teacher_id"], ids)]  # blank: never
    grades = teacher_grades(ctx).astype({"teacher_id": "string"}).assign(_teaches=True)
    teaches = known[["school_id", "grade", "teacher_id"]].astype({"teacher_id": "string"}).merge(
        grades, on=["school_id", "grade", "teacher_id"], how="left")["_teaches"].notna().to_numpy()
    by_default = ids.map(lambda v: v is not None and not v).to_numpy(bool)
    return pd.Series(pd.array(listed, dtype=bool) | (by_default & teaches), index=known.index)


@cached
def free_pairs(ctx: CheckContext) -> pd.DataFrame:
    """The eligible pairs whose teacher attends no scheduled meeting overlapping the IEP meeting (A4.3, with
    meetings.csv): whom a rotation may choose, so the pairs the least spread and the figures count."""
    pairs = eligible_pairs(ctx)
    busy = iep_overlaps(ctx, pairs[["meeting_id", "teacher_id"]].assign(_pos=range(len(pairs))))
    if busy.empty:
        return pairs
    free = ~pd.RangeIndex(len(pairs)).isin(busy["_pos"])
    return pairs[free].reset_index(drop=True)


@cached
def assignments_table(ctx: CheckContext) -> pd.DataFrame:
    """iep_assignments.csv with clean IDs and a boolean needs_coverage."""
    a = ctx.plan.iep_assignments
    return pd.DataFrame({
        "meeting_id": clean_ids(a["meeting_id"]),
        "teacher_id": clean_ids(a["teacher_id"]),
        "needs_coverage": as_bool(a["needs_coverage"]),
    })


def _applies(ctx: CheckContext) -> bool:
    """A7.1/A7.2 read the grades each teacher teaches: a plan that lost its section files is not checked for them."""
    return plan_has_table(ctx.plan, "iep_assignments") and not section_files_missing(ctx.plan)


def _meeting_ref(mid: str) -> RowRef:
    return RowRef("iep_meetings.csv", str(mid))


def _teacher_ref(tid: str) -> RowRef:
    return RowRef("teachers.csv", str(tid))


# ----------------------------------------------------------------------------------------------
# A7.1 — one eligible general-education teacher per meeting; the spread as small as possible


def check_a7_1_assignment(ctx: CheckContext) -> list[Finding]:
    """A7.1 (7.0 A(1)): each IEP meeting goes to exactly one eligible general-education teacher."""
    if not _applies(ctx):
        return []
    return list(_assignment_violations(ctx))


@cached
def _assignment_violations(ctx: CheckContext) -> tuple[Finding, ...]:
    meetings = meetings_table(ctx)
    pairs = eligible_pairs(ctx)
    a = assignments_table(ctx)
    return tuple(_unknown_meetings(a, meetings) + _unassigned_meetings(a, meetings, pairs)
                 + _repeated_meetings(a) + _ineligible_teachers(ctx, a, meetings))


def _unknown_meetings(a: pd.DataFrame, meetings: pd.DataFrame) -> list[Finding]:
    bad = a[~a["meeting_id"].isin(meetings["meeting_id"]) | a["meeting_id"].isna()]
    return [finding("A7.1", f"iep_assignments.csv assigns meeting {m if pd.notna(m) else '(blank)'} "
                    f"to teacher {t}, but iep_meetings.csv has no such meeting",
                    (RowRef("iep_assignments.csv", str(m)),))
            for m, t in zip(bad["meeting_id"], bad["teacher_id"])]


def _unassigned_meetings(a: pd.DataFrame, meetings: pd.DataFrame, pairs: pd.DataFrame) -> list[Finding]:
    missing = meetings[~meetings["meeting_id"].isin(a["meeting_id"])]
    counts = pairs.groupby("meeting_id").size()
    out = []
    for r in missing.itertuples():
        n = int(counts.get(r.meeting_id, 0))
        why = f"{n} teacher(s) are eligible" if n else "no teacher is eligible"
        out.append(finding("A7.1", f"IEP meeting {r.meeting_id} ({r.school_id}, grade {r.grade}, "
                           f"{r.date:%Y-%m-%d} {r.start}-{r.end}) is not assigned to any teacher; {why}",
                           (_meeting_ref(r.meeting_id),)))
    return out


def _repeated_meetings(a: pd.DataFrame) -> list[Finding]:
    known = a.dropna(subset=["meeting_id"])
    rep = known[known.duplicated("meeting_id", keep=False)].groupby("meeting_id", sort=True)["teacher_id"]
    return [finding("A7.1", f"IEP meeting {m} is assigned {len(ts)} times ({', '.join(map(str, ts))}); "
                    f"it goes to exactly one teacher", (_meeting_ref(m),) + tuple(_teacher_ref(t) for t in ts))
            for m, ts in rep]


def _ineligible_teachers(ctx: CheckContext, a: pd.DataFrame, meetings: pd.DataFrame) -> list[Finding]:
    known = a.merge(meetings[["meeting_id", "school_id", "grade", "eligible_teacher_ids"]], on="meeting_id")
    bad = known[~eligible_rows(ctx, known)]
    out = []
    for r in bad.itertuples():
        rule = ("its eligible_teacher_ids are " + ";".join(r.eligible_teacher_ids) if len(r.eligible_teacher_ids)
                else f"eligible are the general-education classroom teachers of {r.school_id} with a grade-{r.grade} section")
        out.append(finding("A7.1", f"IEP meeting {r.meeting_id} is assigned to teacher "
                           f"{r.teacher_id if pd.notna(r.teacher_id) else '(blank)'}, who is not eligible: {rule}",
                           (_meeting_ref(r.meeting_id), _teacher_ref(r.teacher_id))))
    return out


def plan_spreads(a: pd.DataFrame, meetings: pd.DataFrame, pairs: pd.DataFrame) -> pd.DataFrame:
    """Per school: meeting counts over the teachers eligible for at least one of its meetings -> max, min,
    spread, and who holds the most and the fewest (for the message)."""
    held = a.dropna(subset=["meeting_id", "teacher_id"]).merge(meetings[["meeting_id", "school_id"]], on="meeting_id")
    eligible = pairs[["school_id", "teacher_id"]].drop_duplicates()
    counts = held.groupby(["school_id", "teacher_id"]).size().rename("meetings").reset_index()
    counts = eligible.merge(counts, on=["school_id", "teacher_id"], how="left").fillna({"meetings": 0})
    counts = counts.astype({"meetings": int}).sort_values(["school_id", "teacher_id"])
    per = counts.groupby("school_id")["meetings"].agg(["max", "min"]).assign(spread=lambda f: f["max"] - f["min"])
    counts = counts.join(per, on="school_id")
    most = counts[counts["meetings"] == counts["max"]].groupby("school_id")["teacher_id"].agg(_names)
    fewest = counts[counts["meetings"] == counts["min"]].groupby("school_id")["teacher_id"].agg(_names)
    return per.assign(most=most, fewest=fewest)


def _names(ids: pd.Series, limit: int = 5) -> str:
    ids = [str(i) for i in ids]
    return ", ".join(ids[:limit]) + (f" and {len(ids) - limit} more" if len(ids) > limit else "")


def _spread_lower_bound(n_meetings: int, n_teachers: int) -> int:
    return 0 if n_teachers == 0 or n_meetings % n_teachers == 0 else 1


@cached
def spread_report(ctx: CheckContext) -> dict[str, dict]:
    """Per school: the plan's spread, the least achievable one and whether it is proven (A7.1 figure)."""
    meetings = meetings_table(ctx)
    pairs = free_pairs(ctx)
    a = assignments_table(ctx)
    spreads = plan_spreads(a, meetings, pairs)
    broken = {m.rows[0].key for m in _assignment_violations(ctx)}
    broken |= set(iep_overlaps(ctx, a.dropna(subset=["meeting_id", "teacher_id"]))["meeting_id_iep"])
    report = {}
    meetings_of, pairs_of = _by_school(meetings), _by_school(pairs)
    for school, row in spreads.iterrows():
        mids = meetings_of.get(school, meetings.iloc[:0])
        valid = not (set(mids["meeting_id"]) & broken)
        entry = _school_spread(mids, pairs_of.get(school, pairs.iloc[:0]), a, int(row["spread"]), valid,
                               _meeting_locks(ctx, set(mids["meeting_id"])))
        report[str(school)] = {**entry, "max": int(row["max"]), "min": int(row["min"]),
                               "most": row["most"], "fewest": row["fewest"]}
    return report


def _by_school(frame: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The rows of each school (one pass, not one comparison of every row per school)."""
    return {str(school): rows for school, rows in frame.groupby("school_id", sort=False, observed=True)}


def _meeting_locks(ctx: CheckContext, meeting_ids: set[str]) -> dict[tuple[str, str], bool]:
    """(meeting, teacher) -> required (True) or forbidden (False), from the meeting rows of locks.csv."""
    locks = ctx.district.locks
    rows = locks[locks.meeting_id.isin(meeting_ids)]
    return {(m, t): mode == "require" for m, t, mode in rows[["meeting_id", "teacher_id", "mode"]].itertuples(index=False)}


def _school_spread(mids: pd.DataFrame, pairs: pd.DataFrame, a: pd.DataFrame, plan: int, valid: bool,
                   locked: dict[tuple[str, str], bool]) -> dict:
    entry = {"plan": plan, "minimum": None, "proven": False, "checked": valid, "witness": {}}
    if not valid:
        return entry
    if plan <= _spread_lower_bound(len(mids), pairs["teacher_id"].nunique()):
        return {**entry, "minimum": plan, "proven": True}
    hint = dict(zip(a["meeting_id"], a["teacher_id"]))
    res = minimum_spread(mids, pairs, hint=hint, locked=locked)
    return {**entry, "minimum": res.value, "proven": res.proven, "witness": res.witness}


def check_a7_1_spread(ctx: CheckContext) -> list[Finding]:
    """A7.1 (7.0 A(1)): per school, max - min of IEP meeting counts is the least achievable (A7.2 respected)."""
    if not _applies(ctx) or ctx.district.iep_meetings.empty:
        return []
    out = []
    for school, r in spread_report(ctx).items():
        if r["checked"] and r["minimum"] is not None and r["plan"] > r["minimum"]:
            out.append(finding("A7.1", f"{school}: IEP meetings are not equitably rotated: eligible teachers "
                               f"hold {r['min']} ({r['fewest']}) to {r['max']} ({r['most']}) meetings, a spread of "
                               f"{r['plan']}, where {r['minimum']} is achievable without overlapping meetings",
                               (RowRef("schools.csv", school),)))
    return out


# ----------------------------------------------------------------------------------------------
# A7.2 — no overlapping meetings; needs_coverage exactly when a meeting meets the synchronous window


def check_a7_2_overlap(ctx: CheckContext) -> list[Finding]:
    """A7.2 (7.0 A(2)): a teacher holds no two overlapping IEP meetings (touching end = start is fine)."""
    if not _applies(ctx):
        return []
    meetings = meetings_table(ctx)[["meeting_id", "date", "start", "end", "start_min", "end_min"]]
    held = assignments_table(ctx).dropna(subset=["teacher_id"]).drop_duplicates(["meeting_id", "teacher_id"])
    held = held[["meeting_id", "teacher_id"]].merge(meetings, on="meeting_id")
    pairs = held.merge(held, on=["teacher_id", "date"], suffixes=("_a", "_b"))
    clash = pairs[(pairs["meeting_id_a"] < pairs["meeting_id_b"])
                  & (pairs["start_min_a"] < pairs["end_min_b"]) & (pairs["start_min_b"] < pairs["end_min_a"])]
    clash = clash.sort_values(["teacher_id", "meeting_id_a", "meeting_id_b"])
    return [finding("A7.2", f"teacher {r.teacher_id} holds overlapping IEP meetings on {r.date:%Y-%m-%d}: "
                    f"{r.meeting_id_a} ({r.start_a}-{r.end_a}) and {r.meeting_id_b} ({r.start_b}-{r.end_b})",
                    (_teacher_ref(r.teacher_id), _meeting_ref(r.meeting_id_a), _meeting_ref(r.meeting_id_b)))
            for r in clash.itertuples()]


def check_a7_2_coverage_flag(ctx: CheckContext) -> list[Finding]:
    """A7.2 (7.0 A(2)): needs_coverage is true exactly when the meeting intersects the synchronous window (on a ROA
    Friday, the slot of 3.0)."""
    if not _applies(ctx):
        return []
    meetings = meetings_table(ctx)[["meeting_id", "start", "end", "coverage_due", "roa", "win_lo", "win_hi"]]
    rows = assignments_table(ctx).merge(meetings, on="meeting_id")
    wrong = rows[rows["needs_coverage"] != rows["coverage_due"]]
    return [finding("A7.2", f"IEP meeting {r.meeting_id} ({r.start}-{r.end}) has needs_coverage = "
                    f"{str(r.needs_coverage).lower()}, but it {'meets' if r.coverage_due else 'does not meet'} "
                    f"{_window_name(r)}, so it must be {str(r.coverage_due).lower()}",
                    (_meeting_ref(r.meeting_id),))
            for r in wrong.itertuples()]


def _window_name(r) -> str:
    window = f"{r.win_lo // 60:02d}:{r.win_lo % 60:02d}-{r.win_hi // 60:02d}:{r.win_hi % 60:02d}"
    return f"the ROA Friday's synchronous slot {window} (3.0)" if r.roa else f"the synchronous window {window}"


IEP_FIGURE = "A7.1/A7.2 IEP meetings per school"


def iep_figures(ctx: CheckContext) -> dict:
    """Figures beside the verdict, one row per school: meetings, eligible teachers, the plan's spread and the
    least achievable one (A7.1), meetings needing classroom coverage (A7.2)."""
    if not _applies(ctx):
        return {}
    meetings = meetings_table(ctx)
    pairs = free_pairs(ctx)
    spreads = spread_report(ctx)
    rows = []
    teachers = pairs.groupby("school_id", observed=True)["teacher_id"].nunique()
    for school, group in meetings.groupby("school_id", sort=True):
        spread = spreads.get(str(school), {})
        rows.append({"school_id": str(school), "meetings": int(len(group)),
                     "eligible_teachers": int(teachers.get(school, 0)),
                     "plan_spread": spread.get("plan"), "least_spread": spread.get("minimum"),
                     "least_proven": spread.get("proven", False),
                     "needing_coverage": int(group["coverage_due"].sum())})
    return {IEP_FIGURE: rows} if rows else {}


CHECKS = [check_a7_1_assignment, check_a7_1_spread, check_a7_2_overlap, check_a7_2_coverage_flag]
FIGURES = [iep_figures, workday_figures]
"""workday_figures (check/workday.py): the data's IEP meetings outside the on-site window or on the PD/PLT slot,
counted per school beside the IEP figures."""
