"""What one run leaves in the store, as plain data (docs/history.md, "What is stored").

`RunRecord` is the run row; `TeacherRecord` one teacher's row of that run. Lists (courses, periods, IEP
meetings) are kept as `; `-joined text, sorted, so a row reads the same in any SQL client as in `vastaff
history` (a run's vacant sections keep run.json's order). Times are UTC ISO 8601 text (`2025-08-14T03:00:00Z`).
"""

from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Iterable, Sequence

import pandas as pd

from vastaff.release import version

SEPARATOR = "; "
TEACHER_COLUMNS = ("teacher_id", "courses", "periods", "site", "room", "iep_meetings", "caseload", "cost", "note",
                   "stipend_cost", "multigrade_cost", "xtime_cost")
COST_PARTS = ("stipend_cost", "multigrade_cost", "xtime_cost")  # a teacher's, as teachers.csv names them
RUN_COST_PARTS = ("cost_stipend", "cost_multigrade", "cost_xtime")  # a run's: run.json `costs` parts
SHORT_TEXT = 40  # command and status: vastaff's own words, stored as VARCHAR(40)


@dataclass(frozen=True)
class TeacherRecord:
    """One teacher's assignments in one run: what a chapter chair asks for, night by night."""

    teacher_id: str
    courses: str | Sequence[str] = ""
    periods: str | Sequence[str] = ""  # section@period entries, e.g. "ALG1-01@P2"
    site: str | None = None  # site ID, or "home"
    room: str | None = None
    iep_meetings: str | Sequence[str] = ""
    caseload: int = 0
    cost: float = 0.0
    note: str | None = None
    stipend_cost: float | None = None  # the parts of `cost` (None: not known, e.g. no teachers.csv)
    multigrade_cost: float | None = None
    xtime_cost: float | None = None


@dataclass(frozen=True)
class RunRecord:
    """One run of `solve`, `displace`, `scenario run` or `meetings`."""

    command: str
    started: datetime | str
    ended: datetime | str
    data_path: str
    input_sha256: str
    contract_model: str
    status: str
    plan_folder: str
    seed: int | None = None
    cost_total: float | None = None
    vacancies: int | None = None
    changes: dict | None = field(default=None)
    cost_stipend: float | None = None  # run.json `costs` parts (None: no plan, or the command has no such part)
    cost_multigrade: float | None = None
    cost_xtime: float | None = None
    vacancy_sections: str | Sequence[str] | None = None  # vacant section IDs, run.json's order; None: no list


def utc_text(moment: datetime | str) -> str:
    """A moment as UTC ISO text to the second; a naive datetime or text without offset is taken as UTC."""
    value = datetime.fromisoformat(moment) if isinstance(moment, str) else moment
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def joined(items: str | Iterable[str] | None) -> str:
    """A list as stored: distinct non-blank items, sorted, `; `-joined (text is kept as given)."""
    if items is None:
        return ""
    if isinstance(items, str):
        return items.strip()
    return SEPARATOR.join(sorted({str(i).strip() for i in items if str(i).strip()}))


def in_order(items: str | Iterable[str] | None) -> str | None:
    """A list as stored in its own order (a run's vacant sections): non-blank items `; `-joined; None stays None."""
    if items is None:
        return None
    if isinstance(items, str):
        return items.strip()
    return SEPARATOR.join(text for text in (str(i).strip() for i in items) if text)


def command_text(command: str, name: str = "") -> str:
    """The `command` of a run record: the command and, for a scenario, its name, cut to SHORT_TEXT characters with
    "…" (the run's plan_folder keeps the whole name)."""
    text = f"{command} {name}".strip()
    return text if len(text) <= SHORT_TEXT else text[:SHORT_TEXT - 1] + "…"


def run_row(run: RunRecord) -> dict:
    """The `vastaff_runs` row of `run`, checked: a value the store cannot hold is a ValueError naming it."""
    for name in ("command", "status"):
        text = getattr(run, name)
        if not text or len(text) > SHORT_TEXT:
            raise ValueError(f"run {name} {text!r} must be 1 to {SHORT_TEXT} characters")
    if run.changes is not None and not isinstance(run.changes, dict):
        raise ValueError(f"run changes must be a dict or None, got {type(run.changes).__name__}")
    return {
        "command": run.command, "started": utc_text(run.started), "ended": utc_text(run.ended),
        "data_path": os.path.abspath(run.data_path) if run.data_path else "",
        "input_sha256": run.input_sha256 or "", "contract_model": run.contract_model or "",
        "seed": _optional_int(run.seed, "seed"), "status": run.status,
        "cost_total": _optional_float(run.cost_total, "cost_total"),
        "vacancies": _optional_int(run.vacancies, "vacancies"),
        "changes": None if run.changes is None else json.dumps(run.changes, sort_keys=True, default=str),
        "plan_folder": os.path.abspath(run.plan_folder) if run.plan_folder else "",
        "vastaff_version": version(), **_parts(run, RUN_COST_PARTS),
        "vacancy_sections": in_order(run.vacancy_sections),
    }


def teacher_rows(teachers: Iterable[TeacherRecord] | pd.DataFrame | None) -> list[dict]:
    """The `vastaff_run_teachers` rows (without run_id), in teacher order; a repeated teacher is a ValueError."""
    records = records_from_frame(teachers) if isinstance(teachers, pd.DataFrame) else list(teachers or ())
    rows = [_teacher_row(r) for r in records]
    seen: set[str] = set()
    for row in rows:
        if row["teacher_id"] in seen:
            raise ValueError(f"teacher {row['teacher_id']!r} appears twice in one run")
        seen.add(row["teacher_id"])
    return sorted(rows, key=lambda r: r["teacher_id"])


def _teacher_row(r: TeacherRecord) -> dict:
    teacher_id = str(r.teacher_id).strip()
    if not teacher_id:
        raise ValueError("a teacher row has no teacher_id")
    return {"teacher_id": teacher_id, "courses": joined(r.courses), "periods": joined(r.periods),
            "site": _optional_text(r.site), "room": _optional_text(r.room),
            "iep_meetings": joined(r.iep_meetings), "caseload": _optional_int(r.caseload, "caseload") or 0,
            "cost": _optional_float(r.cost, "cost") or 0.0, "note": _optional_text(r.note), **_parts(r, COST_PARTS)}


def _parts(record: RunRecord | TeacherRecord, names: Sequence[str]) -> dict[str, float | None]:
    """The record's cost parts as stored: dollars, or None where not known."""
    return {name: _optional_float(getattr(record, name), name) for name in names}


def records_from_frame(frame: pd.DataFrame) -> list[TeacherRecord]:
    """TeacherRecords from a DataFrame with `teacher_id` and any of the other TEACHER_COLUMNS (NaN = blank)."""
    if "teacher_id" not in frame.columns:
        raise ValueError(f"a teacher frame needs a teacher_id column; it has {list(frame.columns)}")
    present = [c for c in TEACHER_COLUMNS if c in frame.columns]
    rows = frame[present].astype(object).where(frame[present].notna(), None).to_dict("records")
    return [TeacherRecord(**{k: v for k, v in row.items() if v is not None}) for row in rows]


def _optional_text(value) -> str | None:
    text = "" if value is None else str(value).strip()
    return text or None


def _optional_int(value, name: str) -> int | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, bool) or int(value) != value:
        raise ValueError(f"{name} must be a whole number, got {value!r}")
    return int(value)


def _optional_float(value, name: str) -> float | None:
    """A number, or None (None, NaN and infinities are "not known", never a wrong figure)."""
    if value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number, got {value!r}") from None
    return number if math.isfinite(number) else None
