"""Row schemas of a plan folder (docs/data-format.md, "Output: the plan folder")."""

from __future__ import annotations

from pydantic import Field

from vastaff.schemas.fields import (
    Amount, Bool, Count, Department, DerivedId, Grade, Id, Int, Level, OptionalId, OptionalLevel, Outcome, PlanLocation,
    RequiredText, Semester,
)
from vastaff.schemas.inputs import Row


class SectionRow(Row):
    section_id: DerivedId = Field(description="section ID")
    school_id: Id = Field(description="VA school")
    course_id: Id = Field(description="course")
    semester: Semester = Field(description="1, 2 or year")
    period_id: OptionalId = Field(description="academic period, 'homeroom' for elementary; blank for a vacancy")
    teacher_id: OptionalId = Field(description="teacher; blank = vacancy")
    enrollment: Count = Field(description="students in the section")


class SectionGradeRow(Row):
    section_id: DerivedId = Field(description="section")
    grade: Grade = Field(description="grade")
    students: Count = Field(description="students of that grade in the section")


class PlanTeacherRow(Row):
    teacher_id: Id = Field(description="every teacher of the input, one row each")
    courses_s1: Count = Field(description="distinct courses in semester 1 (a year course counts)")
    courses_s2: Count = Field(description="distinct courses in semester 2 (a year course counts)")
    stipend_courses: Count = Field(description="sum over semesters of courses beyond the A6.3 limit")
    stipend_cost: Amount = Field(description="A6.3 stipend, dollars")
    multigrade_sections: Count = Field(description="multi-grade sections taught (sections, not section-semesters)")
    multigrade_cost: Amount = Field(description="A8.5 multi-grade differential, dollars")
    xtime_hours: Amount = Field(description="A12 X-time hours owed")
    xtime_cost: Amount = Field(description="A12 X-time cost, dollars")
    work_location: PlanLocation = Field(description="site or home")
    site_id: OptionalId = Field(description="site worked at; blank at home")
    room_id: OptionalId = Field(description="room at that site; blank at home")
    prep_time: Bool = Field(default=False, description="A9.2 (9.0(2)): sections changed against the previous plan "
                                                       "within the notice days before --first-day; may request "
                                                       "preparation time")


class IepAssignmentRow(Row):
    meeting_id: Id = Field(description="IEP meeting (iep_meetings.csv)")
    teacher_id: Id = Field(description="general-education teacher attending (A7.1)")
    needs_coverage: Bool = Field(description="meeting intersects the synchronous window (A7.2)")


class CaseloadRow(Row):
    student_id: Id = Field(description="student of sped_students.csv")
    teacher_id: Id = Field(description="resource specialist carrying the student (A7.3)")


class DisplacementRow(Row):
    teacher_id: Id = Field(description="teacher")
    school_id: Id = Field(description="VA school")
    from_level: Level = Field(description="level before displacement")
    department: Department = Field(description="general or special_education")
    outcome: Outcome = Field(description="retained, moved_level or displaced")
    to_level: OptionalLevel = Field(description="level after: own level if retained, lower level if moved; blank if displaced")
    site_id: OptionalId = Field(description="reporting site of a displaced teacher (A11); blank otherwise")
    seniority_rank: Int = Field(description="1 = most senior within school, level and department")
    article: RequiredText = Field(description="article deciding the outcome, e.g. 10.0(1)")
    xtime_hours: Amount = Field(default=0.0, description="A12 X-time hours owed: a teacher moved level switches "
                                                         "courses (12.0); 0 otherwise")
    xtime_cost: Amount = Field(default=0.0, description="A12 X-time cost, dollars")


PLAN_TABLES: dict[str, type[Row]] = {
    "sections": SectionRow,
    "section_grades": SectionGradeRow,
    "teachers": PlanTeacherRow,
    "iep_assignments": IepAssignmentRow,
    "caseloads": CaseloadRow,
    "displacement": DisplacementRow,
}

PLAN_OPTIONAL: dict[str, set[str]] = {"displacement": {"xtime_hours", "xtime_cost"}, "teachers": {"prep_time"}}
"""Columns a plan file may lack (their defaults fill them): added after plans were first written."""

PLAN_COLUMNS: dict[str, list[str]] = {name: list(schema.model_fields) for name, schema in PLAN_TABLES.items()}
"""Column order of every plan file, as docs/data-format.md lists them."""

TIMETABLE_COLUMNS = ["teacher_id", "school_id", "semester", "period_id", "section_ids", "course_ids", "students"]
"""timetable.csv, one of the files for people (report/tables.py writes it)."""
VACANCY_COLUMNS = ["section_id", "school_id", "course_id", "grades", "students", "reason", "rules"]
"""vacancies.csv, one of the files for people (report/tables.py writes it)."""
