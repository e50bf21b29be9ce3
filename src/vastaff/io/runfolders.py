"""Which command wrote a folder, and what it may hold: a plan, a displacement, a year of meetings, a scenario's run
(each recognised by its run.json), a folder of scenario runs. io/outpath decides from these what an output may
replace."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

PLAN, DISPLACEMENT, MEETINGS, SCENARIO_RUN = "plan", "displacement", "meetings", "scenario run"
DISTRICT, RUNS = "district", "runs"
"""Kinds of output folder. A folder a command wrote (a `solve` plan, a displacement, a year of meetings, a scenario's
run) is recognised by its run.json and holds only the names that command writes; a generated district only when
empty; a folder of scenario runs holds run folders and the comparison's files."""

REPORT_FILES = frozenset({"timetable.csv", "vacancies.csv", "plan.xlsx", "report.html"})
"""What `vastaff report` (and `solve`'s files for people) write into a plan folder."""
PLAN_FILES = frozenset({"sections.csv", "section_grades.csv", "teachers.csv", "iep_assignments.csv",
                        "caseloads.csv", "changes.csv", "run.json"}) | REPORT_FILES
OWN_NAMES = {
    PLAN: PLAN_FILES,
    DISPLACEMENT: frozenset({"displacement.csv", "run.json"}),
    MEETINGS: frozenset({"meetings.csv", "meeting_counts.csv", "run.json"}),
    SCENARIO_RUN: PLAN_FILES | {"displacement.csv", "input", "model.yaml", "error.txt"},
}
"""Per kind of folder, every name its command writes there: a folder holding anything else is not only ours."""
RUNS_FILES = frozenset({"sweep.csv", "cost-curves.png"})
"""Loose files of a folder of runs: what `scenario sweep` writes beside the runs, and `compare*.csv`, `.png`, `.html`
(`scenario compare`'s files, as the docs write them there: `compare.csv`, `compare-who.csv`); a run that failed
beside a good one leaves `NAME.error.txt`."""
COMPARE_SUFFIXES = (".csv", ".png", ".html")
COMMAND = {PLAN: "vastaff solve", DISPLACEMENT: "vastaff displace", MEETINGS: "vastaff meetings",
           SCENARIO_RUN: "vastaff scenario run"}


def foreign_content(out: Path, kind: str) -> str | None:
    """Why an existing folder OUT is not one this kind of command may replace (or write into) without --force."""
    if not out.is_dir():
        return None
    entries = sorted(out.iterdir())
    if not entries:
        return None
    if kind in OWN_NAMES:
        return _not_our_run(out, kind, entries)
    if kind == RUNS:
        return _not_a_folder_of_runs(out, entries)
    return f"{out} is not empty; add --force to replace it"


def read_run(folder: Path) -> dict | None:
    """FOLDER's run.json as a mapping (None: none, unreadable, or not an object)."""
    try:
        run = json.loads((folder / "run.json").read_text(encoding="utf-8-sig"))
    except (OSError, ValueError):
        return None
    return run if isinstance(run, dict) else None


def run_kind(folder: Path, run: dict | None = None) -> str | None:
    """Which command's folder FOLDER is, by its run.json (`run`, when already read; None: none, unreadable, or not
    vastaff's)."""
    run = read_run(folder) if run is None else run
    if run is None:
        return None
    command = run.get("command")
    if command in ("displace", "meetings"):
        return DISPLACEMENT if command == "displace" else MEETINGS
    if "status" not in run:
        return None
    return SCENARIO_RUN if "scenario" in run else PLAN


def _not_our_run(out: Path, kind: str, entries: list[Path]) -> str | None:
    """A folder `kind`'s command may replace: its own run.json, and nothing but the names that command writes (a
    person's notes in a plan folder were deleted with it; a displacement replaced the nightly plan)."""
    found = run_kind(out)
    if found is None:
        return f"{out} is not a folder {COMMAND[kind]} wrote (it holds other files and no run.json of it); " \
               "add --force to replace it"
    if found != kind:
        return f"{out} holds a {found} ({COMMAND[found]}), not a {kind}; choose another --out, or add --force " \
               "to replace it"
    strays = [p.name for p in entries if p.name not in OWN_NAMES[kind]] + _strays_in_input(out, kind)
    if strays:
        return f"{out} holds files {COMMAND[kind]} does not write ({some(strays)}), which replacing it would " \
               "delete; move them out, or add --force to replace the folder with them"
    return None


def _strays_in_input(out: Path, kind: str) -> list[str]:
    """A scenario run's `input/` holds the patched tables (`NAME.csv`) and `previous/` (copies of last night's plan),
    nothing else: a person's file put there was deleted with the run."""
    folder = out / "input"
    if kind != SCENARIO_RUN or not folder.is_dir():
        return []
    from vastaff.schemas.inputs import INPUT_TABLES  # here, not at the top: every command imports this module
    from vastaff.schemas.meetings import MEETING_TABLES
    own = {f"{name}.csv" for name in [*INPUT_TABLES, *MEETING_TABLES]} | {"previous"}
    return [f"input/{p.name}" for p in sorted(folder.iterdir()) if p.name not in own]


def _not_a_folder_of_runs(out: Path, entries: list[Path]) -> str | None:
    """A folder of runs holds run folders, the comparison's files and failed runs' NAME.error.txt, nothing else."""
    strays = [p.name for p in entries if not p.name.startswith(".") and (
        (p.is_dir() and not (p / "run.json").is_file())
        or (not p.is_dir() and not _runs_file(p.name)))]
    if not strays:
        return None
    return (f"{out} holds what is not a scenario run nor a comparison ({some(strays)}; a comparison's files are named "
            "compare*.csv, .png or .html); add --force to write into it anyway")


def _runs_file(name: str) -> bool:
    """A loose file a folder of runs may hold (RUNS_FILES)."""
    return (name in RUNS_FILES or name.endswith(".error.txt")
            or (name.startswith("compare") and name.endswith(COMPARE_SUFFIXES)))


def some(names: list[str]) -> str:
    return ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")


def not_our_report_files(out: Path) -> list[str]:
    """The files of OUT named like report files that vastaff did not write (a person's own report.html or
    vacancies.csv in a folder given to `vastaff report --out`): told by report.html's generator line (or, from before
    it, its title), plan.xlsx's creator, the CSV files' header."""
    from vastaff.schemas.plan import TIMETABLE_COLUMNS, VACANCY_COLUMNS  # here: every command imports this module

    headers = {"timetable.csv": ",".join(TIMETABLE_COLUMNS), "vacancies.csv": ",".join(VACANCY_COLUMNS)}
    theirs = []
    for name in sorted(REPORT_FILES):
        path = out / name
        if path.is_file() and not _ours(path, headers.get(name)):
            theirs.append(name)
    return theirs


def _ours(path: Path, header: str | None) -> bool:
    try:
        if path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as book:
                return b"<dc:creator>vastaff</dc:creator>" in book.read("docProps/core.xml")
        with path.open("rb") as file:
            head = file.read(4096)  # a 20,000-teacher report.html is megabytes; the marker is in its first lines
    except (OSError, KeyError, zipfile.BadZipFile):
        return False
    if header is not None:
        return head.decode("utf-8", "replace").lstrip("\ufeff").split("\n", 1)[0].strip() == header
    return GENERATOR.encode() in head or b"<title>Staffing plan" in head


GENERATOR = '<meta name="generator" content="vastaff">'
"""report.html's own line, by which `vastaff report --out` knows a page it may replace."""
