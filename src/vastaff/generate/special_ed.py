"""Special education: resource-specialist students (A7.3) and IEP meetings (A7.1, A7.2).

Caseloads fit by construction: per school and level at most caseload_cap x the level's specialists, whose
grade range covers every student of the level. Meetings have a witness too: each goes to a general-education
teacher who teaches the student's grade in the witness plan, and no witness teacher holds two meetings on one
day, so an assignment without overlaps exists whatever the times.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from vastaff.generate.common import Context, join_ranked, pick_member, rank_within

CASELOAD_FILL = (0.55, 0.95)    # students per specialist, as a share of caseload_cap
MEETING_SHARE = 0.6             # students with an IEP meeting in the horizon
HORIZON_START = "2026-09-14"    # a Monday; meetings fall on the next HORIZON_DAYS school days
HORIZON_DAYS = 15
DURATIONS = np.array([30, 45, 60])
IN_WINDOW_SHARE = 0.3           # meetings starting inside the synchronous window (A7.2 needs coverage)
OUT_OF_HOURS_SHARE = 0.03       # meetings a school sets before the on-site day starts (4.0 A: a workday warning)
EXPLICIT_SHARE = 0.15           # meetings with an explicit eligible_teacher_ids list
GENERAL_PROGRAMS = ["general", "eld", "tk", "utk"]


def build_sped_students(ctx: Context, teachers: pd.DataFrame, witness: pd.DataFrame) -> pd.DataFrame:
    """sped_students.csv: per school and level, 55-95% of caseload_cap per resource specialist, in grades
    that level's specialists all cover, spread like the level's general-education enrollment."""
    rng = ctx.rng.special_ed
    rsp = teachers[teachers.role.eq("resource_specialist")]
    cover = rsp.groupby(["school_id", "level"]).agg(n=("teacher_id", "size"), lo=("grade_min", "max"),
                                                    hi=("grade_max", "min")).reset_index()
    seats = witness[witness.program.isin(GENERAL_PROGRAMS)].groupby(["school_id", "level", "grade"]).students.sum()
    frames = []
    taught = set(seats.index.droplevel("grade"))
    for school_id, level, n, lo, hi in cover.itertuples(index=False):
        if (school_id, level) not in taught:
            continue
        by_grade = seats.loc[(school_id, level)]
        by_grade = by_grade[(by_grade.index >= lo) & (by_grade.index <= hi)]
        if by_grade.empty:
            continue
        count = int(n * ctx.contract.caseload_cap * rng.uniform(*CASELOAD_FILL))
        grades = rng.choice(by_grade.index.to_numpy(), size=count, p=(by_grade / by_grade.sum()).to_numpy())
        frames.append(pd.DataFrame({"school_id": school_id, "level": level, "grade": grades}))
    students = pd.concat(frames, ignore_index=True).sample(frac=1, random_state=rng).reset_index(drop=True)
    students.insert(0, "student_id", [f"ST{i + 1:06d}" for i in range(len(students))])
    return students


def build_iep_meetings(ctx: Context, students: pd.DataFrame, witness: pd.DataFrame) -> pd.DataFrame:
    """iep_meetings.csv: for about 60% of the students, one meeting in the next three school weeks; some
    start inside the synchronous window; most eligible_teacher_ids are blank, some list 1-3 teachers."""
    rng = ctx.rng.special_ed
    m = students[rng.random(len(students)) < MEETING_SHARE].reset_index(drop=True)
    teaching = witness[witness.program.isin(GENERAL_PROGRAMS) & witness.department.eq("general")]
    teaching = teaching[["school_id", "grade", "teacher_id"]].drop_duplicates()
    m["witness"] = round_robin_teacher(ctx, m, teaching)
    m = m[m.witness.notna()].reset_index(drop=True)
    m["day"] = witness_days(ctx, m.witness)
    m = m[m.day >= 0].reset_index(drop=True)
    m["date"] = np.busday_offset(np.datetime64(HORIZON_START), m.day.to_numpy(), roll="forward").astype(str)
    m["start"], m["end"] = meeting_times(ctx, m["date"].to_numpy())
    m["eligible_teacher_ids"] = explicit_lists(ctx, m, teaching)
    m = m.sort_values(["date", "start", "school_id", "student_id"], kind="stable").reset_index(drop=True)
    m.insert(0, "meeting_id", [f"M{i + 1:06d}" for i in range(len(m))])
    return m


def round_robin_teacher(ctx: Context, m: pd.DataFrame, teaching: pd.DataFrame) -> np.ndarray:
    """Witness teacher of each meeting: the teachers of the student's school and grade in turn, in random order."""
    rng = ctx.rng.special_ed
    teaching = teaching.assign(_key=rng.random(len(teaching)))
    teaching = teaching.sort_values(["school_id", "grade", "_key"], kind="stable")
    teaching["_i"] = teaching.groupby(["school_id", "grade"]).cumcount()
    size = teaching.groupby(["school_id", "grade"]).size().rename("_n").reset_index()
    turn = rank_within(m.school_id + ":" + m.grade.astype(str), rng.random(len(m)))
    slot = m[["school_id", "grade"]].assign(_turn=turn).merge(size, on=["school_id", "grade"], how="left")
    slot["_i"] = slot._turn % slot._n.fillna(1).astype(int)
    found = slot.merge(teaching[["school_id", "grade", "_i", "teacher_id"]], on=["school_id", "grade", "_i"],
                       how="left")
    return found.teacher_id.to_numpy()


def witness_days(ctx: Context, witness: pd.Series) -> np.ndarray:
    """Day index of each meeting: a witness teacher's meetings fall on distinct days (-1: no day left, dropped)."""
    rng = ctx.rng.special_ed
    rank = rank_within(witness.to_numpy(), rng.random(len(witness)))
    offset = pd.Series(rng.integers(0, HORIZON_DAYS, len(witness))).groupby(witness.to_numpy()).transform("first")
    return np.where(rank < HORIZON_DAYS, (offset.to_numpy() + rank) % HORIZON_DAYS, -1)


def meeting_times(ctx: Context, dates: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Start and end HH:MM on a quarter-hour grid, within the on-site day (4.0 A): some inside the synchronous window,
    most after it and, on the PD/PLT weekday, ending by the PD/PLT slot (4.0 C(1)); a few (OUT_OF_HOURS_SHARE), as a
    school sometimes sets them, before the on-site day (what the workday warnings count). None is set on the PD/PLT
    slot or after the on-site day, where the meetings calendar's meetings go: a generated district stays solvable
    once its scheduled meetings are added (IEP meetings are kept clear of them, A4.3)."""
    rng = ctx.rng.special_ed
    n = len(dates)
    ws, we = ctx.contract.synchronous_window
    onsite_start, onsite_end = ctx.contract.onsite_window_minutes
    lim = ctx.contract.meeting_limits
    duration = DURATIONS[rng.integers(0, len(DURATIONS), n)]
    draw = rng.random(n)
    inside, early = draw < IN_WINDOW_SHARE, draw >= 1 - OUT_OF_HOURS_SHARE
    pd_day = pd.to_datetime(pd.Series(dates, dtype="object")).dt.day_of_week.to_numpy() == lim.pd_plt_weekday
    day_end = np.where(pd_day, lim.pd_plt_start, onsite_end)
    lo = np.where(inside, ws, we + 30)
    hi = np.maximum(lo, np.where(inside, we - duration, day_end - duration))
    start = lo + 15 * (rng.random(n) * ((hi - lo) // 15 + 1)).astype(int)
    start = np.where(early, onsite_start - duration, start)
    return _hhmm(start), _hhmm(start + duration)


def _hhmm(minutes: np.ndarray) -> np.ndarray:
    minutes = np.minimum(minutes, 23 * 60 + 59)
    hours = np.char.zfill((minutes // 60).astype(str), 2)
    return np.char.add(np.char.add(hours, ":"), np.char.zfill((minutes % 60).astype(str), 2))


def explicit_lists(ctx: Context, m: pd.DataFrame, teaching: pd.DataFrame) -> np.ndarray:
    """eligible_teacher_ids: blank for most meetings; for some, the witness teacher plus up to two other
    general-education teachers of the student's school and grade (one meeting per student, so student_id
    names the meeting here)."""
    rng = ctx.rng.special_ed
    explicit = m[rng.random(len(m)) < EXPLICIT_SHARE][["student_id", "school_id", "grade", "witness"]]
    extra = rng.integers(0, 3, len(explicit))
    picks = [explicit[["student_id", "witness"]].rename(columns={"witness": "teacher_id"})]
    for j in range(2):
        other = pick_member(teaching, ["school_id", "grade"], "teacher_id", explicit, rng.random(len(explicit)))
        picks.append(pd.DataFrame({"student_id": explicit.student_id.to_numpy(), "teacher_id": other})[j < extra])
    chosen = (pd.concat(picks).dropna().drop_duplicates()
              .sort_values(["student_id", "teacher_id"], kind="stable"))
    order = chosen.groupby("student_id").cumcount().to_numpy()
    lists = join_ranked(chosen.student_id.to_numpy(), chosen.teacher_id.to_numpy(), order)
    return lists.reindex(m.student_id).fillna("").to_numpy()
