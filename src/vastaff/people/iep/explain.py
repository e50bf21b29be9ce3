"""A7.1 / A7.2 infeasibility in contract terms: a meeting nobody may hold (nobody eligible, or every eligible teacher
in a scheduled meeting then, A4.3), overlapping meetings that outnumber their eligible teachers (found before
solving), and overlap chains that no rotation can hold (after CP-SAT says so)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from vastaff.people.flows import hall_shortage
from vastaff.people.iep.overlaps import overlap_cliques
from vastaff.people.wording import counted, grades_phrase, hhmm
from vastaff.rules import Finding, Infeasible
from vastaff.schemas.fields import grade_name
from vastaff.sections.vacancies import id_list

MEETINGS_FILE, TEACHERS_FILE, SCHEDULED_FILE = "iep_meetings.csv", "teachers.csv", "meetings.csv"


def raise_if_unholdable(meetings: pd.DataFrame, pairs: pd.DataFrame) -> None:
    """Infeasible (A7.1, then A7.1 + A7.2) when some meeting cannot be held, whatever the rotation."""
    findings = no_eligible_teacher(meetings, pairs)
    if not findings:
        findings = too_few_teachers_for_overlaps(meetings, pairs)
    if findings:
        raise Infeasible(findings)


def no_eligible_teacher(meetings: pd.DataFrame, pairs: pd.DataFrame) -> list[Finding]:
    """A7.1: a meeting nobody may hold (no general classroom teacher of the school teaches its grade tonight), with
    the school's grades that need one beside those its teachers teach: an audit read "teaches grade 5 in tonight's
    plan" as a choice to undo, where the school had fewer such teachers than grades to cover."""
    orphan = meetings[np.bincount(pairs.m.to_numpy(), minlength=len(meetings)) == 0]
    return [
        Finding.of("A7.1",
                   f"{m.school_id} IEP meeting {m.meeting_id} (student {m.student_id}, grade {grade_name(m.grade)}, "
                   f"{m.day} {m.start}–{m.end}): no eligible teacher — no general-education classroom teacher of "
                   f"{m.school_id} teaches grade {grade_name(m.grade)} in tonight's plan"
                   f"{_grades_to_cover(meetings, pairs, m.school_id) if not m.eligible_teacher_ids else ''}",
                   [(MEETINGS_FILE, m.meeting_id)])
        for m in orphan.itertuples()
    ]


def _grades_to_cover(meetings: pd.DataFrame, pairs: pd.DataFrame, school_id: str) -> str:
    """'; VA02's IEP meetings without a teacher list are in grades K–5, and tonight 5 general-education classroom
    teachers teach grades K–4 of them' (A7.1: each grade needs one of its own)."""
    blank = meetings[(meetings.school_id == school_id) & (meetings.eligible_teacher_ids.map(len) == 0)]
    held = pairs[pairs.m.isin(blank.m)]
    teachers = held.teacher_id.astype(str).nunique()
    covered = meetings.grade.to_numpy()[held.m.to_numpy()]
    head = f"; {school_id}'s IEP meetings without a teacher list are in {grades_phrase(blank.grade)}, and tonight "
    if not len(covered):
        return head + "no general-education classroom teacher teaches any of them"
    verb = "teaches" if teachers == 1 else "teach"
    return head + f"{counted(teachers, 'general-education classroom teacher')} {verb} {grades_phrase(covered)} of them"


def with_vacant_grades(findings: list[Finding], meetings: pd.DataFrame, sections: pd.DataFrame,
                       section_grades: pd.DataFrame, vacancy_reasons: dict[str, Finding]) -> list[Finding]:
    """Each A7.1 meeting nobody may hold (its grade's teachers hold it) whose school leaves a section of its grade
    vacant tonight, with that vacancy's reason, rules and rows: a lock fuzz found grades left untaught by locks said
    as A7.1 conflicts that named the meeting alone (the vacancy's DEMAND + LOCK names the locks)."""
    vacant = sections.loc[sections.section_id.isin(vacancy_reasons), ["section_id", "school_id"]]
    vacant = vacant.merge(section_grades[["section_id", "grade"]])
    by_grade = vacant.groupby(["school_id", "grade"]).section_id.agg(list)
    info = meetings.set_index("meeting_id")
    out = []
    for f in findings:
        ids = [r.key for r in f.rows if r.file == MEETINGS_FILE]
        m = info.loc[ids[0]] if f.rules == ("A7.1",) and len(ids) == 1 and ids[0] in info.index else None
        sids = by_grade.get((m.school_id, m.grade), []) if m is not None and not len(m.eligible_teacher_ids) else []
        if not sids:
            out.append(f)
            continue
        reasons = list(dict.fromkeys(vacancy_reasons[s] for s in sids))
        out.append(Finding.of(("A7.1", *dict.fromkeys(r for x in reasons for r in x.rules)),
                              f"{f.message}; grade {grade_name(m.grade)}'s "
                              f"{'section' if len(sids) == 1 else 'sections'} {id_list(sids)} "
                              f"{'is' if len(sids) == 1 else 'are'} vacant tonight: "
                              + "; ".join(x.message for x in reasons),
                              [*f.rows, *(row for x in reasons for row in x.rows)]))
    return out


def busy_everyone(stranded: pd.DataFrame, clash: pd.DataFrame) -> list[Finding]:
    """A7.1 + A4.3: a meeting whose every eligible teacher attends a scheduled meeting that overlaps it.

    `stranded`: those meetings (`meeting_times` rows); `clash`: the busy pairs (`eligibility.busy_pairs`)."""
    findings = []
    for m in stranded.itertuples():
        busy = clash[clash.m == m.m]
        teachers = sorted(busy.teacher_id.astype(str).unique())
        scheduled, held = scheduled_text(busy)
        who = (f"its only eligible teacher, {teachers[0]}, attends" if len(teachers) == 1
               else f"all {len(teachers)} eligible teachers ({', '.join(teachers)}) attend")
        message = (f"{m.school_id} IEP meeting {m.meeting_id} (student {m.student_id}, grade {grade_name(m.grade)}, "
                   f"{m.day} {m.start}–{m.end}): no eligible teacher is free — {who} a scheduled meeting then: "
                   f"{held}")
        findings.append(Finding.of(("A7.1", "A4.3"), message, _rows([m.meeting_id], teachers)
                                   + [(SCHEDULED_FILE, i) for i in scheduled]))
    return findings


def scheduled_text(busy: pd.DataFrame) -> tuple[list[str], str]:
    """The scheduled meetings of busy pairs (`eligibility.busy_pairs`), by start: their IDs, and `FAC-1 (faculty,
    13:00–14:00); ...`."""
    held = busy.drop_duplicates("meeting_id").sort_values(["start", "meeting_id"])
    return held.meeting_id.astype(str).tolist(), "; ".join(f"{r.meeting_id} ({r.kind}, {r.start}–{r.end})"
                                                             for r in held.itertuples())


def too_few_teachers_for_overlaps(meetings: pd.DataFrame, pairs: pd.DataFrame) -> list[Finding]:
    """A7.1 + A7.2: overlapping meetings outnumber the teachers eligible for them (Hall's condition)."""
    m = pairs.m.to_numpy()
    n_eligible = np.bincount(m, minlength=len(meetings))
    bounds = np.searchsorted(m, np.arange(len(meetings) + 1))  # pairs are sorted by meeting
    t, names = pairs.t.to_numpy(), pairs.teacher_id.cat.categories
    seen: set[frozenset] = set()
    findings = []
    for clique in overlap_cliques(meetings, key="m"):
        # A set S breaking Hall's condition has only meetings with fewer than |S| eligible teachers.
        suspects, size = clique, len(clique) + 1
        while len(suspects) < size:
            size = len(suspects)
            suspects = [k for k in suspects if n_eligible[k] < size]
        if not suspects:
            continue
        edges = ((k, teacher) for k in suspects for teacher in t[bounds[k]:bounds[k + 1]].tolist())
        short = hall_shortage(dict.fromkeys(suspects, 1), edges, capacity=1)  # one meeting per teacher at a time
        if short is None or frozenset(short[0]) in seen:
            continue
        seen.add(frozenset(short[0]))
        findings.append(_shortage(meetings.iloc[short[0]], sorted(names[short[1]])))
    return findings


def _shortage(short: pd.DataFrame, teachers: list[str]) -> Finding:
    start, end = int(short.start_min.max()), int(short.end_min.min())
    ids = short.meeting_id.tolist()
    who = f"only {counted(len(teachers), 'eligible teacher')} can hold them: {', '.join(teachers)}"
    message = (f"{_schools(short)}: {len(short)} IEP meetings ({', '.join(ids)}; {grades_phrase(short.grade)}) "
               f"overlap on {short.day.iloc[0]} {hhmm(start)}–{hhmm(end)} but {who}")
    return Finding.of(("A7.1", "A7.2"), message, _rows(ids, teachers))


def chain_finding(chain: pd.DataFrame, teachers: list[str]) -> Finding:
    """A7.1 + A7.2: the meetings of one overlap chain cannot each go to one of their eligible teachers."""
    ids = sorted(chain.meeting_id)
    message = (f"{_schools(chain)}: IEP meetings {', '.join(ids)} ({grades_phrase(chain.grade)}) on "
               f"{chain.day.iloc[0]} {hhmm(int(chain.start_min.min()))}–{hhmm(int(chain.end_min.max()))} cannot each "
               f"go to one of their eligible teachers ({', '.join(teachers)}) without a teacher holding two "
               f"overlapping meetings")
    return Finding.of(("A7.1", "A7.2"), message, _rows(ids, teachers))


def unrotatable(meetings: pd.DataFrame) -> Finding:
    """A7.1 + A7.2 for a whole group, when no single chain shows why."""
    return Finding.of(("A7.1", "A7.2"), f"{_schools(meetings)}: the IEP meetings cannot be rotated over their "
                      f"eligible teachers without overlaps", _rows(meetings.meeting_id, []))


def _schools(meetings: pd.DataFrame) -> str:
    return ", ".join(sorted(meetings.school_id.unique()))


def _rows(meeting_ids, teachers) -> list[tuple[str, str]]:
    return [(MEETINGS_FILE, m) for m in meeting_ids] + [(TEACHERS_FILE, t) for t in teachers]
