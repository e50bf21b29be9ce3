"""Plan folders: load one (CSV folder or .xlsx workbook) for the checker and `--previous`; write one atomically."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

import pandas as pd

from vastaff.district import Plan
from vastaff.errors import InputError, InputProblem
from vastaff.io.tables import TableSource, empty_frame, validate_rows
from vastaff.schemas.plan import PLAN_COLUMNS, PLAN_TABLES


def load_plan(path: str | Path, label_prefix: str = "") -> Plan:
    """Read a plan folder; every file is optional (a displacement plan has only displacement.csv)."""
    path = Path(path)
    source = TableSource.open(path)
    if not source.exists():
        raise InputError([InputProblem(f"{label_prefix}{path}", expected="a plan folder or .xlsx workbook (not found)")])
    problems: list[InputProblem] = []
    frames: dict[str, pd.DataFrame | None] = {}
    for name, schema in PLAN_TABLES.items():
        if not source.has(name):
            frames[name] = None if name == "displacement" else empty_frame(schema)
            continue
        typed, found = validate_rows(source.read(name), schema, label_prefix + source.label(name))
        frames[name] = typed
        problems += found
    run = _read_run(path, label_prefix, problems)
    if problems:
        raise InputError(problems)
    for name in ("sections", "section_grades", "teachers"):
        for col in ("enrollment", "grade", "students", "courses_s1", "courses_s2", "stipend_courses", "multigrade_sections"):
            if col in frames[name].columns:
                frames[name][col] = frames[name][col].astype("int64")
    return Plan(**frames, run=run, path=str(path))


def _read_run(path: Path, prefix: str, problems: list[InputProblem]) -> dict:
    file = path / "run.json" if path.is_dir() else path.with_name("run.json")
    if not file.is_file():
        return {}
    try:
        run = json.loads(file.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        problems.append(InputProblem(f"{prefix}run.json", exc.lineno, None, None, f"valid JSON ({exc.msg})"))
        return {}
    if not isinstance(run, dict):
        problems.append(InputProblem(f"{prefix}run.json", expected="a JSON object"))
        return {}
    return run


def frame_for(name: str, rows: pd.DataFrame | list[dict] | None) -> pd.DataFrame:
    """A plan table with SPEC's columns, in SPEC's order."""
    cols = PLAN_COLUMNS[name]
    frame = pd.DataFrame(rows if rows is not None else [], columns=cols)
    return frame[cols]


def write_plan(out: str | Path, tables: dict[str, pd.DataFrame], run: dict) -> Path:
    """Write every table as CSV plus run.json into a temporary folder, then rename it into place."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        for name, frame in tables.items():
            frame_for(name, frame).to_csv(tmp / f"{name}.csv", index=False, lineterminator="\n")
        (tmp / "run.json").write_text(json.dumps(run, indent=2, default=_json_default) + "\n", encoding="utf-8")
        _replace_dir(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out


def _replace_dir(new: Path, out: Path) -> None:
    if out.exists():
        old = out.with_name(f".{out.name}.old-{os.getpid()}")
        out.rename(old)
        new.rename(out)
        shutil.rmtree(old, ignore_errors=True)
    else:
        new.rename(out)


def _json_default(o: object):
    if hasattr(o, "item"):
        return o.item()
    if isinstance(o, (set, tuple)):
        return list(o)
    raise TypeError(f"not JSON serialisable: {type(o).__name__}")
