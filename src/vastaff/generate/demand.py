"""Demand, feasible by construction: first a witness plan (every classroom teacher's own single-grade
sections, within every contract limit), then courses.csv and demand.csv summed from it.

The witness is never written; it proves that a plan with no vacancy, no stipend and no multi-grade
section exists, and it tells the IEP generator who teaches which grade.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from vastaff.generate.catalogue import GRADES, catalogue, course_id, grade_weights, offerings
from vastaff.generate.common import ACADEMIC_PERIODS, Context, rank_within
from vastaff.schemas.fields import HOMEROOM

SIZE_SPREAD = {"general": 5, "eld": 5, "special_education": 7, "tk": 8, "utk": 8}
SMALL_UPPER_GROUP = (4, 12)        # students in a small grade-11 or grade-12 group of an upper-grade course
WITNESS_COLUMNS = ["teacher_id", "school_id", "level", "department", "course_id", "code", "program", "semester",
                   "period_id", "grade", "students"]


def load_limits(ctx: Context) -> tuple[int, int, int]:
    """(fewest, most) sections per secondary teacher and semester, and most courses, within A6.1 and A6.3."""
    periods = ACADEMIC_PERIODS * ctx.contract.max_sections_per_period
    most = min(5, ACADEMIC_PERIODS, periods)
    return min(4, most), most, min(4, ctx.contract.max_courses_per_semester)


def secondary_picks(ctx: Context, teachers: pd.DataFrame) -> pd.DataFrame:
    """Each secondary classroom teacher's 2-4 offerings, drawn from what their credentials, department and
    grade range allow at their level (special-education teachers only special_education offerings)."""
    rng = ctx.rng.load
    sec = teachers[teachers.level.isin(["middle", "high"]) & teachers.role.eq("classroom")]
    creds = sec[["teacher_id", "level", "department", "grade_min", "grade_max", "credentials"]].assign(
        credential=sec.credentials.str.split(";")).explode("credential")
    cand = creds.merge(offerings(), on=["level", "credential"])
    sped = cand.department.eq("special_education")
    cand = cand[(sped == cand.program.eq("special_education")) & (cand.lo <= cand.grade_max)
                & (cand.hi >= cand.grade_min)].drop_duplicates(["teacher_id", "offering"])
    cand = cand.sort_values(["teacher_id", "offering"], kind="stable").reset_index(drop=True)
    cand["rank"] = rank_within(cand.teacher_id, rng.random(len(cand)))
    _, _, most_courses = load_limits(ctx)
    wanted = pd.Series(rng.integers(2, most_courses + 1, len(sec)), index=sec.teacher_id.to_numpy())
    cand["k"] = np.minimum(wanted.reindex(cand.teacher_id).to_numpy(),
                           cand.groupby("teacher_id").offering.transform("size").to_numpy())
    return cand[cand["rank"] < cand["k"]][["teacher_id", "offering", "rank", "k"]]


def secondary_sections(ctx: Context, teachers: pd.DataFrame) -> pd.DataFrame:
    """Witness sections of secondary teachers: 4-5 period lines each; line j teaches offering j mod k
    (a year course, or a semester-1 course then its semester-2 partner), so one section per period."""
    rng = ctx.rng.load
    picks = secondary_picks(ctx, teachers)
    k = picks.groupby("teacher_id")["k"].first()
    fewest, most, _ = load_limits(ctx)
    lines_per = rng.integers(fewest, most + 1, len(k))
    line = pd.DataFrame({"teacher_id": np.repeat(k.index.to_numpy(), lines_per)})
    line["line"] = line.groupby("teacher_id").cumcount()
    line["rank"] = line["line"].to_numpy() % np.repeat(k.to_numpy(), lines_per)
    line = line.merge(picks[["teacher_id", "rank", "offering"]], on=["teacher_id", "rank"])
    cat = catalogue()[["level", "offering", "code", "program", "semester", "_w"]]
    who = teachers[["teacher_id", "school_id", "level", "department", "grade_min", "grade_max"]]
    sections = line.merge(cat, on="offering").merge(who, on=["teacher_id", "level"])
    sections["period_id"] = "P" + (sections["line"] + 1).astype(str)
    return sections


def elementary_sections(ctx: Context, teachers: pd.DataFrame) -> pd.DataFrame:
    """Witness homerooms: one per elementary classroom teacher, in their home grade (TK/UTK for early-childhood
    teachers); a special-education teacher's special day program holds one grade of their range."""
    rng = ctx.rng.load
    el = teachers[teachers.level.eq("elementary") & teachers.role.eq("classroom")].copy()
    sped = el.department.eq("special_education").to_numpy()
    spread = el.grade_max.to_numpy() - np.maximum(el.grade_min.to_numpy(), 0) + 1
    sdc_grade = np.maximum(el.grade_min.to_numpy(), 0) + (rng.random(len(el)) * spread).astype(int)
    grade = np.where(sped, sdc_grade, el._grade.to_numpy()).astype(int)
    code = np.where(sped, "SDC", np.select([grade == -2, grade == -1, grade == 0], ["UTK", "TK", "K"],
                                           "G" + grade.astype(str)))
    el = el.assign(code=code, _grade=grade, period_id=HOMEROOM)
    cat = catalogue()[["level", "code", "program", "semester", "_w"]]
    return el.merge(cat, on=["level", "code"])


def section_grades(ctx: Context, sections: pd.DataFrame) -> np.ndarray:
    """One grade per witness section, drawn from the course's grade weights within the teacher's range."""
    weights = grade_weights()[sections._w.to_numpy()]
    inside = (GRADES >= sections.grade_min.to_numpy()[:, None]) & (GRADES <= sections.grade_max.to_numpy()[:, None])
    masked = weights * inside
    allowed = np.where(masked.any(axis=1)[:, None], masked, weights)
    cum = allowed.cumsum(axis=1)
    u = ctx.rng.load.random(len(sections)) * cum[:, -1]
    grade = GRADES[(u[:, None] >= cum).sum(axis=1)]
    return np.clip(grade, sections.grade_min.to_numpy(), sections.grade_max.to_numpy())


def section_size_cap(ctx: Context, program: np.ndarray, grade: np.ndarray) -> np.ndarray:
    """Largest witness section: the A8.1 band mean (and section_max) for general/ELD, else the A8.2 norm."""
    c = ctx.contract
    band = np.array([c.band_mean_max[c.band_of(max(int(g), 0))] for g in range(int(GRADES[0]), int(GRADES[-1]) + 1)])
    general = np.minimum(band[grade - GRADES[0]], c.section_max)
    special = pd.Series(program).map(c.program_max).fillna(0).to_numpy().astype(int)
    return np.where(np.isin(program, ["general", "eld"]), general, special)


def section_sizes(ctx: Context, sections: pd.DataFrame) -> np.ndarray:
    """Students per witness section: within a few of its cap (A8.1 band mean or A8.2 norm)."""
    cap = section_size_cap(ctx, sections.program.to_numpy(), sections.grade.to_numpy())
    low = np.maximum(1, cap - sections.program.map(SIZE_SPREAD).to_numpy())
    return ctx.rng.load.integers(low, cap + 1)


def small_upper_groups(ctx: Context, sections: pd.DataFrame) -> pd.DataFrame:
    """In 1-2 upper-grade high-school courses per school taught in 2-3 sections, the sections become small
    groups of 11th and 12th graders (alternately), so that a multi-grade section is worth weighing (A8.4, A8.5)."""
    rng = ctx.rng.load
    weights = grade_weights()[sections._w.to_numpy()]
    course = sections.school_id + ":" + sections.level + ":" + sections.code
    per_course = course.map(course.value_counts())
    upper = ((weights[:, 11 - GRADES[0]] > 0) & (weights[:, 12 - GRADES[0]] > 0) & sections.program.eq("general")
             & sections.level.eq("high") & per_course.between(2, 3))
    candidates = sections[upper].drop_duplicates(["school_id", "code"])[["school_id"]]
    candidates = candidates.assign(rank=rank_within(candidates.school_id, rng.random(len(candidates))))
    schools = candidates.school_id.unique()
    wanted = candidates.school_id.map(pd.Series(rng.integers(1, 3, len(schools)), index=schools))
    chosen = set(course[candidates[candidates["rank"] < wanted].index])
    small = course.isin(chosen).to_numpy()
    turn = sections[small].groupby(course[small]).cumcount().to_numpy()
    out = sections.copy()
    out.loc[small, "grade"] = 11 + turn % 2
    low, high = SMALL_UPPER_GROUP
    cap = section_size_cap(ctx, out.program.to_numpy()[small], out.grade.to_numpy()[small])
    out.loc[small, "students"] = np.minimum(rng.integers(low, high + 1, int(small.sum())), cap)
    return out


def witness_plan(ctx: Context, teachers: pd.DataFrame) -> pd.DataFrame:
    """All witness sections: teacher, course, semester, period, its one grade and its students."""
    sec = secondary_sections(ctx, teachers)
    sec["grade"] = section_grades(ctx, sec)
    el = elementary_sections(ctx, teachers).rename(columns={"_grade": "grade"})
    sections = pd.concat([el, sec], ignore_index=True)
    sections = sections.sort_values(["teacher_id", "semester", "period_id", "code"], kind="stable")
    sections = sections.reset_index(drop=True)
    sections["students"] = section_sizes(ctx, sections)
    sections = small_upper_groups(ctx, sections)
    sections["course_id"] = course_id(sections.school_id, sections.level, sections.code)
    return sections[WITNESS_COLUMNS]


def build_courses(witness: pd.DataFrame, cat: pd.DataFrame | None = None) -> pd.DataFrame:
    """courses.csv: every catalogue course (default: the standard one) some witness section teaches, per school."""
    used = witness[["school_id", "level", "code", "course_id"]].drop_duplicates("course_id")
    cat = (catalogue() if cat is None else cat)[["level", "code", "title", "subject", "credential", "program",
                                                 "semester"]]
    courses = used.merge(cat, on=["level", "code"])
    cols = ["course_id", "school_id", "title", "subject", "credential", "level", "program", "semester"]
    return courses[cols].sort_values("course_id", kind="stable").reset_index(drop=True)


def build_demand(witness: pd.DataFrame) -> pd.DataFrame:
    """demand.csv: students per course and grade, summed over the witness sections."""
    demand = witness.groupby(["school_id", "course_id", "grade"], sort=True).students.sum().reset_index()
    return demand.sort_values(["course_id", "grade"], kind="stable").reset_index(drop=True)
