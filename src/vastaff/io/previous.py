"""A plan read against this district's data: last night's plan (`--previous`, DATA/previous/), and the PLAN that
`check`, `report` and `explain` are given. Either must be a plan of this district: one whose teacher IDs are mostly
unknown here is another district's, found by one test (`foreign_plan`) — for last night's plan it would charge A12
X-time and stability against the wrong teachers; given to `check` it would be thousands of violations, to `report` a
report of nothing real, to `explain` two districts mixed.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from vastaff.errors import InputError, InputProblem
from vastaff.io.tables import raw_ids
from vastaff.schemas.district import District, Plan

LAST_NIGHT = "last night's plan of this district"
FORCE_HINT = "pass --previous-force to use it anyway"


def previous_path(path: Path, previous: str | Path | None) -> Path | None:
    """docs/data-format.md ("previous/"): `--previous` wins over `DATA/previous/`; neither means no previous plan.
    Anything else named `previous` in DATA (a file) is read as one, to be refused in a line, not ignored in silence."""
    if previous is not None:
        return Path(previous)
    if os.path.isdir(path) and os.path.lexists(path / "previous"):  # a folder it cannot search: the loader says so
        return path / "previous"
    return None


def load_previous(path: Path, raw: dict[str, pd.DataFrame], broken: set[str], force: bool
                  ) -> tuple[Plan | None, list[InputProblem]]:
    """Last night's plan, if it is one: readable, with sections, and (unless `force`) of this district (`raw`: the
    district's tables as read, `broken`: those that could not be read, whose IDs then decide nothing)."""
    from vastaff.io.plan import load_plan

    try:
        plan = load_plan(path, label_prefix=f"{path.name}/" if path.is_dir() else "")  # a workbook names itself
    except InputError as exc:
        return None, exc.problems + _as_written(path, raw, broken, force)
    if plan.sections.empty:
        return None, [InputProblem(str(path), expected=(
            "last night's plan: a plan folder (or workbook) from vastaff solve with its sections in sections.csv "
            "(this one has no sections; without them A12 X-time and stability would silently be off)"))]
    if repeated := repeated_sections(plan, f"{path.name}/sections.csv" if path.is_dir() else f"{path.name}, sheet "
                                                                                             "sections"):
        return None, repeated
    if force or "teachers" in broken or "courses" in broken:
        return plan, []
    return plan, foreign_plan(plan, raw, str(path))


def _as_written(path: Path, raw: dict[str, pd.DataFrame], broken: set[str], force: bool) -> list[InputProblem]:
    """The repeated sections and the other-district test on last night's files as written, when a cell of theirs is
    bad: said in the same run (a cross-file fuzz fixed the cell, then learned the plan was another district's)."""
    from types import SimpleNamespace

    from vastaff.io.tables import TableSource

    try:
        source = TableSource.open(path)
        try:
            frames = {name: source.read(name) if source.has(name) else None for name in ("sections", "teachers")}
        finally:
            source.close()
    except Exception:  # noqa: BLE001 — more lines, best effort: the plan's own problems are said whatever happens
        return []
    sections, teachers = frames["sections"], frames["teachers"]
    if sections is None or not {"section_id", "teacher_id", "course_id"} <= set(sections.columns):
        return []
    text = sections.astype(str).replace({"nan": "", "None": ""}).assign(_row=sections["_row"])
    label = f"{path.name}/sections.csv" if path.is_dir() else f"{path.name}, sheet sections"
    found = repeated_sections(SimpleNamespace(sections=text), label)
    if force or "teachers" in broken or "courses" in broken:
        return found
    ids = teachers.teacher_id.astype(str) if teachers is not None and "teacher_id" in teachers.columns else []
    plan = SimpleNamespace(sections=text.assign(teacher_id=text.teacher_id.where(text.teacher_id != "")),
                           teachers=pd.DataFrame({"teacher_id": [i for i in ids if i not in ("", "nan", "None")]}))
    return found + foreign_plan(plan, raw, str(path))


def repeated_sections(plan: Plan, label: str) -> list[InputProblem]:
    """A section_id on two rows of last night's sections.csv (a row copied, or one section typed with another's ID):
    one problem per repeat. Read as it was, tonight's plan gave both sections that ID (a fuzz of edited plans: `check`
    then found the plan broken, and the repeat went on night after night)."""
    s = plan.sections  # load_plan numbers its rows (`_row`)
    first = s.drop_duplicates("section_id").set_index("section_id")._row
    again = s[s.section_id.duplicated(keep="first")]
    return [InputProblem(label, row, "section_id", str(sid), f"each section_id once in last night's plan (also on "
                                                              f"row {first[sid]})")
            for sid, row in zip(again.section_id, again._row)]


def foreign_plan(plan: Plan, tables: dict[str, pd.DataFrame], label: str, what: str = LAST_NIGHT,
                 hint: str = FORCE_HINT) -> list[InputProblem]:
    """One problem when `plan` is another district's: more than half of its teacher IDs are not in `tables`
    (teachers, courses: as read, or typed). The message expects `what` and ends with `hint`.

    An old plan (some teachers left, some joined) stays well under half and is accepted silently. Courses alone do
    not decide: a catalogue changes from year to year (a dropped course is exactly what A12 X-time is about). A
    school closed with its staff since (`tables` with `schools`) is not another district: its teachers are not
    counted while the plan has a school this data still lists."""
    known = raw_ids(tables["teachers"], "teacher_id")
    teachers = set(plan.sections.teacher_id.dropna()) | set(plan.teachers.teacher_id)
    teachers -= _of_closed_schools(plan.sections, tables, known)
    courses = set(plan.sections.course_id)
    unknown_teachers = len(teachers - known)
    unknown_courses = len(courses - raw_ids(tables["courses"], "course_id"))
    if 2 * unknown_teachers <= len(teachers):
        return []
    return [InputProblem(label, expected=(
        f"{what}, but {unknown_teachers} of {len(teachers)} teacher IDs and {unknown_courses} of {len(courses)} "
        f"course IDs in it are not in this data (a plan of another district?); {hint}"))]


def _of_closed_schools(sections: pd.DataFrame, tables: dict[str, pd.DataFrame], known: set[str]) -> set[str]:
    """The plan's teachers unknown here who taught only at schools this data no longer lists — none when no school
    of the plan is listed (then nothing tells a closed school from another district)."""
    if "schools" not in tables or "school_id" not in sections.columns:
        return set()
    taught = sections[sections.teacher_id.notna()]
    listed = taught.school_id.astype(str).isin(raw_ids(tables["schools"], "school_id"))
    if not listed.any():
        return set()
    return set(taught.teacher_id[~listed]) - set(taught.teacher_id[listed]) - known


def require_plan_of(district: District, plan: Plan, path: str | Path) -> None:
    """InputError (exit 2, one line) when `plan`, the PLAN of check, report or explain, is another district's plan —
    the test `--previous` gets (`foreign_plan`). A plan with no teachers (a displacement plan) is not judged here."""
    tables = {"teachers": district.teachers, "courses": district.courses, "schools": district.schools}
    problems = foreign_plan(plan, tables, str(path),
                            what="a plan of this district", hint="give the data folder the plan was made for")
    if problems:
        raise InputError(problems)
