"""Which entry of a data or plan folder is each table's file (`<name>.csv` in any letter case), and what an entry
named like a table's file is when it is not a file: a folder, a link to a missing file, a link that loops, a named
pipe. Such an entry is one InputProblem when its table is read — never passed over as if the file were absent, which
would silently leave an optional table empty (an unzip that made `iep_meetings.csv/` a folder, a share not mounted
behind a `sped_students.csv` link).
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from vastaff.errors import InputProblem

SPECIAL = {stat.S_ISFIFO: "a named pipe", stat.S_ISSOCK: "a socket", stat.S_ISCHR: "a device",
           stat.S_ISBLK: "a device"}
"""What a special file is called in a message."""


def table_files(listing: list[Path]) -> tuple[dict[str, Path], dict[str, InputProblem]]:
    """Each table's entry among a folder's `listing` (name -> path), and the one problem of each table that cannot
    be read from it: two files for one table, or no file but something else in its place (`not_a_file`).

    A file wins over a folder or link of the same name in another letter case: that one is not the table's file.
    """
    by_name: dict[str, list[Path]] = {}
    for entry in listing:
        if entry.suffix.lower() == ".csv":
            by_name.setdefault(entry.stem.strip().lower(), []).append(entry)
    files: dict[str, Path] = {}
    problems: dict[str, InputProblem] = {}
    for name, found in by_name.items():
        usable = [entry for entry in found if entry.is_file()] or found
        files[name] = usable[0]
        if (what := not_a_file(usable[0])) is not None:
            problems[name] = InputProblem(usable[0].name, expected=f"a CSV file (got {what})")
        elif len(usable) > 1:
            problems[name] = InputProblem(
                usable[1].name, expected=f"one file for table {name} (also found {usable[0].name})")
    return files, problems


def not_a_file(path: Path) -> str | None:
    """None when `path` is a regular file (or a link to one); else what it is, as a message says it: "a folder",
    "a link to a missing file: /mnt/share/x.csv", "a link that loops", "a named pipe", ..."""
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        return _unreachable(path, exc)
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a folder"
    return next((what for test, what in SPECIAL.items() if test(mode)), "a special file")


def _unreachable(path: Path, exc: OSError) -> str:
    """What an entry is whose target cannot be reached: a link to nothing, a loop of links, or (rarely) a file the
    system refuses to look at."""
    if exc.errno == errno.ELOOP:
        return "a link that loops (it leads back to itself)"
    if path.is_symlink() and exc.errno in (errno.ENOENT, errno.ENOTDIR):
        return f"a link to a missing file: {os.readlink(path)}"
    return f"an entry that cannot be opened ({exc.strerror or exc})"
