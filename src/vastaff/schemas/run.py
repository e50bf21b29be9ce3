"""Run records: the typed `run.json` of `solve`, `displace` and `scenario run` (docs/data-format.md, "run.json").

Each record is built in one place (nightly.py, displace/api.py, scenario/runner.py) and written by io/plan.py only,
which dumps it with `Record.dump()`. The JSON keys come out in field order, so a field's place is part of the
format: tests and the checker read these files, and the same input, model and seed give the same bytes (timing
fields aside). A field declared with `absent()` is left out of the file when it is None (e.g. `conflicts`, only on
INFEASIBLE); every other field is always written, None as null.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

if TYPE_CHECKING:
    from vastaff.rules import Finding


class Status(StrEnum):
    """The documented run statuses (docs/data-format.md, "run.json")."""

    OPTIMAL = "OPTIMAL"
    FEASIBLE = "FEASIBLE"
    INFEASIBLE = "INFEASIBLE"
    INVALID_INPUT = "INVALID_INPUT"

    @property
    def has_plan(self) -> bool:
        return self in (Status.OPTIMAL, Status.FEASIBLE)


class ScenarioStatus(StrEnum):
    """How a scenario ended: the documented statuses, ERROR (a bug, kept local to the scenario) and NOT_WRITTEN (its
    folder could not be written; never in a run.json, only in the outcome)."""

    OPTIMAL = "OPTIMAL"
    FEASIBLE = "FEASIBLE"
    INFEASIBLE = "INFEASIBLE"
    INVALID_INPUT = "INVALID_INPUT"
    ERROR = "ERROR"
    NOT_WRITTEN = "NOT_WRITTEN"


def _python_number(value: Any) -> Any:
    return value.item() if hasattr(value, "item") else value  # numpy scalar -> int or float, as computed


Number = Annotated[int | float, BeforeValidator(_python_number)]
"""A stage value as the solver gave it: an int stays an int (written 164), a float a float (164.0)."""


def absent(description: str) -> Any:
    """A field written only when set: None leaves the key out of run.json."""
    return Field(default=None, exclude_if=lambda value: value is None, description=description)


class Record(BaseModel):
    """A block of run.json: unknown keys are a programming error; built once, never mutated."""

    # defer_build: a model's validator is built when first used, so a command builds only what it validates with
    # (of ~90 models, a solve uses ~16: 0.05 s of every start)
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    def dump(self) -> dict[str, Any]:
        """run.json's data in field order (json.dumps of it is the file; io/plan.run_json)."""
        return self.model_dump()


# ---------------------------------------------------------------------------------------------------------
# vastaff solve


class Costs(Record):
    stipend: float = Field(description="A6.3 stipends, dollars")
    multigrade: float = Field(description="A8.5 multi-grade differential, dollars")
    xtime: float = Field(description="A12 X-time, dollars")
    total: float = Field(description="the sum: the money stage's objective, dollars")


class VacancyItem(Record):
    section_id: str = Field(description="the vacant section of sections.csv")
    course_id: str = Field(description="its course")
    grades: list[int] = Field(description="its grades")
    rules: list[str] = Field(description="rule IDs that leave it vacant (DEMAND first)")
    reason: str = Field(description="why no eligible teacher takes it, in contract terms")


class Vacancies(Record):
    count: int = Field(description="vacant sections")
    items: list[VacancyItem] = Field(description="one per vacant section")


class Changes(Record):
    """Against last night's plan (--previous): what the stability stage minimised."""

    sections: int = Field(description="sections whose (course, teacher, semester) is new")
    teachers: int = Field(description="teachers whose set of courses changed")
    periods: int = Field(description="kept sections that moved period")
    teachers_changed: int | None = Field(None, description="teachers with a row in changes.csv, of any kind (the "
                                                           "console's count); null without a plan")
    by_kind: dict[str, int] | None = Field(None, description="teachers per kind of changes.csv (courses, periods, "
                                                             "site, room, iep, caseload); null without a plan")


class StageTotal(Record):
    """One objective stage over all schools (dollars for money; SectionPlan holds it in the solver's cents)."""

    value: float = Field(description="sum of the schools' values (schools with no solution in time left out)")
    bound: float = Field(description="sum of the schools' proven bounds")
    optimal_parts: int = Field(description="schools that proved this stage optimal")
    parts: int = Field(description="schools that ran this stage")


class StageResult(Record):
    status: str = Field(description="OPTIMAL, FEASIBLE or UNKNOWN (no solution in time)")
    value: Number | None = Field(description="the school's value; null when UNKNOWN")
    bound: Number | None = Field(description="the school's proven bound; null when UNKNOWN")


class SchoolSummary(Record):
    status: str = Field(description="the school's solver status (OPTIMAL, FEASIBLE, GREEDY, INFEASIBLE)")
    stages: dict[str, StageResult] = Field(description="per stage, in solve order")


class PeriodFigureRecord(Record):
    """One school's timetable figures (docs/contract.md, "The timetable"), each measure beside its a-priori floor."""

    status: str = Field(description="OPTIMAL (every measure proven), FEASIBLE, GREEDY (--method greedy: first-fit)")
    doubled: int = Field(description="(teacher, semester, period) holding 2 sections")
    doubled_floor: int = Field(description="the fewest doubled periods any timetable has (A6.1, A6.2)")
    singleton_clashes: int = Field(description="pairs of single-section courses of one grade in one period")
    singleton_floor: int = Field(description="the fewest such pairs any timetable has")
    grade_peak_excess: int = Field(description="sum over semester and grade of peak - ceil(sections / periods)")
    max_live_students: int = Field(description="the largest enrollment one teacher meets at once")
    max_live_floor: int = Field(description="no timetable with as many doubled periods meets fewer at once")
    period_changes: int = Field(description="kept sections not in a period they had in --previous")
    teacher_mean_class_min: float = Field(description="smallest average class size of a secondary teacher")
    teacher_mean_class_max: float = Field(description="largest average class size of a secondary teacher")
    first_fit: dict[str, int | float] | None = Field(description="the same figures for the clerk's first-fit "
                                                                 "packing, what the timetable is judged against; null "
                                                                 "for greedy")


class PeriodsSummary(PeriodFigureRecord):
    """run.json `periods`: the district's figures (sums; maxima for the largest live group and class averages), then
    each school's."""

    schools: dict[str, PeriodFigureRecord] = Field(description="per school")


class MatrixFigures(Record):
    """One school and level of record (docs/contract.md, A9.1): how the teachers' ranked choices were granted."""

    teachers_with_choices: int = Field(description="teachers who listed choices in matrix.csv")
    first_choice: int = Field(description="of them, granted their rank-1 choice")
    within_top3: int = Field(description="granted one of their choices ranked 1-3 (first choices included)")
    none_granted: int = Field(description="granted none of their choices")


class Timing(Record):
    stage_seconds: dict[str, dict[str, float]] = Field(description="per school and stage, wall seconds")


class RowRecord(Record):
    file: str = Field(description="input file, e.g. demand.csv")
    key: str = Field(description="the row's ID there, e.g. MA-ALG1:9")


class ConflictRecord(Record):
    """docs/data-format.md ("run.json"): `{rules: [IDs], message, rows: [{file, key}]}`."""

    rules: list[str] = Field(description="rule IDs in conflict")
    message: str = Field(description="one sentence in contract terms")
    rows: list[RowRecord] = Field(description="the rows behind it")

    @classmethod
    def of(cls, finding: Finding) -> ConflictRecord:
        """From a Finding (or a conflict of the same shape: rules, message, rows of (file, key))."""
        return cls(rules=list(finding.rules), message=finding.message,
                   rows=[RowRecord(file=file, key=key) for file, key in finding.rows])


class Listing(Record):
    count: int = Field(description="how many")
    items: list[dict[str, Any]] = Field(description="one record each")


class IepSummary(Record):
    status: str = Field(description="how the A7.1/A7.2 rotation was found")
    schools: dict[str, dict[str, Any]] = Field(description="per school: meetings, spread, coverage (people/iep)")


class PeopleSummary(Record):
    locations: dict[str, Any] = Field(description="A16, A19, A24-A26 figures (people/location)")
    room_shortfall: Listing = Field(description="teachers who chose a site and found no room there")
    iep: IepSummary = Field(description="A7.1, A7.2 IEP meetings")
    caseloads: dict[str, Any] = Field(description="A7.3 figures (people/caseload)")


class PrepTime(Record):
    """A9.2 (9.0(2)): who may request preparation time — sections changed against the previous plan, notified within
    the notice days before the first day of instruction."""

    first_day: str = Field(description="--first-day, the first day of instruction (YYYY-MM-DD)")
    as_of: str = Field(description="--as-of, the day the assignment is notified (default: the day of the run)")
    notice_days: int = Field(description="assignment_change_notice_days of the contract model")
    days_before: int = Field(description="calendar days from as_of to first_day (negative: after it)")
    within_notice: bool = Field(description="days_before <= notice_days: a changed assignment earns prep_time")
    previous_plan: bool = Field(description="a previous plan was given (without one, nothing changed against it)")
    teachers: list[str] = Field(description="teachers flagged prep_time = true in teachers.csv, in ID order")


class RunSummary(Record):
    """run.json of `vastaff solve`: the documented keys, then what the optimizer adds."""

    status: Status = Field(description="OPTIMAL only when every part proved its optimum and nothing stopped it")
    objective: float = Field(description="cost of the plan, dollars (costs.total)")
    best_bound: float | None = Field(description="proven lower bound, dollars; null for --method greedy")
    gap: float | None = Field(description="(objective - bound) / objective; null for --method greedy")
    wall_seconds: float = Field(description="sections and people, wall seconds")
    seed: int = Field(description="CP-SAT random seed")
    method: Literal["cpsat", "greedy"] = Field(description="--method")
    time_limit: float = Field(description="the sections' search budget used, seconds")
    contract_model: str = Field(description="the contract model's name")
    contract_model_file: str = Field(description="its file name")
    input_sha256: str = Field(description="hash of the input tables")
    costs: Costs
    vacancies: Vacancies
    changes_vs_previous: Changes | None = Field(description="null without a previous plan")
    previous_plan: str | None = absent("with a previous plan only: its folder (or workbook), absolute — where "
                                       "`vastaff check` finds it for A12")
    objective_stages: dict[str, StageTotal] = Field(description="per stage, in solve order")
    schools: dict[str, SchoolSummary]
    periods: PeriodsSummary | None = Field(description="the timetable's figures; null without sections")
    matrix: dict[str, dict[str, MatrixFigures]] | None = Field(
        default=None, description="A9.1 per school and level: choices granted; null without matrix.csv or a plan")
    timing: Timing
    conflicts: list[ConflictRecord] | None = absent("on INFEASIBLE only: why, in contract terms")
    interrupted: bool = Field(description="stopped by Ctrl-C/SIGTERM: the best plan so far, never OPTIMAL")
    warnings: list[str] | None = absent("schools whose job was lost (their worker died on every try): each keeps the "
                                        "clerk's fill, status GREEDY")
    people: PeopleSummary | None = absent("with a plan only: locations, IEP meetings, caseloads")
    prep_time: PrepTime | None = absent("with --first-day and a plan only: A9.2 preparation time")
    roster_warnings: list[str] | None = absent("meeting_requests.csv audience entries left out tonight (a teacher who "
                                               "left or moved school), as said on stderr")


# ---------------------------------------------------------------------------------------------------------
# vastaff displace


class CutLineTeacher(Record):
    teacher_id: str = Field(description="the least senior retained teacher")
    seniority_rank: int = Field(description="their rank, 1 = most senior")
    seniority_date: str = Field(description="YYYY-MM-DD")
    seniority_tiebreak: int = Field(description="lower wins a tie")


class CutLine(Record):
    """One school, level and department (A10): who is kept, and the A10.1 flows."""

    school_id: str
    level: str
    department: str
    teachers: int = Field(description="teachers there")
    positions: int = Field(description="positions after the cuts")
    positions_listed: bool = Field(description="listed in positions.csv (else the head count)")
    cut: int = Field(description="positions removed by --cut")
    retained: int = Field(description="teachers kept (A10)")
    cut_line: CutLineTeacher | None = Field(description="null when nobody is retained")
    moved_out: int = Field(description="surplus teachers who moved down a level (A10.1)")
    moved_in: int = Field(description="teachers who moved in from a higher level (A10.1)")
    vacancies: int = Field(description="open positions")
    vacancies_left: int = Field(description="open positions after the moves")
    displaced: int = Field(description="teachers still displaced (A11)")


class Move(Record):
    """An A10.1 move, in order."""

    step: int
    teacher_id: str
    school_id: str
    department: str
    from_level: str
    to_level: str
    credential: str = Field(description="the credential that permits the lower level")


class DisplacementCounts(Record):
    teachers: int
    retained: int
    moved_level: int
    displaced: int


class DisplacementCosts(Record):
    """A12 on displacement: a teacher moved level switches courses and is owed X-time (12.0)."""

    xtime: float = Field(description="A12 X-time of the teachers moved level, dollars")
    xtime_teachers: int = Field(description="teachers owed it")


class DisplacementRun(Record):
    """run.json of `vastaff displace` (and a scenario's `displacement` block): seed-free, no objective."""

    command: Literal["displace"] = "displace"
    status: Literal[Status.OPTIMAL] = Status.OPTIMAL
    objective: None = None
    best_bound: None = None
    gap: None = None
    wall_seconds: float
    seed: None = None
    determinism: str = Field(description="why no seed: what the outcome follows from")
    contract_model: str
    input_sha256: str
    positions_source: str = Field(description="positions.csv or head counts, with --cut or not")
    cuts: list[str] = Field(description="the --cut values, spelled out")
    counts: DisplacementCounts
    costs: DisplacementCosts
    cut_lines: list[CutLine]
    moves: list[Move]
    reporting_sites: dict[str, int] = Field(description="displaced teachers per A11 reporting site")


# ---------------------------------------------------------------------------------------------------------
# vastaff scenario run


class ScenarioAsked(Record):
    """What a scenario file asks, as written (a scenario that failed before solving has only this)."""

    name: str
    description: str
    file: str | None = Field(description="the scenario file; null when made in Python")
    data: str = Field(description="base data, as the file spells it")
    model: str | None = Field(description="contract model, as the file spells it")


class ScenarioBlock(ScenarioAsked):
    """A solved scenario's `scenario` block: what was asked and what the patches did."""

    contract_model: str = Field(description="the effective model's name")
    hypothetical: bool = Field(description="a what-if model, not the model of record (models/va-2025-2027.yaml)")
    model_overrides: dict[str, Any]
    previous: str | None
    displace: bool = Field(description="the displacement ran")
    solve: dict[str, Any] = Field(description="the solve block, time_limit as used")
    patches: list[dict[str, Any]] = Field(description="each patch and the rows it changed")
    wall_seconds: float | None = absent("the whole scenario (patch, solve, displace, check), once it succeeded")


class CheckVerdict(Record):
    violations: int = Field(description="violations `vastaff check` finds in the written plan")
    by_rule: dict[str, int] = Field(description="per rule ID")


class ScenarioRun(RunSummary):
    """run.json of a scenario that solved: the nightly summary, then the scenario, its displacement, the checker's
    verdict and the figures — or, when the plan was INFEASIBLE, the `errors` instead of the last three."""

    scenario: ScenarioBlock
    displacement: DisplacementRun | None = absent("A10, A10.1, A11 when the scenario displaces")
    check: CheckVerdict | None = absent("the checker's verdict on the written plan")
    figures: dict[str, Any] | None = absent("scenario/figures.plan_figures: what `scenario compare` lines up")
    errors: list[str] | None = absent("an INFEASIBLE scenario: the status line, then one line per conflict")


class ScenarioFailure(Record):
    """run.json of a scenario that failed before it had a plan summary: invalid input or a bug (ERROR)."""

    status: ScenarioStatus
    wall_seconds: float
    errors: list[str] = Field(description="one line per problem; for ERROR the exception only")
    scenario: ScenarioAsked


RunRecord = RunSummary | DisplacementRun | ScenarioRun | ScenarioFailure
"""Whatever a command writes as run.json (`vastaff meetings`: schemas/meetings_run.MeetingsRun)."""

MEETINGS_RECORDS = ("MeetingShortfall", "MeetingSchool", "MeetingsRun")
"""`vastaff meetings`' run records, in schemas/meetings_run.py (they need this module's blocks) and still importable
from here."""


def __getattr__(name: str):
    if name in MEETINGS_RECORDS:
        from vastaff.schemas import meetings_run
        return getattr(meetings_run, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
