"""The `tight` profile (issue "Never slower than a MIP"): one school per district where money is forced and its
optimum is known by construction; everything else is the standard profile's district.

The tight school is the first school with a high level. Its high level keeps a single world-language teacher W
(the others teach English instead), and W consents to stipends. W alone may teach the level's world-language
courses: ten small `year` electives, each with two consecutive grade cohorts of 4-12 students (9-10, 10-11 or
11-12). A plan without vacancies (DEMAND comes first) gives W all ten courses, which forces, in the shipped model:

* A6.3 (6.0 B(1)): 10 courses in each semester, 2 beyond the limit of 8: 4 stipend courses, $4,800;
* A8.4/A8.5 (8.0(2)-(3)): each course is one two-grade section (one period slot, $600 in each semester) or two
  single-grade sections (two slots, no cost); A6.1 (6.0 A(1)) gives W 6 periods x 2 sections = 12 slots, so at
  most 2 courses split and 8 stay multi-grade: $9,600.

So the school's money optimum is $14,400 (no previous plan: no A12 X-time), and the witness plan reaches it (two
courses split, eight two-grade sections, two sections in every period). The other schools keep the standard
witness, which costs nothing, so the district's money optimum is the same $14,400.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from vastaff.contract import ContractModel
from vastaff.generate.catalogue import LEVEL_LETTER, catalogue, course_id
from vastaff.generate.common import ACADEMIC_PERIODS, Context
from vastaff.generate.demand import WITNESS_COLUMNS

PROFILES = ("standard", "tight")
LEVEL, SUBJECT, OTHER_SUBJECT = "high", "world_language", "english"
EXTRA_COURSES = 2                   # W's courses beyond the A6.3 limit, in each semester
LANGUAGES = [("GERM1", "German 1"), ("ITAL1", "Italian 1"), ("LATIN1", "Latin 1"), ("JAPN1", "Japanese 1"),
             ("KOR1", "Korean 1"), ("ARAB1", "Arabic 1"), ("ARMN1", "Armenian 1"), ("RUSS1", "Russian 1"),
             ("PORT1", "Portuguese 1"), ("ASL1", "American Sign Language 1"), ("HEBR1", "Hebrew 1"),
             ("TAGAL1", "Tagalog 1"), ("VIET1", "Vietnamese 1"), ("GREEK1", "Greek 1")]
GRADE_PAIRS = [(9, 10), (10, 11), (11, 12)]
COHORT = (4, 12)                    # students per grade cohort: two cohorts always fit one section


def check_profile(profile: object) -> None:
    """The generator's profiles: `standard` (the first wave's, money-free) and `tight`."""
    if profile not in PROFILES:
        raise ValueError(f"profile must be one of {', '.join(PROFILES)} (got {profile!r})")


class StandardProfile:
    """The first wave's district as it is: every hook returns its input, and no money optimum is claimed."""

    def restaff(self, staff: pd.DataFrame) -> pd.DataFrame:
        return staff

    def rewitness(self, ctx: Context, witness: pd.DataFrame) -> pd.DataFrame:
        return witness

    def reconsent(self, teachers: pd.DataFrame) -> pd.DataFrame:
        return teachers

    def catalogue(self) -> pd.DataFrame:
        return catalogue()

    def known_money(self, contract: ContractModel) -> dict[str, int]:
        return {}


@dataclass(frozen=True)
class TightSchool(StandardProfile):
    """The tight school and its one world-language teacher W."""

    school_id: str
    teacher_id: str
    n_courses: int
    slots: int                     # W's sections per semester: academic periods x A6.1's sections per period

    def restaff(self, staff: pd.DataFrame) -> pd.DataFrame:
        """W covers the level's grades; the level's other world-language teachers teach English instead."""
        others = self._level(staff) & staff._subject.eq(SUBJECT) & staff.teacher_id.ne(self.teacher_id)
        out = staff.copy()
        out.loc[others, "_subject"] = OTHER_SUBJECT
        out.loc[others, "credentials"] = out.loc[others, "credentials"].str.replace(SUBJECT, OTHER_SUBJECT)
        w = out.teacher_id.eq(self.teacher_id)
        out.loc[w, "grade_min"], out.loc[w, "grade_max"] = GRADE_PAIRS[0][0], GRADE_PAIRS[-1][1]
        return out

    def rewitness(self, ctx: Context, witness: pd.DataFrame) -> pd.DataFrame:
        """W's standard sections give way to the tight courses' optimal sections."""
        kept = witness[witness.teacher_id.ne(self.teacher_id)]
        return pd.concat([kept, self.sections(ctx)], ignore_index=True)[WITNESS_COLUMNS]

    def reconsent(self, teachers: pd.DataFrame) -> pd.DataFrame:
        """A6.3: W consents to teach courses beyond the limit for a stipend."""
        return teachers.assign(stipend_consent=teachers.stipend_consent | teachers.teacher_id.eq(self.teacher_id))

    def catalogue(self) -> pd.DataFrame:
        """The standard catalogue plus the tight courses (high-school world-language `year` electives)."""
        codes, titles = zip(*LANGUAGES[:self.n_courses])
        tight = pd.DataFrame({"level": LEVEL, "code": codes, "title": titles, "subject": SUBJECT,
                              "credential": SUBJECT, "program": "general", "semester": "year",
                              "offering": [f"{LEVEL_LETTER[LEVEL]}-{c}" for c in codes]})
        return pd.concat([catalogue(), tight], ignore_index=True)

    def known_money(self, contract: ContractModel) -> dict[str, int]:
        """The tight school's money optimum in dollars: A6.3 stipends plus A8.5 for the courses that cannot split."""
        stipends = 2 * (self.n_courses - contract.max_courses_per_semester) * contract.stipend_per_course
        multigrade = 2 * self.multigrade_courses * contract.multigrade_cost
        return {self.school_id: int(round(stipends + multigrade))}

    @property
    def multigrade_courses(self) -> int:
        """Courses left as one two-grade section: every course needs a slot, and only spare slots split one."""
        return self.n_courses - (self.slots - self.n_courses)

    def sections(self, ctx: Context) -> pd.DataFrame:
        """W's witness: the first courses split into single-grade sections while slots last, the rest two-grade;
        section i meets in period i mod 6, so every period holds two sections and a split course two periods."""
        n = self.n_courses
        codes = np.array([code for code, _ in LANGUAGES[:n]], dtype=object)
        grades = np.array([GRADE_PAIRS[i % len(GRADE_PAIRS)] for i in range(n)])
        students = ctx.rng.load.integers(COHORT[0], COHORT[1] + 1, size=(n, 2))
        split = n - self.multigrade_courses
        rows = pd.DataFrame({"code": np.repeat(codes, 2), "grade": grades.ravel(), "students": students.ravel(),
                             "section": np.r_[np.arange(2 * split), np.repeat(np.arange(2 * split, split + n), 2)]})
        rows = rows.assign(teacher_id=self.teacher_id, school_id=self.school_id, level=LEVEL, department="general",
                           program="general", semester="year",
                           period_id="P" + (rows.section % ACADEMIC_PERIODS + 1).astype(str))
        rows["course_id"] = course_id(rows.school_id, rows.level, rows.code)
        return rows[WITNESS_COLUMNS]

    def _level(self, staff: pd.DataFrame) -> pd.Series:
        return staff.school_id.eq(self.school_id) & staff.level.eq(LEVEL)


def profile_shape(profile: str, ctx: Context, staff: pd.DataFrame) -> StandardProfile:
    """The hooks of a profile; for `tight`, W is the first world-language general classroom teacher (by ID) of
    the first school with a high level that has one."""
    if profile == "standard":
        return StandardProfile()
    c = ctx.contract
    slots = ACADEMIC_PERIODS * c.max_sections_per_period
    n_courses = c.max_courses_per_semester + EXTRA_COURSES
    if not n_courses <= slots < 2 * n_courses or n_courses > len(LANGUAGES):
        raise ValueError(f"the tight profile needs {n_courses} courses to fill {slots} period slots with some "
                         f"but not all split (A6.1, A6.3 of the contract model)")
    candidates = staff[staff.level.eq(LEVEL) & staff._subject.eq(SUBJECT) & staff.department.eq("general")
                       & staff.role.eq("classroom")].sort_values(["school_id", "teacher_id"], kind="stable")
    if candidates.empty:
        raise ValueError("the tight profile needs a high level with a world-language teacher")
    w = candidates.iloc[0]
    return TightSchool(w.school_id, w.teacher_id, n_courses, slots)
