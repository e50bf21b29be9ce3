"""Reading tables from a folder of CSV files or one .xlsx workbook, and validating them row by row.

Rows are numbered as a spreadsheet shows them: header = row 1, first data row = row 2 (column `_row`).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from pydantic import TypeAdapter, ValidationError

from vastaff.errors import InputProblem
from vastaff.schemas.inputs import Row

ROW = "_row"


@dataclass
class TableSource:
    """Where tables come from: a folder of `<name>.csv` files, or one workbook with sheets `<name>`."""

    path: Path
    sheets: dict[str, pd.DataFrame] | None = None
    digest: "hashlib._Hash" = field(default_factory=hashlib.sha256)

    @classmethod
    def open(cls, path: str | Path) -> "TableSource":
        path = Path(path)
        if path.is_file() and path.suffix.lower() in (".xlsx", ".xlsm"):
            source = cls(path)
            source.digest.update(path.read_bytes())
            source.sheets = {
                str(name).strip().removesuffix(".csv"): frame
                for name, frame in pd.read_excel(path, sheet_name=None, dtype=object, keep_default_na=False).items()
            }
            return source
        return cls(path)

    def label(self, name: str) -> str:
        """How a table is named in messages: the file name, or workbook:sheet."""
        return f"{self.path.name}:{name}" if self.sheets is not None else f"{name}.csv"

    def exists(self) -> bool:
        return self.path.is_dir() or self.sheets is not None

    def has(self, name: str) -> bool:
        if self.sheets is not None:
            return name in self.sheets
        return (self.path / f"{name}.csv").is_file()

    def read(self, name: str) -> pd.DataFrame:
        """The raw table as text/object cells, header names stripped, plus `_row`."""
        if self.sheets is not None:
            frame = self.sheets[name].copy()
        else:
            file = self.path / f"{name}.csv"
            data = file.read_bytes()
            self.digest.update(name.encode() + b"\0" + data)
            if not data.strip():
                frame = pd.DataFrame()
            else:
                frame = pd.read_csv(file, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        frame.columns = [str(c).strip() for c in frame.columns]
        frame[ROW] = range(2, len(frame) + 2)
        return frame


def validate_rows(
    frame: pd.DataFrame, schema: type[Row], label: str, optional: set[str] = frozenset()
) -> tuple[pd.DataFrame, list[InputProblem]]:
    """Validate every row against `schema`; return the valid rows as typed columns and every problem."""
    columns = list(schema.model_fields)
    missing = [c for c in columns if c not in frame.columns and c not in optional]
    if missing:
        problems = [InputProblem(label, 1, c, expected=f"a column named {c} (column missing)") for c in missing]
        return empty_frame(schema), problems
    present = [c for c in columns if c in frame.columns]
    records = frame[present].to_dict("records")
    rows = frame[ROW].tolist()
    adapter = TypeAdapter(list[schema])
    problems: list[InputProblem] = []
    try:
        models = adapter.validate_python(records)
        keep = rows
    except ValidationError as exc:
        bad: set[int] = set()
        for err in exc.errors():
            index, column = err["loc"][0], str(err["loc"][1]) if len(err["loc"]) > 1 else None
            bad.add(index)
            value = records[index].get(column, "") if column else None
            problems.append(InputProblem(label, rows[index], column, _cell(value), _expected(err)))
        keep = [r for i, r in enumerate(rows) if i not in bad]
        models = adapter.validate_python([rec for i, rec in enumerate(records) if i not in bad])
    typed = pd.DataFrame(adapter.dump_python(models), columns=columns) if models else empty_frame(schema)
    typed[ROW] = keep
    return typed, problems


def empty_frame(schema: type[Row]) -> pd.DataFrame:
    frame = pd.DataFrame({c: pd.Series(dtype=object) for c in schema.model_fields})
    frame[ROW] = pd.Series(dtype=int)
    return frame


def _cell(value: object) -> str:
    if value is None:
        return ""
    return str(value)


def _expected(err: dict) -> str:
    msg = err["msg"].removeprefix("Value error, ")
    return msg.removeprefix("expected ") if msg.startswith("expected ") else msg


def file_sha256(paths: list[Path]) -> str:
    h = hashlib.sha256()
    for p in sorted(paths):
        h.update(p.name.encode() + b"\0" + p.read_bytes())
    return h.hexdigest()
