"""A7.1 / A7.2 data: meeting times, eligible pairs (clear of the scheduled meetings, A4.3), coverage (the ROA
Friday's slot on a ROA Friday, 3.0), seniority, last night's teacher, groups of schools.

IDs are coded as integers in ID order (`m` meeting, `t` teacher, `s` school) so the big joins never touch strings.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from vastaff.contract import ContractModel
from vastaff.people.flows import sorted_unique
from vastaff.people.iep.explain import busy_everyone, no_eligible_teacher
from vastaff.rules import Infeasible
from vastaff.schemas.district import District
from vastaff.schemas.fields import minutes_of_day

GRADE_SPAN = 16  # grades UTK (-2) .. 12, as 0..14 in a code


def meeting_times(iep: pd.DataFrame) -> pd.DataFrame:
    """Meetings sorted by ID: `m` (row code), `s` (school code), `day` (YYYY-MM-DD), start/end in minutes."""
    m = iep.sort_values("meeting_id", kind="stable").reset_index(drop=True).copy()
    m["m"] = np.arange(len(m), dtype=np.int64)
    m["s"] = pd.Categorical(m.school_id, categories=sorted(m.school_id.unique())).codes.astype(np.int64)
    m["day"] = pd.to_datetime(m["date"]).dt.strftime("%Y-%m-%d") if len(m) else pd.Series(dtype="str")
    m["start_min"] = minutes_of_day(m["start"])
    m["end_min"] = minutes_of_day(m["end"])
    return m


def rotation_pairs(district: District, contract: ContractModel, meetings: pd.DataFrame, sections: pd.DataFrame,
                   section_grades: pd.DataFrame) -> pd.DataFrame:
    """The eligible pairs (`eligible_pairs`, `clear_of_meetings`) with what the objective needs: `covered` (A7.2),
    `weight` (seniority) and `previous` (last night's teacher)."""
    pairs = clear_of_meetings(district, meetings, eligible_pairs(district, meetings, sections, section_grades))
    pairs["covered"] = pair_needs_coverage(pairs, meetings, contract, roa_fridays(district, meetings))
    pairs["weight"] = seniority_weights(district, pairs)
    pairs["previous"] = previous_pairs(district, pairs)
    return pairs


def teacher_codes(district: District, meetings: pd.DataFrame) -> pd.Index:
    """Every teacher ID (teachers.csv and explicit lists), sorted: position = teacher code `t`."""
    listed = meetings.eligible_teacher_ids.explode().dropna()
    return pd.Index(np.unique(np.concatenate([district.teachers.teacher_id.to_numpy(dtype=object),
                                              listed.to_numpy(dtype=object)]).astype(str)))


def eligible_pairs(
    district: District, meetings: pd.DataFrame, sections: pd.DataFrame, section_grades: pd.DataFrame
) -> pd.DataFrame:
    """A7.1 eligibility: the meeting's explicit list, else the school's general classroom teachers of that grade.

    "Teaches that grade" means the teacher has a section in tonight's plan with students of that grade.
    An explicit `eligible_teacher_ids` list is taken as the district wrote it (it overrides the default).
    Rows sorted by meeting then teacher: codes m, t, s and the IDs meeting_id, teacher_id, school_id
    (categoricals over those codes, so a million pairs cost no strings).
    """
    teachers = teacher_codes(district, meetings)
    schools = pd.Index(sorted(meetings.school_id.unique()))
    listed = meetings.eligible_teacher_ids.map(len).to_numpy() > 0
    explicit = meetings.loc[listed, ["m", "eligible_teacher_ids"]].explode("eligible_teacher_ids")
    explicit_t = teachers.get_indexer(explicit.eligible_teacher_ids.astype(str))
    by_grade = grade_teachers(district, sections, section_grades)
    by_grade = pd.DataFrame({"key": _school_grade_key(schools.get_indexer(by_grade.school_id), by_grade.grade),
                             "t": teachers.get_indexer(by_grade.teacher_id)})
    default = meetings.loc[~listed, ["m", "s", "grade"]]
    default = pd.DataFrame({"m": default.m.to_numpy(), "key": _school_grade_key(default.s, default.grade)}).merge(
        by_grade[by_grade.key >= 0], on="key")
    width = len(teachers)
    keys = sorted_unique(np.concatenate([
        explicit.m.to_numpy(dtype=np.int64) * width + explicit_t,
        default.m.to_numpy(dtype=np.int64) * width + default.t.to_numpy(dtype=np.int64),
    ]))
    m, t = keys // width, keys % width
    s = meetings.s.to_numpy()[m]
    return pd.DataFrame({
        "m": m, "t": t, "s": s,
        "meeting_id": pd.Categorical.from_codes(m, categories=meetings.meeting_id.astype(str)),
        "teacher_id": pd.Categorical.from_codes(t, categories=teachers),
        "school_id": pd.Categorical.from_codes(s, categories=schools),
    })


def _school_grade_key(school_codes, grades) -> np.ndarray:
    """One integer per (school code, grade); negative where the school is unknown (code -1)."""
    return np.asarray(school_codes, dtype=np.int64) * GRADE_SPAN + np.asarray(grades, dtype=np.int64) + 2


def grade_teachers(district: District, sections: pd.DataFrame, section_grades: pd.DataFrame) -> pd.DataFrame:
    """(school_id, grade, teacher_id) of every general-education classroom teacher teaching that grade tonight."""
    staffed = sections.loc[sections.teacher_id.notna(), ["section_id", "teacher_id"]]
    taught = staffed.merge(section_grades.loc[section_grades.students > 0, ["section_id", "grade"]], on="section_id")
    t = district.teachers
    general = t.loc[(t.department == "general") & (t.role == "classroom"), ["teacher_id", "school_id"]]
    out = taught[["teacher_id", "grade"]].drop_duplicates().astype({"teacher_id": "str"})
    out = out.merge(general, on="teacher_id")
    return out[["school_id", "grade", "teacher_id"]].astype({"grade": "int64"})


def clear_of_meetings(district: District, meetings: pd.DataFrame, pairs: pd.DataFrame) -> pd.DataFrame:
    """A4.3 (4.0 A, with A7.2): the pairs whose teacher attends no scheduled meeting (meetings.csv) overlapping the
    IEP meeting (same day, intersecting [start, end); touching is fine). Without meetings.csv, `pairs` unchanged.

    Raises Infeasible when that leaves a meeting nobody may hold: A7.1 + A4.3 naming the scheduled meetings its
    eligible teachers attend then (and A7.1 for any meeting nobody was eligible for in the first place).
    """
    clash = busy_pairs(district, meetings, pairs)
    if clash.empty:
        return pairs
    kept = np.ones(len(pairs), dtype=bool)
    kept[clash.row.to_numpy()] = False
    left = np.bincount(pairs.m.to_numpy()[kept], minlength=len(meetings))
    before = np.bincount(pairs.m.to_numpy(), minlength=len(meetings))
    stranded = (left == 0) & (before > 0)
    if stranded.any():
        raise Infeasible(no_eligible_teacher(meetings, pairs) + busy_everyone(meetings[stranded], clash))
    return pairs[kept].reset_index(drop=True)


def busy_pairs(district: District, meetings: pd.DataFrame, pairs: pd.DataFrame) -> pd.DataFrame:
    """A4.3: each pair whose teacher attends a scheduled meeting that overlaps the IEP meeting — `row` (position in
    `pairs`), `m`, `teacher_id`, and the scheduled `meeting_id`, `kind`, `start`, `end`; empty without any."""
    busy = scheduled_on(district, meetings.day.unique())
    if busy.empty:
        return busy.assign(row=pd.Series(dtype="int64"), m=pd.Series(dtype="int64"))
    days = pd.Index(np.sort(meetings.day.unique()))
    width = len(days)
    t = pairs.teacher_id.cat.categories.get_indexer(busy.teacher_id.astype(str))
    busy = busy.assign(key=t * width + days.get_indexer(busy.day))[t >= 0]
    m = pairs.m.to_numpy()
    day_code = days.get_indexer(meetings.day.to_numpy())
    ours = pd.DataFrame({"row": np.arange(len(pairs)), "m": m, "key": pairs.t.to_numpy() * width + day_code[m],
                         "i0": meetings.start_min.to_numpy()[m], "i1": meetings.end_min.to_numpy()[m]})
    hit = ours.merge(busy, on="key")
    hit = hit[(hit.i0.to_numpy() < hit.end_min.to_numpy()) & (hit.start_min.to_numpy() < hit.i1.to_numpy())]
    return hit.drop(columns=["key", "i0", "i1"]).sort_values(["row", "meeting_id"], kind="stable")


def scheduled_on(district: District, days) -> pd.DataFrame:
    """The scheduled meetings (meetings.csv) on `days` (YYYY-MM-DD) of every teacher in their audience: teacher_id,
    meeting_id, kind, day, start, end, start_min, end_min (the data's `MeetingsData.busy`, over those days only)."""
    data = district.meetings
    columns = ["teacher_id", "meeting_id", "kind", "day", "start", "end", "start_min", "end_min"]
    if data is None or data.meetings.empty:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})
    held = data.meetings[data.meetings.date.isin(pd.to_datetime(pd.Series(days, dtype="object")))]
    on_days = replace(data, meetings=held, requests=data.requests[data.requests.request_id.isin(held.request_id)])
    busy = on_days.busy(district.teachers).merge(held[["meeting_id", "kind", "start", "end"]], on="meeting_id")
    return busy[columns]


def roa_fridays(district: District, meetings: pd.DataFrame) -> np.ndarray:
    """Per meeting: True when calendar.csv makes its school's day a ROA Friday (3.0)."""
    data = district.meetings
    if data is None or data.calendar.empty:
        return np.zeros(len(meetings), dtype=bool)
    roa = data.calendar[data.calendar.kind == "roa_friday"]
    keys = set(zip(roa.school_id.astype(str), roa.date.dt.strftime("%Y-%m-%d")))
    return np.fromiter((k in keys for k in zip(meetings.school_id.astype(str), meetings.day)), dtype=bool,
                       count=len(meetings))


def needs_coverage(start_min, end_min, window) -> np.ndarray:
    """A7.2: a meeting needs classroom coverage when [start, end) intersects the synchronous window [ws, we)
    (`window` one pair, or a pair of arrays: one window per meeting)."""
    ws, we = window
    return (np.asarray(start_min) < we) & (np.asarray(end_min) > ws)


def coverage_windows(contract: ContractModel, roa: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A7.2 with 3.0: per meeting, the synchronous window of its day — the ROA Friday's short slot on a ROA
    Friday (the 3-hour window does not apply then), the contract's window on every other day."""
    (ws, we), (rs, re) = contract.synchronous_window, contract.roa_friday_synchronous_minutes
    return np.where(roa, rs, ws), np.where(roa, re, we)


def pair_needs_coverage(pairs: pd.DataFrame, meetings: pd.DataFrame, contract: ContractModel,
                        roa: np.ndarray | None = None) -> np.ndarray:
    """A7.2 per (meeting, teacher): the teacher's synchronous window is the contract's, the same for everyone
    (`roa`, per meeting: on a ROA Friday the slot of 3.0).

    So today coverage depends only on the meeting, and the coverage stage cannot change anything; it is kept per
    pair (and in the objective) so that a model file with per-level windows changes only this.
    """
    m = pairs.m.to_numpy()
    ws, we = coverage_windows(contract, np.zeros(len(meetings), dtype=bool) if roa is None else roa)
    return needs_coverage(meetings.start_min.to_numpy()[m], meetings.end_min.to_numpy()[m], (ws[m], we[m]))


def seniority_weights(district: District, pairs: pd.DataFrame) -> np.ndarray:
    """Tie-break weight per pair's teacher (docs/contract.md, A7.1): the most senior teacher weighs most."""
    teachers = pairs.teacher_id.cat.categories
    order = district.seniority_order().teacher_id.astype(str)
    weight = np.zeros(len(teachers), dtype=np.int64)
    found = teachers.get_indexer(order)
    weight[found[found >= 0]] = (len(order) - np.arange(len(order)))[found >= 0]
    return weight[pairs.t.to_numpy()]


def previous_pairs(district: District, pairs: pd.DataFrame) -> np.ndarray:
    """Stability: True where last night's plan gave this meeting to this teacher."""
    prev = district.previous.iep_assignments if district.previous is not None else None
    if prev is None or prev.empty:
        return np.zeros(len(pairs), dtype=bool)
    width = len(pairs.teacher_id.cat.categories)
    m = pd.Index(pairs.meeting_id.cat.categories).get_indexer(prev.meeting_id.astype(str))
    t = pairs.teacher_id.cat.categories.get_indexer(prev.teacher_id.astype(str))
    known = (m >= 0) & (t >= 0)
    return np.isin(pairs.m.to_numpy() * width + pairs.t.to_numpy(), m[known] * width + t[known])


def school_group_codes(meetings: pd.DataFrame, pairs: pd.DataFrame) -> np.ndarray:
    """Per school code, its group: schools are linked when one teacher is eligible for meetings of both."""
    n = int(meetings.s.max()) + 1
    parent = list(range(n))

    def root(s: int) -> int:
        while parent[s] != s:
            parent[s] = parent[parent[s]]
            s = parent[s]
        return s

    keys = sorted_unique(pairs.t.to_numpy() * n + pairs.s.to_numpy())  # (teacher, school) links
    t, s = keys // n, keys % n
    same_teacher = t[1:] == t[:-1]
    for first, other in zip(s[:-1][same_teacher].tolist(), s[1:][same_teacher].tolist()):
        a, b = sorted((root(first), root(other)))
        parent[b] = a
    return np.array([root(s) for s in range(n)], dtype=np.int64)


def school_groups(meetings: pd.DataFrame, pairs: pd.DataFrame) -> list[list[str]]:
    """The groups of schools that share one model, as sorted school IDs."""
    group = school_group_codes(meetings, pairs)
    schools = sorted(meetings.school_id.unique())
    return [[schools[s] for s in range(len(schools)) if group[s] == g] for g in sorted(set(group))]
