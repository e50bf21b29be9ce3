"""What a displacement leaves uncovered: the credentials a school level's courses need that no teacher kept there holds
any more. Article 10.0 ranks teachers by seniority alone, so this is no violation — but tonight's plan would leave
those courses' sections vacant (DEMAND, CRED), which the people deciding the cut want to know before it is filed.
"""

from __future__ import annotations

import pandas as pd

from vastaff.displace.api import DisplacementResult
from vastaff.schemas.district import District
from vastaff.sections.vacancies import id_list

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
