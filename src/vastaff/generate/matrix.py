"""matrix.csv: this spring's ranked choices (docs/data-format.md; rule A9.1), from the seed's own `matrix` stream.

Most elementary classroom teachers rank 2-3 grades they may teach at their school — half of them the grade they
teach now first, and kindergarten and grade 1 wanted by many, so seniority decides; most secondary classroom
teachers rank 1-3 courses of their school and level within their credentials, the courses they teach now more
often than others; a few secondary general teachers ask, last, to move to the other secondary level of their
school (9.0(1)) where their credential and grades fit one of its courses (a teacher authorized for 6-12). Every choice is one the loader accepts, and most
can be granted by some plan.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from vastaff.generate.common import Context
from vastaff.schemas.fields import grade_name

POPULAR = {-2: .3, -1: .6, 0: 3.0, 1: 3.0, 2: 1.6, 3: 1.2, 4: 1.0, 5: 1.0}
"""How much elementary teachers want each grade (UTK..5): kindergarten and grade 1 are contested."""
CHOOSERS = {"elementary": .75, "middle": .6, "high": .6}
"""The share of classroom teachers of each level who list choices."""
KEEP_OWN = .5
"""The share of elementary choosers who rank the grade they teach now first."""
OWN_COURSE_WEIGHT = 3.0
"""A secondary teacher ranks a course they teach now this much more often than another one."""
MOVE_SHARE = .15
"""The share of secondary teachers authorized for grades 6-12 who ask to move to the other secondary level."""
OTHER_LEVEL = {"middle": "high", "high": "middle"}
COLUMNS = ["teacher_id", "rank", "grade", "course_id", "level"]


def build_matrix(ctx: Context, teachers: pd.DataFrame, courses: pd.DataFrame, demand: pd.DataFrame,
                 witness: pd.DataFrame) -> pd.DataFrame:
    """matrix.csv's rows (blanks as ''), by teacher and rank; one random draw sequence in teacher ID order."""
    rng = ctx.rng.matrix
    t = teachers[teachers.role == "classroom"].sort_values("teacher_id", kind="stable")
    t = t[rng.random(len(t)) < t.level.map(CHOOSERS).to_numpy()]
    grades = _grade_options(t, courses, demand)
    course_options = _course_options(t, courses, demand)
    now = witness.groupby("teacher_id", sort=False)
    taught = now.course_id.agg(set).to_dict()
    own_grade = witness[witness.level == "elementary"].groupby("teacher_id").grade.first().to_dict()
    movable = _course_options(t[t.level != "elementary"].assign(level=lambda f: f.level.map(OTHER_LEVEL)),
                              courses, demand)
    rows: list[tuple] = []
    for r in t.itertuples(index=False):
        if r.level == "elementary":
            picked = _elementary(rng, grades.get(r.teacher_id, []), own_grade.get(r.teacher_id))
            rows += [(r.teacher_id, grade_name(g), "", "") for g in picked]
        else:
            rows += [(r.teacher_id, "", c, "") for c in
                     _secondary(rng, course_options.get(r.teacher_id, []), taught.get(r.teacher_id, set()))]
            if r.department == "general" and r.teacher_id in movable and rng.random() < MOVE_SHARE:
                rows.append((r.teacher_id, "", "", OTHER_LEVEL[r.level]))
    m = pd.DataFrame(rows, columns=["teacher_id", "grade", "course_id", "level"])
    m.insert(1, "rank", m.groupby("teacher_id", sort=False).cumcount() + 1)
    return m[COLUMNS]


def _grade_options(t: pd.DataFrame, courses: pd.DataFrame, demand: pd.DataFrame) -> dict[str, list[int]]:
    """Per elementary teacher: the grades of their school's general, TK and UTK homerooms they may teach, sorted."""
    el = courses[(courses.level == "elementary") & (courses.program != "special_education")]
    d = demand.merge(el[["course_id", "credential"]], on="course_id")[["school_id", "grade", "credential"]]
    e = t[t.level == "elementary"][["teacher_id", "school_id", "credentials", "grade_min", "grade_max"]]
    e = e.assign(credential=e.credentials.str.split(";")).explode("credential")
    pairs = e.merge(d, on=["school_id", "credential"])
    pairs = pairs[pairs.grade.between(pairs.grade_min, pairs.grade_max)].drop_duplicates(["teacher_id", "grade"])
    return pairs.sort_values(["teacher_id", "grade"]).groupby("teacher_id").grade.agg(list).to_dict()


def _course_options(t: pd.DataFrame, courses: pd.DataFrame, demand: pd.DataFrame) -> dict[str, list[str]]:
    """Per secondary teacher: their school's courses of their level they hold the credential for, with a grade in
    their range (special education courses for that department only), sorted by ID."""
    s = t[t.level != "elementary"][["teacher_id", "school_id", "level", "department", "credentials", "grade_min",
                                    "grade_max"]]
    s = s.assign(credential=s.credentials.str.split(";")).explode("credential")
    c = demand.merge(courses[["course_id", "credential", "level", "program"]], on="course_id")
    pairs = s.merge(c, on=["school_id", "level", "credential"])
    pairs = pairs[pairs.grade.between(pairs.grade_min, pairs.grade_max)
                  & ((pairs.program != "special_education") | (pairs.department == "special_education"))]
    pairs = pairs.drop_duplicates(["teacher_id", "course_id"]).sort_values(["teacher_id", "course_id"])
    return pairs.groupby("teacher_id").course_id.agg(list).to_dict()


def _elementary(rng: np.random.Generator, options: list[int], own: int | None) -> list[int]:
    """2-3 grades (fewer if fewer fit), best first: the grade taught now first for KEEP_OWN of them."""
    k = min(int(rng.integers(2, 4)), len(options))
    keep = rng.random() < KEEP_OWN
    if k == 0:
        return []
    first = [int(own)] if keep and own is not None and own in options else []
    rest = [g for g in options if g not in first]
    weights = np.array([POPULAR[g] for g in rest])
    drawn = rng.choice(rest, size=k - len(first), replace=False, p=weights / weights.sum()) if rest else []
    return first + [int(g) for g in drawn]


def _secondary(rng: np.random.Generator, options: list[str], taught: set[str]) -> list[str]:
    """1-3 courses (fewer if fewer fit), those taught now more likely."""
    k = min(int(rng.integers(1, 4)), len(options))
    if k == 0:
        return []
    weights = np.array([OWN_COURSE_WEIGHT if c in taught else 1.0 for c in options])
    return [str(c) for c in rng.choice(options, size=k, replace=False, p=weights / weights.sum())]

