"""Plan folders: load one (CSV folder or .xlsx workbook) for the checker and `--previous`; write one atomically,
or, for a run that made no plan, its explanation beside it.

Every run.json is written here: a command's typed run record (schemas/run.py) in its field order, or a plain
mapping for a plan made by hand. Loading keeps run.json a plain dict (see `_read_run`).
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

import pandas as pd

from vastaff.schemas.district import Plan
from vastaff.schemas.run import Record
from vastaff.errors import InputError, InputProblem
from vastaff.io.entries import not_a_file
from vastaff.errors import OutputError
from vastaff.io.outpath import NOTHING_WRITTEN, atomic_file, check_file_path, write_errors, write_folder
from vastaff.io.grid import EMPTY_FILE, ROW, other_separator
from vastaff.io.tables import TableSource, empty_frame, validate_rows
from vastaff.schemas.plan import PLAN_COLUMNS, PLAN_OPTIONAL, PLAN_TABLES


def load_plan(path: str | Path, label_prefix: str = "") -> Plan:
    """Read a plan folder; every file is optional (a displacement plan has only displacement.csv)."""
    path = Path(path)
    source = TableSource.open(path)
    try:
        if not source.exists():
            why = f"got a {path.suffix or 'plain'} file" if os.path.isfile(path) else "not found"
            raise InputError([InputProblem(str(path), expected=f"a plan folder or .xlsx workbook ({why})")])
        if _is_people_workbook(source):
            raise InputError([InputProblem(str(path), expected=PEOPLE_WORKBOOK)])
        frames, problems = _read_plan_tables(source, label_prefix)
    finally:
        source.close()
    run = _read_run(path, label_prefix, problems) if not source.problems else {}  # a folder that cannot be read
    if problems:
        raise InputError(problems)
    for name in ("sections", "section_grades", "teachers"):
        for col in ("enrollment", "grade", "students", "courses_s1", "courses_s2", "stipend_courses", "multigrade_sections"):
            if col in frames[name].columns:
                frames[name][col] = frames[name][col].astype("int64")
    return Plan(**frames, run=run, path=str(path))


PEOPLE_WORKBOOK = ("a plan folder, or a workbook with one sheet per plan file (this is plan.xlsx, the workbook for "
                   "people that solve writes into the plan folder: give that folder instead)")


def _is_people_workbook(source: TableSource) -> bool:
    """plan.xlsx (report/workbook.py) has Summary and Timetable sheets and no section_grades: not a plan to read."""
    sheets = source.sheets or {}
    return {"summary", "timetable"} <= sheets.keys() and "section_grades" not in sheets


def _read_plan_tables(source: TableSource, prefix: str) -> tuple[dict[str, pd.DataFrame | None], list[InputProblem]]:
    frames: dict[str, pd.DataFrame | None] = {}
    problems = [p if p.file == str(source.path) else replace(p, file=prefix + p.file) for p in source.problems]
    for name, schema in PLAN_TABLES.items():
        frames[name] = None if name == "displacement" else empty_frame(schema)
        if not source.has(name):
            continue
        frame, layout = source.read_table(name)
        if any(p.expected == EMPTY_FILE for p in layout):
            continue
        if list(frame.columns) == [ROW] or other_separator(layout):
            problems += [replace(p, file=prefix + p.file) for p in layout]
            continue
        typed, found = validate_rows(frame, schema, prefix + source.label(name), PLAN_OPTIONAL.get(name, set()))
        frames[name] = typed
        problems += [replace(p, file=prefix + p.file) for p in layout] + found
    return frames, problems


def _read_run(path: Path, prefix: str, problems: list[InputProblem]) -> dict:
    """run.json as a plain dict: a plan folder may come from another tool or by hand, so any JSON object is read
    (the checker looks up only the keys it needs); the typed records (schemas/run.py) are for writing."""
    file = path / "run.json" if os.path.isdir(path) else path.with_name("run.json")
    if not os.path.lexists(file):
        return {}
    if (what := not_a_file(file)) is not None:  # a folder, a broken link, one that cannot be looked at
        problems.append(InputProblem(f"{prefix}run.json", expected=f"a JSON file (got {what})"))
        return {}
    try:
        run = json.loads(file.read_text(encoding="utf-8-sig"))
    except OSError as exc:
        problems.append(InputProblem(f"{prefix}run.json", expected=f"a file that can be read ({exc.strerror or exc})"))
        return {}
    except json.JSONDecodeError as exc:
        problems.append(InputProblem(f"{prefix}run.json", exc.lineno, None, None, f"valid JSON ({exc.msg})"))
        return {}
    except UnicodeDecodeError:
        problems.append(InputProblem(f"{prefix}run.json", expected="UTF-8 JSON text"))
        return {}
    if not isinstance(run, dict):
        problems.append(InputProblem(f"{prefix}run.json", expected="a JSON object"))
        return {}
    return run


def frame_for(name: str, rows: pd.DataFrame | list[dict] | None) -> pd.DataFrame:
    """A plan table with the documented columns, in their documented order (extra columns dropped).

    A DataFrame must carry every column; in a list of dicts a key may be left out for a blank cell, but a
    column no row names at all is a programming error, not a blank column.
    """
    if name not in PLAN_COLUMNS:
        raise ValueError(f"unknown plan table {name!r}; expected one of {', '.join(PLAN_COLUMNS)}")
    cols = PLAN_COLUMNS[name]
    if isinstance(rows, pd.DataFrame):
        present = set(rows.columns)
    else:
        rows = list(rows or [])
        present = set().union(*(r.keys() for r in rows)) if rows else set(cols)
    optional = PLAN_OPTIONAL.get(name, set())
    missing = [c for c in cols if c not in present and c not in optional]
    if missing:
        raise ValueError(f"plan table {name} lacks column(s) {', '.join(missing)}")
    frame = pd.DataFrame(rows, columns=cols)[cols]
    for column in optional - present:
        frame[column] = PLAN_TABLES[name].model_fields[column].default
    return frame


RunContent = Record | Mapping[str, Any]
"""A run record (schemas/run.py), or, for a plan made by hand (tests, other tools), a plain mapping."""


def write_plan(out: str | Path, tables: dict[str, pd.DataFrame], run: RunContent,
               files: dict[str, str | bytes] | None = None, force: bool = False) -> Path:
    """Write every table as CSV plus run.json (and `files`: name -> text or bytes, e.g. changes.csv, plan.xlsx) into
    OUT atomically
    (io/outpath.write_folder): on any failure the plan that was at OUT is left as it was and no temporary folder
    remains (OSError -> OutputError, exit 4).

    OUT is replaced whole: a folder of other files and no run.json (a data folder, a person's own) is refused
    (OutputError, refused) unless `force` — the commands pass it once their own --out policy has accepted OUT
    (io/outpath.check_out_path). A stale `OUT.infeasible.json` beside OUT goes: it is our own output, and OUT now
    holds a plan.
    """
    out = Path(out)
    if not force and out.is_dir() and any(out.iterdir()) and not (out / "run.json").is_file():
        raise OutputError(f"{out} is not a folder vastaff wrote (it holds other files and no run.json); writing a "
                          f"plan there replaces it whole: give force=True to do so; {NOTHING_WRITTEN}", refused=True)

    def fill(folder: Path) -> None:
        for name, frame in tables.items():
            csv_ready(frame_for(name, frame)).to_csv(folder / f"{name}.csv", index=False, lineterminator="\n")
        for name, content in (files or {}).items():
            write_content(folder / name, content)
        write_run(folder, run)

    write_folder(out, fill)
    stale = infeasible_path(out)
    if stale.is_file() and own_infeasible(stale):  # a user's file of that name is theirs, never removed
        with write_errors(stale):
            stale.unlink()
    return out


def csv_ready(frame: pd.DataFrame) -> pd.DataFrame:
    """Booleans as the formats spell them, `true`/`false` (pandas would write True/False)."""
    flags = [c for c in frame.columns if frame[c].dtype == bool]
    return frame.assign(**{c: frame[c].map({True: "true", False: "false"}) for c in flags}) if flags else frame


def write_content(path: Path, content: str | bytes) -> None:
    """One file: bytes as they are, text as UTF-8 with its own line ends."""
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8", newline="")


def write_run(folder: Path, run: RunContent) -> Path:
    """`folder/run.json`, in a folder this command is filling (a plan folder before its atomic swap)."""
    path = folder / "run.json"
    path.write_text(run_json(run), encoding="utf-8")
    return path


def write_infeasible(out: str | Path, run: RunContent) -> Path:
    """A run that made no plan: its run.json (status, conflicts) written atomically beside OUT as
    `OUT.infeasible.json`; the plan at OUT, if any, is left untouched. Returns that file's path."""
    path = infeasible_path(Path(out))
    with atomic_file(path) as tmp:
        tmp.write_text(run_json(run), encoding="utf-8")
    return path


def write_no_plan(out: str | Path, run: RunContent) -> bool:
    """OUT/run.json of a run that made no plan (status INFEASIBLE, its conflicts: "explained in run.json"), written
    atomically — only where OUT holds no plan to keep: absent, an empty folder, or the run.json alone of an earlier
    run without a plan. A plan at OUT is never replaced (its explanation is OUT.infeasible.json). Returns whether
    written."""
    out = Path(out)
    if out.exists() and not _no_plan_in(out):
        return False
    write_folder(out, lambda folder: write_run(folder, run))
    return True


def _no_plan_in(out: Path) -> bool:
    """OUT is an empty folder, or holds only the run.json of a run that made no plan (`write_no_plan`'s)."""
    try:
        names = [entry.name for entry in out.iterdir()]
        if names != ["run.json"]:
            return not names
        return json.loads((out / "run.json").read_text(encoding="utf-8")).get("status") not in ("OPTIMAL", "FEASIBLE")
    except (OSError, ValueError, AttributeError):
        return False


def infeasible_path(out: Path) -> Path:
    """Where the explanation of a run that made no plan for OUT goes: `OUT.infeasible.json`, beside OUT."""
    return out.with_name(out.name + ".infeasible.json")


def check_infeasible_path(out: str | Path, inputs=(), force: bool = False) -> None:
    """Refuse (exit 2, before any work) an `OUT.infeasible.json` a run without a plan could not write (an input, a
    folder), or a file of the user's, not one vastaff wrote (`--force` replaces it)."""
    path = infeasible_path(Path(out))
    check_file_path(path, inputs)
    if not force and not own_infeasible(path):
        raise OutputError(f"{path} exists and is not the explanation of a run without a plan that vastaff wrote; "
                          f"move it away, or give --force to replace it; {NOTHING_WRITTEN}", refused=True)


def own_infeasible(path: Path) -> bool:
    """Whether `path` is absent or holds what `write_infeasible` writes (a run.json with its status and conflicts):
    the only such file a run may replace, or remove once a plan is written."""
    if not path.exists():
        return True
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return False
    return isinstance(data, dict) and {"status", "conflicts"} <= set(data)


def run_json(run: RunContent) -> str:
    """run.json's text: indented JSON in the record's field order, numpy scalars as numbers, sets and tuples as
    lists, paths as text."""
    data = run.dump() if isinstance(run, Record) else run
    return json.dumps(data, indent=2, default=_json_default) + "\n"


def _json_default(o: object):
    if hasattr(o, "item"):
        return o.item()
    if isinstance(o, (set, tuple)):
        return list(o)
    if isinstance(o, Path):
        return str(o)
    raise TypeError(f"not JSON serialisable: {type(o).__name__}")
