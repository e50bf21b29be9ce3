"""The contract model file (`models/*.yaml`): every number of the VA article, each with its article.

Unknown keys, missing keys and out-of-range values are errors naming the key.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Annotated, Generic, Literal, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from vastaff.errors import InputError, InputProblem

DEFAULT_MODEL = Path(__file__).resolve().parents[2] / "models" / "va-2025-2027.yaml"

T = TypeVar("T")
NonNegInt = Annotated[int, Field(ge=0)]
PositiveInt = Annotated[int, Field(ge=1)]
Money = Annotated[float, Field(ge=0)]
HHMM = Annotated[str, Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")]
Grade = Annotated[int, Field(ge=-2, le=12)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Term(_Strict, Generic[T]):
    """A contract number with the article it comes from."""

    value: T
    article: str = Field(min_length=1, description="article of the VA article, e.g. '6.0 A(1)'")
    rule: str | None = Field(default=None, description="rule ID of SPEC.md, e.g. 'A6.1'")
    note: str | None = None


class Window(_Strict):
    start: HHMM
    end: HHMM

    @model_validator(mode="after")
    def _ordered(self) -> "Window":
        if self.end <= self.start:
            raise ValueError("end must be after start")
        return self

    def minutes(self) -> tuple[int, int]:
        return _minutes(self.start), _minutes(self.end)


def _minutes(hhmm: str) -> int:
    h, m = hhmm.split(":")
    return int(h) * 60 + int(m)


class Bands(_Strict):
    """A8.1 band means: K–3 and 4–12."""

    k_3: PositiveInt = Field(alias="K-3")
    b4_12: PositiveInt = Field(alias="4-12")


class ProgramMax(_Strict):
    special_education: PositiveInt
    tk: PositiveInt
    utk: PositiveInt


class Meetings(_Strict):
    pd_meetings_per_week: NonNegInt
    faculty_meetings_per_week: NonNegInt
    faculty_meetings_per_year: NonNegInt
    faculty_meetings_per_month: NonNegInt
    meeting_max_minutes: PositiveInt


class Levels(_Strict):
    article: str
    grades: dict[Literal["elementary", "middle", "high"], tuple[Grade, Grade]]

    @field_validator("grades")
    @classmethod
    def _all_levels(cls, v: dict) -> dict:
        missing = {"elementary", "middle", "high"} - set(v)
        if missing:
            raise ValueError(f"missing level(s): {', '.join(sorted(missing))}")
        for level, (lo, hi) in v.items():
            if lo > hi:
                raise ValueError(f"{level}: first grade above last grade")
        return v


class Periods(_Strict):
    max_sections_per_period: Term[Annotated[int, Field(ge=1, le=10)]]
    eld_alone_in_period: Term[bool]


class Courses(_Strict):
    max_courses_per_semester: Term[PositiveInt]
    stipend_per_course: Term[Money]


class ClassSize(_Strict):
    band_mean_max: Term[Bands]
    section_max: Term[PositiveInt]
    program_max: Term[ProgramMax]
    single_grade_range: Term[tuple[Grade, Grade]]
    max_consecutive_grades: Term[PositiveInt]
    multigrade_from_grade: Term[Grade]
    multigrade_cost: Term[Money]


class XTime(_Strict):
    xtime_hours: Term[Annotated[float, Field(ge=0)]]
    xtime_hourly_rate: Term[Money]


class SpecialEducation(_Strict):
    caseload_cap: Term[PositiveInt]


class Workday(_Strict):
    synchronous_window: Term[Window]
    onsite_window: Term[Window]
    meetings: Term[Meetings]


class Notice(_Strict):
    relocation_notice_days: Term[NonNegInt]
    assignment_change_notice_days: Term[NonNegInt]


STAGES = ("vacancies", "money", "stability", "preferences", "seniority")


class Weights(_Strict):
    vacancy: NonNegInt
    section_change: NonNegInt
    teacher_change: NonNegInt
    load_spread: NonNegInt
    room_shortfall: NonNegInt
    unmet_request: NonNegInt
    iep_spread: NonNegInt
    needs_coverage: NonNegInt
    caseload_spread: NonNegInt


class Objective(_Strict):
    mode: Literal["lexicographic", "weighted"]
    stages: list[Literal["vacancies", "money", "stability", "preferences", "seniority"]]
    weights: Weights

    @field_validator("stages")
    @classmethod
    def _each_stage_once(cls, v: list[str]) -> list[str]:
        if sorted(v) != sorted(STAGES):
            raise ValueError(f"must list each of {', '.join(STAGES)} exactly once")
        return v


class ContractModel(_Strict):
    """The typed contract model. Accessors below give the plain numbers the rules use."""

    model_config = ConfigDict(extra="forbid", frozen=True, ignored_types=(cached_property,))

    name: str
    title: str
    hypothetical: bool
    levels: Levels
    periods: Periods
    courses: Courses
    class_size: ClassSize
    xtime: XTime
    special_education: SpecialEducation
    workday: Workday
    notice: Notice
    objective: Objective
    source: str | None = Field(default=None, exclude=True, description="path it was loaded from")

    # Plain accessors, so rule code reads like the contract.
    @property
    def max_sections_per_period(self) -> int:
        return self.periods.max_sections_per_period.value

    @property
    def max_courses_per_semester(self) -> int:
        return self.courses.max_courses_per_semester.value

    @property
    def stipend_per_course(self) -> float:
        return self.courses.stipend_per_course.value

    @property
    def band_mean_max(self) -> dict[str, int]:
        b = self.class_size.band_mean_max.value
        return {"K-3": b.k_3, "4-12": b.b4_12}

    @property
    def section_max(self) -> int:
        return self.class_size.section_max.value

    @property
    def program_max(self) -> dict[str, int]:
        return self.class_size.program_max.value.model_dump()

    @property
    def single_grade_range(self) -> tuple[int, int]:
        return self.class_size.single_grade_range.value

    @property
    def max_consecutive_grades(self) -> int:
        return self.class_size.max_consecutive_grades.value

    @property
    def multigrade_from_grade(self) -> int:
        return self.class_size.multigrade_from_grade.value

    @property
    def multigrade_cost(self) -> float:
        return self.class_size.multigrade_cost.value

    @property
    def xtime_hours(self) -> float:
        return self.xtime.xtime_hours.value

    @property
    def xtime_hourly_rate(self) -> float:
        return self.xtime.xtime_hourly_rate.value

    @property
    def xtime_cost(self) -> float:
        return self.xtime_hours * self.xtime_hourly_rate

    @property
    def caseload_cap(self) -> int:
        return self.special_education.caseload_cap.value

    @property
    def synchronous_window(self) -> tuple[int, int]:
        """Start and end in minutes after midnight."""
        return self.workday.synchronous_window.value.minutes()

    def level_grades(self, level: str) -> tuple[int, int]:
        return self.levels.grades[level]

    def band_of(self, top_grade: int) -> str:
        """A8.1 band of a section from its highest grade >= 0 (K-3 or 4-12)."""
        return "K-3" if top_grade <= 3 else "4-12"


def load_contract(path: str | Path | None = None) -> ContractModel:
    """Read and validate a contract model file; raise InputError naming each bad key."""
    path = Path(path) if path is not None else DEFAULT_MODEL
    name = str(path)
    if not path.is_file():
        raise InputError([InputProblem(name, expected="a contract model YAML file (file not found)")])
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        row = mark.line + 1 if mark is not None else None
        raise InputError([InputProblem(name, row=row, expected=f"valid YAML ({getattr(exc, 'problem', exc)})")]) from None
    return contract_from_dict(raw, name)


def contract_from_dict(raw: object, name: str = "contract model") -> ContractModel:
    if not isinstance(raw, dict):
        raise InputError([InputProblem(name, expected="a YAML mapping of contract keys")])
    try:
        return ContractModel.model_validate({**raw, "source": name})
    except ValidationError as exc:
        raise InputError([_key_problem(name, err) for err in exc.errors()]) from None


def _key_problem(name: str, err: dict) -> InputProblem:
    key = ".".join(str(p) for p in err["loc"] if not str(p).startswith("function-after"))
    kind = err["type"]
    if kind == "missing":
        expected = "this key (missing)"
    elif kind == "extra_forbidden":
        expected = "no such key (unknown key)"
    else:
        expected = err["msg"].removeprefix("Value error, ")
    value = None if kind in ("missing", "extra_forbidden") else _short(err.get("input"))
    return InputProblem(name, column=key, value=value, expected=expected)


def _short(value: object) -> str:
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "..."
