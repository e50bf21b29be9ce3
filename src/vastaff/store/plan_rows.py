"""Store records from a plan's tables and run.json, as plain DataFrames and dicts (docs/history.md).

Column names are those of the plan folder (docs/data-format.md, "Output: the plan folder"): sections.csv, teachers.csv,
iep_assignments.csv, caseloads.csv, displacement.csv. Nothing here imports the plan's schemas: a leaf package
reads columns, so a command can record whichever tables it has.
"""

from __future__ import annotations

from datetime import datetime

import pandas as pd

from vastaff.store.records import COST_PARTS, RUN_COST_PARTS, SEPARATOR, RunRecord, TeacherRecord

PLANNED = ("OPTIMAL", "FEASIBLE")
"""The statuses of a run that made a plan (only those carry a cost and vacancies in the run history)."""
RUN_COSTS = {part: part.removeprefix("cost_") for part in RUN_COST_PARTS}
"""A run's cost parts and their run.json `costs` keys (a displace run has only `xtime`)."""


def run_record(command: str, summary: dict, data_path: str, plan_folder: str,
               started: datetime | str, ended: datetime | str) -> RunRecord:
    """The run row from a run.json dict (solve, displace or a scenario's): read defensively, absent = None.

    `changes` is `changes_vs_previous` (solve with --previous); for displace, its outcome `counts`. A run that made no
    plan (INFEASIBLE, invalid input) has no cost and no vacancies (None), whatever its run.json carries; a displace
    run's cost is its X-time (A12), the only cost it has. The cost parts are run.json's `costs` stipend, multigrade
    and xtime (None where absent); `vacancy_sections` the section IDs of `vacancies.items`, in their order.
    """
    planned = str(summary.get("status")) in PLANNED
    costs = summary.get("costs") if planned and isinstance(summary.get("costs"), dict) else {}
    vacancies = summary.get("vacancies") if planned else None
    changes = summary.get("changes_vs_previous")
    if changes is None and isinstance(summary.get("counts"), dict):
        changes = summary["counts"]
    return RunRecord(
        command=command, started=started, ended=ended, data_path=data_path,
        input_sha256=str(summary.get("input_sha256") or ""), contract_model=str(summary.get("contract_model") or ""),
        status=str(summary.get("status") or "UNKNOWN"), plan_folder=plan_folder, seed=summary.get("seed"),
        cost_total=costs.get("total", costs.get("xtime")),
        vacancies=vacancies.get("count") if isinstance(vacancies, dict) else vacancies,
        changes=changes if isinstance(changes, dict) else None,
        **{name: costs.get(key) for name, key in RUN_COSTS.items()}, vacancy_sections=_vacant(vacancies),
    )


def _vacant(vacancies) -> list[str] | None:
    """The section IDs of run.json's `vacancies.items`, in its order; None without a list."""
    items = vacancies.get("items") if isinstance(vacancies, dict) else None
    if not isinstance(items, list):
        return None
    return [str(i["section_id"]) for i in items if isinstance(i, dict) and i.get("section_id") is not None]


def teacher_records(teachers: pd.DataFrame | None = None, sections: pd.DataFrame | None = None,
                    iep_assignments: pd.DataFrame | None = None, caseloads: pd.DataFrame | None = None,
                    displacement: pd.DataFrame | None = None) -> list[TeacherRecord]:
    """One record per teacher of `teachers` (or of `displacement` without it), in teacher_id order.

    courses: distinct course IDs taught; periods: `section@period`, with ` (S1)`/` (S2)` for a semester section;
    site: site_id, or `home`; iep_meetings: meeting IDs attended; caseload: students carried; cost: the
    teacher's cost columns summed, and each of them (stipend_cost, multigrade_cost, xtime_cost: summed over teachers
    and displacement, None where neither has it); note: the displacement outcome, with its article.
    """
    ids = _ids(teachers) | _ids(displacement)
    frame = pd.DataFrame({"teacher_id": sorted(ids)})
    for part in (_sections(sections), _location(teachers), _listed(iep_assignments, "meeting_id", "iep_meetings"),
                 _counted(caseloads, "caseload"), _costs(teachers, displacement), _notes(displacement)):
        if part is not None:
            frame = frame.merge(part, on="teacher_id", how="left")
    frame = frame.astype(object).where(frame.notna(), None)
    return [TeacherRecord(**{k: v for k, v in row.items() if v is not None}) for row in frame.to_dict("records")]


def meeting_records(counts: pd.DataFrame) -> list[TeacherRecord]:
    """One record per teacher of meeting_counts.csv (`vastaff meetings`), in teacher_id order: the meetings the year
    holds for the teacher, as a note (A4.1 PD/PLT; A4.2 faculty-type)."""
    return [TeacherRecord(teacher_id=str(r.teacher_id),
                          note=f"meetings A4.1 {r.a41_year} a year (most {r.a41_week_max} a week); A4.2 {r.a42_year} "
                               f"a year (most {r.a42_week_max} a week, {r.a42_month_max} a month)")
            for r in counts.sort_values("teacher_id").itertuples(index=False)]


def _ids(frame: pd.DataFrame | None) -> set[str]:
    return set() if frame is None else {str(t) for t in frame["teacher_id"].dropna()}


def _taught(sections: pd.DataFrame) -> pd.DataFrame:
    """Staffed sections (a vacancy has no teacher), with teacher_id as text."""
    taught = sections[sections["teacher_id"].notna() & (sections["teacher_id"].astype(str).str.strip() != "")]
    return taught.assign(teacher_id=taught["teacher_id"].astype(str))


def _sections(sections: pd.DataFrame | None) -> pd.DataFrame | None:
    if sections is None:
        return None
    taught = _taught(sections)
    period = taught["period_id"].fillna("").astype(str) if "period_id" in taught else pd.Series("", taught.index)
    semester = taught["semester"].astype(str) if "semester" in taught else pd.Series("year", taught.index)
    entry = taught["section_id"].astype(str) + ("@" + period).where(period != "", "")
    entry = entry + (" (S" + semester + ")").where(semester.isin(["1", "2"]), "")
    work = pd.DataFrame({"teacher_id": taught["teacher_id"], "course": taught["course_id"].astype(str),
                         "entry": entry})
    return work.groupby("teacher_id", sort=True).agg(
        courses=("course", _join), periods=("entry", _join)).reset_index()


def _location(teachers: pd.DataFrame | None) -> pd.DataFrame | None:
    if teachers is None or "site_id" not in teachers:
        return None
    site = teachers["site_id"].where(teachers["site_id"].notna() & (teachers["site_id"].astype(str) != ""), None)
    if "work_location" in teachers:
        site = site.where(~((teachers["work_location"] == "home") & site.isna()), "home")
    room = teachers["room_id"] if "room_id" in teachers else None
    return pd.DataFrame({"teacher_id": teachers["teacher_id"].astype(str), "site": site, "room": room})


def _listed(frame: pd.DataFrame | None, column: str, name: str) -> pd.DataFrame | None:
    if frame is None:
        return None
    work = frame.assign(teacher_id=frame["teacher_id"].astype(str), item=frame[column].astype(str))
    return work.groupby("teacher_id", sort=True)["item"].agg(_join).rename(name).reset_index()


def _counted(frame: pd.DataFrame | None, name: str) -> pd.DataFrame | None:
    if frame is None:
        return None
    return frame["teacher_id"].astype(str).value_counts().rename(name).rename_axis("teacher_id").reset_index()


def _costs(teachers: pd.DataFrame | None, displacement: pd.DataFrame | None) -> pd.DataFrame | None:
    """Each teacher's cost parts (teachers.csv's; displacement.csv has xtime_cost), each summed over the tables that
    have it (NaN where none does), and `cost`, their sum."""
    frames = [f for f in (teachers, displacement) if f is not None and any(c in f for c in COST_PARTS)]
    if not frames:
        return None
    parts = pd.concat([f[[c for c in COST_PARTS if c in f]].astype(float).assign(teacher_id=f["teacher_id"].astype(str))
                       for f in frames])
    summed = parts.groupby("teacher_id", sort=True)[[c for c in COST_PARTS if c in parts]].sum(min_count=1)
    return summed.assign(cost=summed.sum(axis=1)).reset_index()


def _notes(displacement: pd.DataFrame | None) -> pd.DataFrame | None:
    """`displaced (11.0), reports to S2` / `moved_level to middle (10.0(2))` / `retained (10.0(1))`."""
    if displacement is None:
        return None
    d = displacement.astype(object).where(displacement.notna(), "")
    note = d["outcome"].astype(str)
    note = note + (" to " + d["to_level"].astype(str)).where(d["outcome"] == "moved_level", "")
    note = note + (" (" + d["article"].astype(str) + ")").where(d["article"].astype(str) != "", "")
    note = note + (", reports to " + d["site_id"].astype(str)).where(
        (d["outcome"] == "displaced") & (d["site_id"].astype(str) != ""), "")
    return pd.DataFrame({"teacher_id": d["teacher_id"].astype(str), "note": note})


def _join(items: pd.Series) -> str:
    return SEPARATOR.join(sorted({str(i).strip() for i in items if str(i).strip()}))
