"""Where a command may write, and how: one policy for every output, one atomic writer for folders and files.

Every command that writes goes through here. `check_out_path` refuses up front what is not the command's own
(OutputError refused=True, exit 2, nothing touched); `probe_writable` proves the place can be written before minutes
of solving; `write_folder` and `atomic_file` put a whole result in place or leave what was there untouched. An
OSError while writing becomes one OutputError line (exit 4). Temporary names are `.NAME.tmp-PID-XXXXXXXX` (and
`.NAME.old-…` while swapping, `.NAME.work-…` for a scenario's work) beside NAME, PID the writing process's; a killed
run's leftovers of exactly that pattern, whose process is gone, are removed by the next run into NAME, nothing else (a
person's `.plan.old-20241201` backup is not ours; a run writing into NAME at the same moment keeps its own).
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import sys
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Callable, Iterable, Iterator

from vastaff.errors import OutputError
from vastaff.io.runfolders import (
    COMMAND, PLAN, REPORT_FILES, foreign_content, not_our_report_files, run_kind, some,
)

Inputs = Iterable[tuple[str, "str | Path | None"]]
"""(what, path) of every input a command reads, e.g. ("data folder", DATA): never replaced, nor a folder holding it."""

NOTHING_WRITTEN = "nothing was written."


def check_out_path(out: str | Path, kind: str = PLAN, inputs: Inputs = (), force: bool = False) -> None:
    """Refuse an output folder that is not the command's own: OutputError(refused=True) naming why.

    Accepted: a new path, an empty folder, a folder of `kind` (see PLAN, DISTRICT, RUNS), or with `force` any other
    folder. Never, even with `force`: a file, a path under a file, an input (the data folder, a previous plan, a
    model file), the current folder or the home folder, or a folder holding one of them.
    """
    out = Path(out)
    with write_errors(out):  # a folder that cannot even be listed
        problem = _location_problem(out, inputs) or (None if force else foreign_content(out, kind))
    if problem:
        raise OutputError(f"{problem}; {NOTHING_WRITTEN}", refused=True)


def check_report_out(out: str | Path, plan: str | Path, inputs: Inputs = ()) -> None:
    """`vastaff report --out`: a new or empty folder, PLAN's own folder, or a folder of report files only — never
    another plan (its files would then describe PLAN, not it) nor a folder of other files (exit 2, nothing touched)."""
    out = Path(out)
    with write_errors(out):
        problem = _location_problem(out, inputs)
        if problem is None and out.is_dir() and not (Path(plan).is_dir() and out.resolve() == Path(plan).resolve()):
            entries = sorted(p.name for p in out.iterdir())
            if run_kind(out) is not None or "run.json" in entries:
                problem = f"{out} is another plan (it has a run.json): the report of {plan} would stand beside its " \
                          f"files as if it were theirs; --out a new folder, or leave --out out to write into {plan}"
            elif strays := [name for name in entries if name not in REPORT_FILES]:
                problem = f"{out} holds files vastaff report does not write ({some(strays)}); --out a new or empty " \
                          "folder, or a folder of report files"
            elif theirs := not_our_report_files(out):
                problem = f"{out} holds {some(theirs)} that vastaff did not write; --out a new or empty folder, or " \
                          "move them out"
    if problem:
        raise OutputError(f"{problem}; {NOTHING_WRITTEN}", refused=True)


def check_file_path(path: str | Path, inputs: Inputs = (), out: str | Path | None = None) -> None:
    """Refuse an output file that would replace a folder, sit under a file, replace an input file, or go into a
    folder a vastaff command writes whole: one that exists, or `out`, the one this command is about to write
    (exit 2)."""
    path = Path(path)
    with write_errors(path):
        problem = _protected(path, inputs, holding=False) or _under_a_file(path) or _in_a_run_folder(path, out)
    if problem is None and path.is_dir():
        problem = f"{path} is a folder, not a file"
    if problem:
        raise OutputError(f"{problem}; {NOTHING_WRITTEN}", refused=True)


def _in_a_run_folder(path: Path, out: str | Path | None = None) -> str | None:
    """PATH inside a folder a command wrote (a plan, a displacement, a year of meetings, a scenario's run; found by
    its run.json), or inside `out`: the file would replace one of that folder's files (`check --csv
    plans/mon/teachers.csv` replaced last night's plan's teachers), or stand in it as a stray the next run into it
    refuses or deletes."""
    with suppress(OSError, RuntimeError):
        parents = through_link(path).resolve().parents
        if out is not None and (folder := through_link(Path(out)).resolve()) in parents:
            return f"{path} is inside {out}, the folder this command writes whole; write the file outside it"
        for folder in parents:
            if (kind := run_kind(folder)) is not None:
                return f"{path} is inside {folder}, a {kind} folder {COMMAND[kind]} wrote and replaces whole; " \
                       "write the file outside it"
    return None


def probe_writable(out: str | Path) -> None:
    """Before the long work: make OUT's missing parents, clear a killed run's leftovers, then make and remove a
    temporary folder beside OUT. OutputError (exit 4) when that place cannot be written."""
    out = through_link(Path(out))
    with write_errors(out):
        out.parent.mkdir(parents=True, exist_ok=True)
        remove_stale(out)
        make_temp_dir(out).rmdir()


def write_folder(out: str | Path, fill: Callable[[Path], None]) -> Path:
    """Fill a new temporary folder beside OUT, then put it in OUT's place (an old OUT is replaced only once the new
    one is whole). On any failure OUT is as it was and no temporary folder remains; OSError -> OutputError."""
    out = through_link(Path(out))
    with write_errors(out):
        out.parent.mkdir(parents=True, exist_ok=True)
        remove_stale(out)
        tmp = make_temp_dir(out)
        try:
            fill(tmp)
            replace_dir(tmp, out)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
    return out


@contextmanager
def atomic_file(path: str | Path) -> Iterator[Path]:
    """A temporary path beside PATH (same suffix, so writers that go by it still work) for the block to write;
    renamed onto PATH when the block ends well, removed otherwise. OSError -> OutputError."""
    path = through_link(Path(path))
    with write_errors(path):
        path.parent.mkdir(parents=True, exist_ok=True)
        remove_stale(path)
        tmp = path.with_name(_temp_name(path, "tmp") + path.suffix)
        try:
            yield tmp
            os.replace(tmp, path)
        finally:
            with suppress(OSError):
                tmp.unlink(missing_ok=True)


def atomic_files(folder: str | Path, contents: dict[str, object], write: Callable[[Path, object], None]) -> None:
    """Several files into FOLDER as one set: each written (`write(tmp, content)`) to a temporary file beside its
    name first, all renamed into place only once every one is whole. A failure (a full disk at the third file)
    leaves every file there as it was: a report's timetable.csv never stands new beside last night's report.html."""
    folder = through_link(Path(folder))
    with write_errors(folder):
        folder.mkdir(parents=True, exist_ok=True)
        done: list[tuple[Path, Path]] = []
        try:
            for name, content in contents.items():
                path = through_link(folder / name)
                remove_stale(path)
                tmp = path.with_name(_temp_name(path, "tmp") + path.suffix)
                done.append((tmp, path))
                write(tmp, content)
            for tmp, path in done:
                os.replace(tmp, path)
        finally:
            for tmp, _ in done:
                with suppress(OSError):
                    tmp.unlink(missing_ok=True)


@contextmanager
def write_errors(target: str | Path) -> Iterator[None]:
    """An OSError inside becomes OutputError: `could not write TARGET: why; what was there is unchanged.`"""
    target = Path(target)
    existed = os.path.lexists(target)
    try:
        yield
    except OSError as exc:
        kept = "what was there is unchanged." if existed else NOTHING_WRITTEN
        raise OutputError(f"could not write {target}: {exc.strerror or exc}; {kept}") from exc


def make_temp_dir(target: Path, kind: str = "tmp") -> Path:
    """A new empty folder `.NAME.<kind>-XXXXXXXX` beside TARGET, with the mode the umask gives (mkdtemp's is 0700)."""
    while True:
        path = target.with_name(_temp_name(target, kind))
        try:
            path.mkdir()
            return path
        except FileExistsError:
            continue


def through_link(path: Path) -> Path:
    """Where writing PATH goes: PATH, or what it links to when it is a symbolic link (`plans/tonight` -> a dated
    folder), so that the link stays a link and the folder or file it names gets the result."""
    return Path(os.path.realpath(path)) if os.path.islink(path) else path


def replace_dir(new: Path, out: Path) -> None:
    """Move NEW to OUT (or to what OUT links to); an existing OUT is set aside first and put back if the move fails."""
    out = through_link(out)
    if not os.path.lexists(out):
        new.rename(out)
        return
    old = out.with_name(_temp_name(out, "old"))
    out.rename(old)
    try:
        new.rename(out)
    except BaseException:
        old.rename(out)
        raise
    _remove(old)
    if os.path.lexists(old):  # a file in it could not be deleted (held, immutable): say so, never silently
        print(f"warning: the replaced {out.name} set aside at {old} could not be removed in full; the next run into "
              f"{out} tries again, or delete it by hand", file=sys.stderr)


def remove_stale(target: Path, any_process: bool = False) -> list[Path]:
    """Remove what a killed run into TARGET left beside it (`.NAME.tmp-PID-*`, `.NAME.old-PID-*`, `.NAME.work-PID-*`
    of exactly that pattern whose process PID is gone — or, with `any_process`, every one: a caller that knows the
    work it started has ended, on whichever machine); the paths removed. Where TARGET itself is gone, the newest
    `.NAME.old-*` is the last good result a run killed between `replace_dir`'s two renames set aside: it is put back
    in TARGET's place, never removed (a warning says so)."""
    pattern = re.compile(rf"\.{re.escape(target.name)}\.(?:tmp|old|work)-(\d+)-[0-9a-f]{{8}}"
                         rf"(?:{re.escape(target.suffix)})?")
    try:
        found = [(p, pattern.fullmatch(p.name)) for p in target.parent.iterdir()]
    except OSError:
        return []
    stale = [p for p, m in found if m and (any_process or not _alive(int(m.group(1))))]
    set_aside = [p for p in stale if p.name.startswith(f".{target.name}.old-")]
    if set_aside and not os.path.lexists(target):
        last = max(set_aside, key=lambda p: (p.lstat().st_mtime_ns, p.name))
        last.rename(target)
        stale.remove(last)
        print(f"warning: {target} was missing and {last.name} beside it held the last result a killed run had set "
              f"aside; put back as {target}", file=sys.stderr)
    for p in stale:
        _remove(p)
    return stale


def _temp_name(target: Path, kind: str) -> str:
    return f".{target.name}.{kind}-{os.getpid()}-{secrets.token_hex(4)}"


def _alive(pid: int) -> bool:
    """Whether process PID runs on this machine (a run writing beside the same target now: its temporaries stay)."""
    if pid == os.getpid():
        return False  # this process: what it left there is from an earlier call that failed, never in use
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, OSError):
        return True
    return True


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        with suppress(OSError):
            path.unlink()


def _location_problem(out: Path, inputs: Inputs) -> str | None:
    """What makes OUT unusable whatever it holds: a file, under a file, an input or the folder holding one, or a
    path ending in `..` (`--out newdir/x/..` made newdir/x, then its rename failed)."""
    if out.name == "..":
        return f"{out} names no folder of its own (it ends in ..); give the folder's own name"
    if out.is_file():
        return f"{out} is a file, not a folder"
    return _under_a_file(out) or _protected(out, inputs, holding=True)


def _under_a_file(path: Path) -> str | None:
    for parent in path.parents:
        if os.path.lexists(parent):
            return None if parent.is_dir() else f"{path} is under {parent}, which is a file"
    return None


def _protected(out: Path, inputs: Inputs, holding: bool) -> str | None:
    """OUT is an input (or, when `holding`, a folder holding one): never replaced, not even with --force."""
    try:
        target, inputs = out.resolve(), list(inputs)
    except (RuntimeError, OSError):  # Python 3.11 raises RuntimeError on a loop of symbolic links, later ones OSError
        return f"{out} is a symbolic link that leads back to itself (a loop); refused"
    for what, path in [*_places(), *inputs]:
        if path is None:
            continue
        p = Path(path).resolve()
        if target == p:
            return f"{out} is the {what}; refused, even with --force"
        if holding and target in p.parents:  # the default run history's place, before its first run too
            holds = "holds" if os.path.lexists(p) else "would hold"
            return f"{out} {holds} the {what} {path}; refused, even with --force"
    for what, path in [] if holding else inputs:  # then a file an input folder holds: it may be read as an input
        if path is not None and os.path.isdir(path) and Path(path).resolve() in target.parents and _taken(target):
            return f"{out} would replace a file of the {what} {path}; refused"
    return None


def _taken(target: Path) -> bool:
    """Whether writing TARGET replaces a file there, its name in any letter case (inputs are found that way)."""
    try:
        return any(entry.name.lower() == target.name.lower() for entry in target.parent.iterdir())
    except OSError:
        return False


RUN_HISTORY = Path("runs") / "vastaff.db"
"""The run history's default file under the working directory (vastaff.store): no output may replace it."""


def _places() -> list[tuple[str, Path]]:
    """The current folder, the home folder and the default run history: never replaced by an output (`--out .
    --force`, `--out runs --force`)."""
    places = []
    for what, where in (("current folder", Path.cwd), ("home folder", Path.home),
                        ("run history", lambda: Path.cwd() / RUN_HISTORY)):
        with suppress(OSError, RuntimeError):
            places.append((what, where()))
    return places
