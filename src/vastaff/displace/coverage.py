"""What a displacement leaves uncovered: the credentials a school level's courses need that no teacher kept there holds
any more, and the decisions of locks.csv that can no longer hold. Article 10.0 ranks teachers by seniority alone, so
neither is a violation — but tonight's plan would leave those courses' sections vacant (DEMAND, CRED), or exit 3 on a
lock (LOCK), which the people deciding the cut want to know before it is filed.
"""

from __future__ import annotations

import pandas as pd

from vastaff.displace.api import DisplacementResult
from vastaff.schemas.district import District
from vastaff.sections.vacancies import id_list

LOCK_TARGETS = (("course_id", "teach {}"), ("period_id", "teach in period {}"), ("site_id", "work at {}"),
                ("room_id", "work in room {}"), ("meeting_id", "hold IEP meeting {}"))
"""What a `require` lock asks of its teacher, by the column that says it (locks.csv)."""


def uncovered_lines(result: DisplacementResult, district: District) -> list[str]:
    """One line per school, level and credential whose courses have students in demand.csv and that a teacher of the
    school level held before the displacement and none kept at that level holds after it."""
    creds = district.teachers.set_index("teacher_id").credentials
    before = _held(district.teachers.rename(columns={"level": "at_level"}), creds)
    kept = result.frame[result.frame.outcome != "displaced"].rename(columns={"to_level": "at_level"})  # retained, moved
    after = _held(kept, creds)
    needed = _needed(district)
    lost = needed.merge(before, on=["school_id", "level", "credential"]).merge(
        after, on=["school_id", "level", "credential"], how="left", indicator=True)
    lost = lost[lost["_merge"] == "left_only"]
    return [f"after the displacement no teacher kept at {r.school_id} {r.level} holds {r.credential}, which "
            f"{id_list(r.courses)} need ({r.students:,} students in demand.csv): their sections would be "
            "vacant tonight (DEMAND, CRED)" for r in lost.itertuples(index=False)]


def _held(teachers: pd.DataFrame, creds: pd.Series) -> pd.DataFrame:
    """(school_id, level, credential) held by the teachers of `teachers` (its `at_level` column is their level)."""
    held = teachers[["teacher_id", "school_id", "at_level"]].assign(credential=teachers.teacher_id.map(creds))
    held = held.explode("credential").dropna(subset=["credential"])
    return held.rename(columns={"at_level": "level"})[["school_id", "level", "credential"]].drop_duplicates()


def _needed(district: District) -> pd.DataFrame:
    """(school_id, level, credential) of the courses with students, with those courses and the students."""
    asked = district.demand[district.demand.students > 0].groupby(["school_id", "course_id"]).students.sum()
    c = district.courses.merge(asked.reset_index(), on=["school_id", "course_id"])
    return c.groupby(["school_id", "level", "credential"]).agg(courses=("course_id", list),
                                                               students=("students", "sum")).reset_index()


def broken_lock_lines(result: DisplacementResult, district: District) -> list[str]:
    """One line per `require` lock (locks.csv) the displacement breaks: any lock of a teacher sent to the priority
    site (Article 11.0), and a course lock of a teacher moved to another level (Article 10.0(1)) on a course of the
    level they leave."""
    frame = result.frame.set_index("teacher_id")
    locks = district.locks[district.locks["mode"] == "require"]
    locks = locks.assign(outcome=locks.teacher_id.map(frame.outcome), to_level=locks.teacher_id.map(frame.to_level),
                         course_level=locks.course_id.map(district.courses.set_index("course_id").level))
    gone = locks[locks.outcome == "displaced"]
    moved = locks[(locks.outcome == "moved_level") & locks.course_level.notna()
                  & (locks.course_level != locks.to_level)]
    return [f"lock {r.lock_id} (locks.csv) requires teacher {r.teacher_id} to {_asked(r)}, but the displacement "
            + (f"moves them to {r.to_level} (Article 10.0(1))" if r.outcome == "moved_level" else
               "sends them to the priority site (Article 11.0)")
            + ": the lock cannot hold once the displacement is filed"
            for r in pd.concat([gone, moved]).sort_values("lock_id", kind="stable").itertuples(index=False)]


def _asked(lock) -> str:
    """What a lock row asks, in words: 'teach VA01-H-ALG' (its first filled column of `LOCK_TARGETS`)."""
    return next((text.format(getattr(lock, column)) for column, text in LOCK_TARGETS
                 if isinstance(getattr(lock, column), str) and getattr(lock, column)), "hold what it names")
