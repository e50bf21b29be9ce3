"""`write_district(tables, out)`: CSV files in the documented format, written into a temporary folder next to OUT
and renamed into place (io/outpath.write_folder), so OUT is never half written."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from vastaff.io.outpath import check_out_path, write_folder
from vastaff.io.runfolders import DISTRICT
from vastaff.schemas.inputs import INPUT_TABLES
from vastaff.schemas.meetings import MEETING_TABLES


def csv_frame(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """The table as CSV cells: the documented columns, booleans as true/false, blanks empty."""
    schema = INPUT_TABLES[name][0] if name in INPUT_TABLES else MEETING_TABLES[name]
    columns = list(schema.model_fields)
    out = frame[columns].copy()
    for col in columns:
        if out[col].dtype == bool:
            out[col] = out[col].map({True: "true", False: "false"})
    return out


def write_district(tables: dict[str, pd.DataFrame], out: str | Path, force: bool = False) -> Path:
    """Write every table as `<name>.csv` (LF line ends, UTF-8) into OUT atomically; return OUT.

    OUT must be new or empty; `force` replaces a non-empty folder (never a file, nor a folder holding the current
    or home folder): OutputError(refused=True) otherwise, nothing touched. OSError while writing -> OutputError.
    """
    check_out_path(out, DISTRICT, force=force)

    def fill(folder: Path) -> None:
        for name, frame in tables.items():
            csv_frame(name, frame).to_csv(folder / f"{name}.csv", index=False, lineterminator="\n")

    return write_folder(out, fill)
