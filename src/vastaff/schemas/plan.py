"""Row schemas of a plan folder (SPEC.md, "Output: a plan folder")."""

from __future__ import annotations

from pydantic import Field

from vastaff.schemas.fields import (
    Bool, Count, Grade, Id, Int, Number, OptionalId, Outcome, PlanLocation, Semester, Level,
    Department,
)
from vastaff.schemas.inputs import Row


class SectionRow(Row):
    section_id: Id = Field(description="section ID")
    school_id: Id = Field(description="VA school")
    course_id: Id = Field(description="course")
    semester: Semester = Field(description="1, 2 or year")
    period_id: OptionalId = Field(description="academic period, 'homeroom' for elementary; blank for a vacancy")
    teacher_id: OptionalId = Field(description="teacher; blank = vacancy")
    enrollment: Count = Field(description="students in the section")


class SectionGradeRow(Row):
    section_id: Id = Field(description="section")
    grade: Grade = Field(description="grade")
    students: Count = Field(description="students of that grade in the section")


class PlanTeacherRow(Row):
    teacher_id: Id
    courses_s1: Count
    courses_s2: Count
    stipend_courses: Count
    stipend_cost: Number
    multigrade_sections: Count
    multigrade_cost: Number
    xtime_hours: Number
    xtime_cost: Number
    work_location: PlanLocation
    site_id: OptionalId
    room_id: OptionalId


class IepAssignmentRow(Row):
    meeting_id: Id
    teacher_id: Id
    needs_coverage: Bool


class CaseloadRow(Row):
    student_id: Id
    teacher_id: Id


class DisplacementRow(Row):
    teacher_id: Id
    school_id: Id
    from_level: Level
    department: Department
    outcome: Outcome
    to_level: OptionalId
    site_id: OptionalId
    seniority_rank: Int
    article: Id


PLAN_TABLES: dict[str, type[Row]] = {
    "sections": SectionRow,
    "section_grades": SectionGradeRow,
    "teachers": PlanTeacherRow,
    "iep_assignments": IepAssignmentRow,
    "caseloads": CaseloadRow,
    "displacement": DisplacementRow,
}

PLAN_COLUMNS: dict[str, list[str]] = {name: list(schema.model_fields) for name, schema in PLAN_TABLES.items()}
"""Column order of every plan file, as SPEC lists them."""
