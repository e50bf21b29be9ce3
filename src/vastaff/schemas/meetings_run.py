"""run.json of `vastaff meetings` (the meetings calendar, Article 4.0 C): its typed record and blocks, written by
io/plan.py like every run record (schemas/run.py says how)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from vastaff.schemas.run import ConflictRecord, Record, RowRecord, StageResult, Status, absent


class MeetingShortfall(Record):
    request_id: str = Field(description="a request not fully met, and why (A4.1-A4.3)")
    school_id: str
    kind: str
    requested: int = Field(description="its count")
    scheduled: int = Field(description="meetings of it in meetings.csv")
    rules: list[str] = Field(description="the rule IDs that leave the rest unscheduled")
    reason: str = Field(description="why, in contract terms")
    rows: list[RowRecord] = Field(description="the request and the requests competing with it")


class MeetingSchool(Record):
    requests: int = Field(description="requests of the school")
    requested: int = Field(description="meetings they ask for")
    scheduled: int = Field(description="meetings scheduled")
    audience_classes: int = Field(description="maximal sets of requests attended together (the model's size)")
    stages: dict[str, StageResult] = Field(description="attendance (maximised), then evenness (minimised)")


class MeetingsRun(Record):
    """run.json of `vastaff meetings`: the calendar's status and figures, then every request not fully met."""

    command: Literal["meetings"] = "meetings"
    status: Status = Field(description="OPTIMAL: every school proved both stages; INFEASIBLE: --strict, a request short")
    objective: int = Field(description="attendance: meetings scheduled, each once per teacher of its audience (max)")
    best_bound: int = Field(description="proven: no calendar holds more attendance")
    evenness: int = Field(description="meetings out of place against each request's even spread (stage 2)")
    wall_seconds: float
    seed: int
    time_limit: float = Field(description="deterministic seconds over all schools")
    contract_model: str
    input_sha256: str
    requests: int = Field(description="requests in meeting_requests.csv")
    requested: int = Field(description="meetings they ask for")
    unscheduled: list[MeetingShortfall] = Field(description="requests not fully met, with the rules and the reason")
    schools: dict[str, MeetingSchool]
    conflicts: list[ConflictRecord] | None = absent("on INFEASIBLE (--strict) only: the rules in conflict")
    interrupted: bool = Field(description="stopped by Ctrl-C/SIGTERM: the best calendar so far, never OPTIMAL")
