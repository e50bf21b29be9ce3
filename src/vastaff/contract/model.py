"""The contract model file (`models/*.yaml`): every number of the VA article, each with its article.

Unknown keys, missing keys and out-of-range values are errors naming the key. Numbers are typed strictly (`true`
is not the number 1, `"12"` is not 12) and bounded: the solver works in integer cents and counts, and the bounds
keep every sum over a 20,000-teacher district far below CP-SAT's 2^62 (docs/reliability.md).
"""

from __future__ import annotations

import os
from functools import cached_property, lru_cache
from importlib import resources
from pathlib import Path
from typing import Annotated, Literal


from vastaff.contract.yamlfile import parse_yaml
from vastaff.contract.yamlfile import key_problem
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, field_validator

from vastaff.contract.meetings import MeetingLimits, MeetingTerms
from vastaff.contract.terms import Flag, Hours, Money, PositiveInt, Term, Weight, Window, _Strict, whole
from vastaff.errors import InputError, InputProblem
from vastaff.schemas.fields import GRADE_NAMES, GRADE_RANGE, LEVELS

# package data, so an installed wheel has it too (the repository's top-level models/ links to src/vastaff/models/)
DEFAULT_MODEL = Path(str(resources.files("vastaff") / "models" / "va-2025-2027.yaml"))

Grade = whole(*GRADE_RANGE)
SectionsPerPeriod = whole(1, 10)
CoursesPerSemester = whole(1, 100)
GradeSpan = whole(1, GRADE_RANGE[1] - GRADE_RANGE[0] + 1)
NoticeDays = whole(0, 366)
BandMeanScope = Literal["school", "teacher"]


class Bands(_Strict):
    """A8.1 band means: K–3 and 4–12 (the key names are the bands' grades, as docs/contract.md writes them)."""

    k_3: PositiveInt = Field(alias="K-3")
    b4_12: PositiveInt = Field(alias="4-12")

    @classmethod
    def grades(cls) -> dict[str, tuple[int, int]]:
        """Each band's first and last grade, read from its key name ('K-3' -> (0, 3))."""
        out = {}
        for info in cls.model_fields.values():
            lo, hi = info.alias.split("-")
            out[info.alias] = (GRADE_NAMES[lo] if lo in GRADE_NAMES else int(lo), int(hi))
        return out


class ProgramMax(_Strict):
    special_education: PositiveInt
    tk: PositiveInt
    utk: PositiveInt


def _ordered_pair(v: tuple[int, int]) -> tuple[int, int]:
    if v[0] > v[1]:
        raise ValueError("expected a first grade at or below the last grade")
    return v


GradeRange = Annotated[tuple[Grade, Grade], AfterValidator(_ordered_pair)]


class Levels(_Strict):
    article: str
    grades: dict[Literal["elementary", "middle", "high"], GradeRange]

    @field_validator("grades")
    @classmethod
    def _all_levels_in_order(cls, v: dict) -> dict:
        missing = [lv for lv in LEVELS if lv not in v]
        if missing:
            raise ValueError(f"expected grades for every level (missing: {', '.join(missing)})")
        for below, above in zip(LEVELS, LEVELS[1:]):
            if v[below][1] >= v[above][0]:
                raise ValueError(f"expected {below} grades below {above} grades (levels may not overlap)")
        return v


class Periods(_Strict):
    max_sections_per_period: Term[SectionsPerPeriod]
    eld_alone_in_period: Term[Flag]


class Courses(_Strict):
    max_courses_per_semester: Term[CoursesPerSemester]
    stipend_per_course: Term[Money]


class ClassSize(_Strict):
    band_mean_max: Term[Bands]
    band_mean_scope: Term[BandMeanScope] = Field(description="A8.1: whose sections the band mean averages: a "
                                                 "school's (per band and semester) or each teacher's")
    section_max: Term[PositiveInt]
    program_max: Term[ProgramMax]
    single_grade_range: Term[GradeRange]
    max_consecutive_grades: Term[GradeSpan]
    multigrade_from_grade: Term[Grade]
    multigrade_cost: Term[Money]


class XTime(_Strict):
    xtime_hours: Term[Hours]
    xtime_hourly_rate: Term[Money]


class SpecialEducation(_Strict):
    caseload_cap: Term[PositiveInt]


class Workday(_Strict):
    """4.0 A-B and 3.0: the synchronous window of an instructional day, the on-site obligation, and the short
    synchronous slot of a ROA Friday (the Friday ending a ROA cycle)."""

    synchronous_window: Term[Window]
    onsite_window: Term[Window]
    roa_friday_synchronous: Term[Window]


class Notice(_Strict):
    """9.0(2): a teacher notified of a change in their tentative assignment within this many calendar days before
    the first day of instruction may request preparation time (rule A9.2)."""

    assignment_change_notice_days: Term[NoticeDays]


STAGES = ("vacancies", "money", "stability", "preferences", "matrix", "seniority")


class Weights(_Strict):
    """Relative weights of the terms inside one stage (the stages themselves are lexicographic)."""

    section_change: Weight = Field(description="stability: per section of a course that a teacher teaches more or "
                                               "fewer of than in --previous")
    teacher_change: Weight = Field(description="stability: per teacher whose set of courses changed")
    section_count: Weight = Field(description="preferences: per section opened")
    load_spread: Weight = Field(description="preferences: max - min sections per secondary teacher, per level")
    class_over_mean: Weight = Field(description="preferences, class_sizes: even: per student a course's sections "
                                                "seat above its band's A8.1 mean")
    forced_double: Weight = Field(description="preferences: per section a secondary teacher meets in a semester "
                                              "beyond the academic periods (each doubles a period, 6.0 A(1))")


PERIOD_STAGES = ("doubled", "singleton_clashes", "grade_peak_excess", "period_changes", "max_live_students")
CLASS_SIZES = ("fewest_sections", "even")


def _each_once(v: list[str], names: tuple[str, ...]) -> list[str]:
    twice = sorted({st for st in v if v.count(st) > 1}, key=names.index)
    missing = [st for st in names if st not in v]
    if twice or missing:
        why = "; ".join(filter(None, [
            f"listed twice: {', '.join(twice)}" if twice else "",
            f"missing: {', '.join(missing)}" if missing else ""]))
        raise ValueError(f"expected each of {', '.join(names)} exactly once ({why})")
    return v


class Objective(_Strict):
    """Stages solved in the listed order, each fixing the one before (lexicographic), and the weights inside them;
    the timetable's measures in their order (docs/contract.md, "The timetable", after the sections are fixed); and
    what the preferences stage does to class sizes."""

    stages: list[Literal["vacancies", "money", "stability", "preferences", "matrix", "seniority"]]
    weights: Weights
    period_stages: list[Literal["doubled", "singleton_clashes", "grade_peak_excess", "period_changes",
                                "max_live_students"]]
    class_sizes: Literal["fewest_sections", "even"] = Field(
        description="preferences: fewest_sections opens as few sections as A8.1/A8.2 allow; even first keeps every "
                    "course's average class at or under its A8.1 band mean where teachers allow, then fewest sections")

    @field_validator("period_stages")
    @classmethod
    def _each_measure_once(cls, v: list[str]) -> list[str]:
        return _each_once(v, PERIOD_STAGES)

    @field_validator("stages")
    @classmethod
    def _each_stage_once(cls, v: list[str]) -> list[str]:
        return _each_once(v, STAGES)


class ContractModel(_Strict):
    """The typed contract model. Accessors below give the plain numbers the rules use."""

    model_config = ConfigDict(extra="forbid", frozen=True, ignored_types=(cached_property,), defer_build=True)

    name: str
    title: str
    hypothetical: Flag
    levels: Levels
    periods: Periods
    courses: Courses
    class_size: ClassSize
    xtime: XTime
    special_education: SpecialEducation
    workday: Workday
    notice: Notice
    meetings: MeetingTerms
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

    @property
    def onsite_window_minutes(self) -> tuple[int, int]:
        """4.0 A: the on-site obligation (8:00 am-2:50 pm), start and end in minutes after midnight."""
        return self.workday.onsite_window.value.minutes()

    @property
    def roa_friday_synchronous_minutes(self) -> tuple[int, int]:
        """3.0: the synchronous slot of a ROA Friday (8:30-9:00 am), in minutes after midnight."""
        return self.workday.roa_friday_synchronous.value.minutes()

    @property
    def assignment_change_notice_days(self) -> int:
        """9.0(2): calendar days before the first day of instruction within which a changed assignment earns
        preparation time (A9.2)."""
        return self.notice.assignment_change_notice_days.value

    @property
    def band_mean_scope(self) -> str:
        """A8.1 (8.0): `school` (per school, band and semester) or `teacher` (per teacher, band and semester)."""
        return self.class_size.band_mean_scope.value

    @property
    def meeting_limits(self) -> MeetingLimits:
        """Article 4.0 C's numbers in minutes and counts (rules A4.1-A4.3); meetings start after the synchronous
        window."""
        return self.meetings.limits(self.synchronous_window[1])

    def level_grades(self, level: str) -> tuple[int, int]:
        return self.levels.grades[level]

    def band_of(self, top_grade: int) -> str:
        """A8.1 band of a section from its highest grade >= 0 (K-3 or 4-12); bounds come from the band names."""
        for band, (_, hi) in Bands.grades().items():
            if top_grade <= hi:
                return band
        return band


def load_contract(path: str | Path | None = None) -> ContractModel:
    """Read and validate a contract model file; raise InputError naming each bad key."""
    path = Path(path) if path is not None else DEFAULT_MODEL
    if not os.path.isfile(path):
        why = "file not found" if not os.path.lexists(path) else "got a folder" if os.path.isdir(path) else \
            "got a special file or a broken link"
        raise InputError([InputProblem(str(path), expected=f"a contract model YAML file ({why})")])
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InputError([InputProblem(str(path), expected="a UTF-8 text file")]) from None
    return contract_from_dict(_parse_model_yaml(text, str(path)), str(path))


@lru_cache(maxsize=16)
def _parse_model_yaml(text: str, name: str) -> object:
    """The parsed YAML of a model file's text (parsing is slow, so it is cached by content; validation is fast and
    done per call, so every caller gets its own ContractModel)."""
    return parse_yaml(text, name)


def contract_from_dict(raw: object, name: str = "contract model") -> ContractModel:
    """Validate a contract model given as a dict (e.g. a scenario's edited copy); InputError naming each bad key."""
    if not isinstance(raw, dict):
        raise InputError([InputProblem(name, expected="a YAML mapping of contract keys")])
    try:
        return ContractModel.model_validate({**raw, "source": name})
    except ValidationError as exc:
        raise InputError([_key_problem(name, err) for err in exc.errors()]) from None


def _key_problem(name: str, err: dict) -> InputProblem:
    """One InputProblem naming the dotted key (e.g. `class_size.section_max`) and what it must be."""
    loc = [str(p) for p in err["loc"] if not str(p).startswith(("function-", "tuple["))]
    return key_problem(name, loc, err, _known_keys, lambda: _expected(err["type"], err.get("ctx") or {}, err["msg"]))


def _expected(kind: str, ctx: dict, msg: str) -> str:
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        op = {"greater_than_equal": ">=", "greater_than": ">", "less_than_equal": "<=", "less_than": "<"}[kind]
        bound = next(iter(ctx.values()))
        if isinstance(bound, float) and bound.is_integer():
            bound = int(bound)
        return f"a number {op} {bound:,}"
    simple = {
        "int_parsing": "a whole number", "int_from_float": "a whole number", "int_type": "a whole number",
        "float_parsing": "a number", "float_type": "a number", "bool_parsing": "true or false", "bool_type": "true or false",
        "string_pattern_mismatch": "a time HH:MM (00:00 to 23:59)", "string_type": "a text", "string_too_short": "a non-empty text",
        "dict_type": "a mapping of keys", "model_type": "a mapping of keys", "model_attributes_type": "a mapping of keys",
        "tuple_type": "a list", "list_type": "a list",
    }
    if kind in simple:
        return simple[kind]
    if kind == "literal_error":
        return f"one of {ctx.get('expected', '')}".replace("'", "")
    if kind == "too_long":
        return f"a list of at most {ctx.get('max_length')} values"
    return msg.removeprefix("Value error, ").removeprefix("expected ")


def _known_keys(loc: list[str]) -> list[str]:
    """The keys a mapping at `loc` may hold, when the model says (for 'unknown key' messages)."""
    model: type[BaseModel] = ContractModel
    for part in loc:
        info = next((f for n, f in model.model_fields.items() if part in (n, f.alias)), None)
        if info is None or not (isinstance(info.annotation, type) and issubclass(info.annotation, BaseModel)):
            return []
        model = info.annotation
    return [f.alias or n for n, f in model.model_fields.items() if n != "source"]
