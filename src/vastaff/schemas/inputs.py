"""Row schemas of the input data folder (docs/data-format.md, "Input: the data folder").

Each number column has its own bound (below): far above any real district, low enough that every count fits
int64 and every algorithm stays bounded (a room's places, a demand row's sections, a CP-SAT sum).
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from vastaff.schemas.fields import (
    Bool, Date, Department, Grade, Id, IdList, Level, Levels, OptionalId, PeriodKind, Program, RaStatus,
    Role, RoomKind, Semester, SiteStatus, OneLine, Text, Time, WorkLocation, _choice, _grade, _text, number, whole,
    DEPARTMENTS, LEVELS, SEMESTERS,
)

MAX_STUDENTS = 100_000
"""Students of one course and grade at one school (demand.csv)."""
MAX_ROOM_CAPACITY = 1_000
"""Teachers one shared room holds (rooms.csv; A19 places)."""
MAX_POSITIONS = 10_000
"""Positions of one school, level and department (positions.csv; A10)."""
MAX_PERIOD_ORDER = 1_000
"""|order| of a rotation period (periods.csv)."""
MAX_TIEBREAK = 10**9
"""|seniority_tiebreak| (teachers.csv)."""
MAX_KM = 10_000
"""|x_km|, |y_km| of a region centre (regions.csv): a quarter of the earth's circumference."""

Km = number(-MAX_KM, MAX_KM)
Students = whole(0, MAX_STUDENTS)
RoomCapacity = whole(1, MAX_ROOM_CAPACITY)
Positions = whole(0, MAX_POSITIONS)
PeriodOrder = whole(-MAX_PERIOD_ORDER, MAX_PERIOD_ORDER)
Tiebreak = whole(-MAX_TIEBREAK, MAX_TIEBREAK)


class Row(BaseModel):
    """A row of an input table; extra columns are kept in the file and ignored here."""

    # defer_build: a model's validator is built when first used, so a command builds only what it validates with
    # (of ~90 models, a solve uses ~16: 0.05 s of every start)
    model_config = ConfigDict(extra="ignore", frozen=True, defer_build=True)


class SchoolRow(Row):
    school_id: Id = Field(description="VA school ID")
    name: OneLine = Field(description="school name")
    region_id: Id = Field(description="LAUSD region of the school (regions.csv)")
    levels: Levels = Field(description="school levels offered: elementary;middle;high")


class RegionRow(Row):
    region_id: Id = Field(description="region ID")
    name: OneLine = Field(description="region name")
    x_km: Km = Field(description="east coordinate of the region centre, km")
    y_km: Km = Field(description="north coordinate of the region centre, km")


class SiteRow(Row):
    site_id: Id = Field(description="welcome-center site ID")
    name: OneLine = Field(description="site name")
    region_id: Id = Field(description="region of the site (regions.csv)")
    priority_site: Bool = Field(description="Article 11.0 priority reporting site")
    status: SiteStatus = Field(description="open, temporarily_closed (A25) or closed (A26)")


class RoomRow(Row):
    room_id: Id = Field(description="room ID")
    site_id: Id = Field(description="site of the room (sites.csv)")
    kind: RoomKind = Field(description="classroom (one teacher) or shared")
    capacity: RoomCapacity = Field(description="teachers a shared room holds with partitions")
    partitions: Bool = Field(description="shared room furnished with partitions (Article 19.0)")


class TeacherRow(Row):
    teacher_id: Id = Field(description="teacher ID")
    name: OneLine = Field(description="teacher name")
    school_id: Id = Field(description="VA school (schools.csv)")
    level: Level = Field(description="school level: elementary, middle or high")
    department: Department = Field(description="general or special_education (Article 9.0(1))")
    role: Role = Field(description="classroom or resource_specialist")
    seniority_date: Date = Field(description="district seniority date; earlier is more senior")
    seniority_tiebreak: Tiebreak = Field(description="lower breaks a tie of seniority dates")
    credentials: IdList = Field(description="credentials held, ';'-separated")
    grade_min: Grade = Field(description="lowest grade authorized")
    grade_max: Grade = Field(description="highest grade authorized")
    home_region_id: Id = Field(description="region of the teacher's home (regions.csv)")
    current_site_id: OptionalId = Field(description="site the teacher works at now, blank if none")
    work_location: WorkLocation = Field(description="site, home or either")
    ra_status: RaStatus = Field(description="reasonable accommodation for remote work (Article 16.0)")
    stipend_consent: Bool = Field(description="agrees to teach more than 8 courses for a stipend (A6.3)")
    requested_site_ids: IdList = Field(description="ranked site requests, ';'-separated (A24)")


class CourseRow(Row):
    course_id: Id = Field(description="course ID, unique in the district")
    school_id: Id = Field(description="VA school offering it")
    title: OneLine = Field(description="course title")
    subject: Id = Field(description="subject family; A6.1 pairs only courses of one subject")
    credential: Id = Field(description="credential required to teach it (CRED)")
    level: Level = Field(description="school level of the course")
    program: Program = Field(description="general, eld, special_education, tk or utk")
    semester: Semester = Field(description="1, 2 or year")


class DemandRow(Row):
    school_id: Id = Field(description="VA school")
    course_id: Id = Field(description="course (courses.csv)")
    grade: Grade = Field(description="grade of the students")
    students: Students = Field(description="students of that grade enrolled in the course")


class PeriodRow(Row):
    school_id: Id = Field(description="VA school")
    period_id: Id = Field(description="rotation period, e.g. P1; 'homeroom' is reserved")
    kind: PeriodKind = Field(description="advisory or academic")
    order: PeriodOrder = Field(description="position in the rotation")


class IepMeetingRow(Row):
    meeting_id: Id = Field(description="meeting ID")
    school_id: Id = Field(description="VA school")
    student_id: Id = Field(description="student the IEP is for")
    grade: Grade = Field(description="the student's grade")
    date: Date = Field(description="meeting date")
    start: Time = Field(description="start time HH:MM")
    end: Time = Field(description="end time HH:MM")
    eligible_teacher_ids: IdList = Field(description="explicit eligible teachers; blank = the school's general-education teachers of that grade")


class SpedStudentRow(Row):
    student_id: Id = Field(description="student with a resource-specialist caseload (A7.3)")
    school_id: Id = Field(description="VA school")
    grade: Grade = Field(description="the student's grade")


def _department_default_general(v: object) -> str:
    return _choice(*DEPARTMENTS)(_text(v) or "general")


class PositionRow(Row):
    school_id: Id = Field(description="VA school")
    level: Level = Field(description="school level")
    department: Annotated[str, BeforeValidator(_department_default_general)] = Field(
        default="general", description="general or special_education (default general)")
    positions: Positions = Field(description="teaching positions kept (A10)")


LOCK_MODES = ("require", "forbid")
HOME_SITE = "home"
"""`site_id = home` in locks.csv: the teacher works from home (docs/data-format.md, "locks.csv")."""
LOCK_GROUPS: dict[str, tuple[str, ...]] = {
    "course_id": ("semester", "period_id"),
    "period_id": ("semester",),
    "site_id": ("room_id",),
    "meeting_id": (),
}
"""What a lock row locks, besides teacher_id: the column that names its group -> the columns that may narrow it.
A row fills one group; the first named column of this order decides which (docs/decisions.md, "Locks")."""


def _optional_semester(v: object) -> str | None:
    return _choice(*SEMESTERS)(v) if _text(v) else None


class LockRow(Row):
    lock_id: Id = Field(description="lock ID, unique in the file; conflicts name the row by it")
    teacher_id: Id = Field(description="teacher the decision is about (teachers.csv)")
    mode: Annotated[str, BeforeValidator(_choice(*LOCK_MODES))] = Field(
        description="require: the plan has a matching assignment; forbid: it has none")
    course_id: OptionalId = Field(description="course group: a course of the teacher's school")
    semester: Annotated[str | None, BeforeValidator(_optional_semester)] = Field(
        description="1, 2 or year (both semesters), narrowing a course or period lock; blank: any")
    period_id: OptionalId = Field(description="a period of the school, narrowing a course lock, or alone (forbid only)")
    site_id: OptionalId = Field(description="site group: a site of sites.csv, or home (works from home)")
    room_id: OptionalId = Field(description="a room at that site (rooms.csv), narrowing a site lock")
    meeting_id: OptionalId = Field(description="meeting group: an IEP meeting (iep_meetings.csv) the teacher holds")
    reason: Text = Field(default="", description="why (free text, for people)")


MAX_RANK = 1_000
"""Choices one teacher lists in matrix.csv (`rank` 1..MAX_RANK)."""
MATRIX_CHOICES = ("grade", "course_id", "level")
"""What a matrix.csv row chooses: exactly one of these is filled (docs/data-format.md, "matrix.csv")."""


def _optional_grade(v: object) -> int | None:
    return _grade(v) if _text(v) else None


def _optional_level(v: object) -> str | None:
    return _choice(*LEVELS)(v) if _text(v) else None


class MatrixRow(Row):
    teacher_id: Id = Field(description="teacher whose choice this is (teachers.csv)")
    rank: whole(1, MAX_RANK) = Field(description="1 = first choice; a teacher's ranks run 1, 2, ... without repeats")
    grade: Annotated[int | None, BeforeValidator(_optional_grade)] = Field(
        description="elementary: a homeroom of this grade (9.0; IX-A 2.0(c))")
    course_id: OptionalId = Field(description="secondary: a course of the teacher's school and level (IX-A 2.0(d))")
    level: Annotated[str | None, BeforeValidator(_optional_level)] = Field(
        description="a level move asked for (9.0(1)): a level of the teacher's school other than their own")


INPUT_TABLES: dict[str, tuple[type[Row], bool]] = {
    "schools": (SchoolRow, True),
    "regions": (RegionRow, True),
    "sites": (SiteRow, True),
    "rooms": (RoomRow, True),
    "teachers": (TeacherRow, True),
    "courses": (CourseRow, True),
    "demand": (DemandRow, True),
    "periods": (PeriodRow, True),
    "iep_meetings": (IepMeetingRow, False),
    "sped_students": (SpedStudentRow, False),
    "positions": (PositionRow, False),
    "locks": (LockRow, False),
    "matrix": (MatrixRow, False),
}
"""Table name -> (row schema, required). Files are `<name>.csv` or sheets `<name>` of one workbook."""

OPTIONAL_COLUMNS = {("positions", "department"), ("locks", "reason")}
