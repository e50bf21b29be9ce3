"""`write_district(tables, out)`: CSV files in SPEC's format, written into a temporary folder next to OUT
and renamed into place, so OUT is never half written."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pandas as pd

from vastaff.schemas.inputs import INPUT_TABLES
from vastaff.io.plan import replace_dir


class OutputNotEmpty(Exception):
    """OUT exists and holds files, and replacing it was not asked for."""


def csv_frame(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """The table as CSV cells: SPEC's columns, booleans as true/false, blanks empty."""
    columns = list(INPUT_TABLES[name][0].model_fields)
    out = frame[columns].copy()
    for col in columns:
        if out[col].dtype == bool:
            out[col] = out[col].map({True: "true", False: "false"})
    return out


def check_out(out: Path, force: bool) -> None:
    """OUT must be absent, an empty folder, or (with force) a folder to replace; never a file."""
    if out.exists() and not out.is_dir():
        raise OutputNotEmpty(f"{out} is a file, not a folder")
    if out.is_dir() and any(out.iterdir()) and not force:
        raise OutputNotEmpty(f"{out} is not empty; add --force to replace it")


def write_district(tables: dict[str, pd.DataFrame], out: str | Path, force: bool = False) -> Path:
    """Write every table as `<name>.csv` (LF line ends, UTF-8) into OUT atomically; return OUT."""
    out = Path(out)
    check_out(out, force)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        for name, frame in tables.items():
            csv_frame(name, frame).to_csv(tmp / f"{name}.csv", index=False, lineterminator="\n")
        tmp.chmod(0o777 & ~_umask())
        replace_dir(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
