"""The plan's files for people, made together from one ReportContext (docs/decisions.md, "Files for people").

`timetable.csv` and `vacancies.csv` come with every plan; `plan.xlsx` and `report.html` unless `--no-report`.
`vastaff solve` passes them to io/plan.write_plan (one atomic folder); `vastaff report` writes them into a plan folder
one atomic file at a time.
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from vastaff.contract import ContractModel
from vastaff.people.location import LocationResult
from vastaff.report.context import ReportContext, checked, draft_context
from vastaff.report.parallel import CheckJob, WorkbookJob
from vastaff.report.tables import timetable_frame, vacancies_frame
from vastaff.schemas.district import District, Plan

TABLE_FILES = ("timetable.csv", "vacancies.csv")
REPORT_FILES = ("plan.xlsx", "report.html")
PEOPLE_FILES = TABLE_FILES + REPORT_FILES
"""Every file this module makes: a plan folder's own outputs, which `vastaff report` may replace."""


def people_files(ctx: ReportContext, reports: bool = True,
                 locations: LocationResult | None = None, book: WorkbookJob | None = None) -> dict[str, str | bytes]:
    """File name -> content: the two tables, and (with `reports`) the workbook and the HTML page. `locations`: the
    work locations the solve computed, when there was one (else the "why" runs `assign_locations` once); `book`: the
    workbook already under way (`files_for_people`)."""
    files: dict[str, str | bytes] = {"timetable.csv": csv_text(ctx.timetable), "vacancies.csv": csv_text(ctx.vacancies)}
    if reports:
        from vastaff.report.html import report_html  # the writers load XlsxWriter / Jinja2 only when asked
        from vastaff.report.why import explain_all
        from vastaff.report.workbook import plan_workbook

        page = report_html(ctx, why=explain_all(ctx, locations))  # while `book` writes the workbook's big sheets
        files["plan.xlsx"] = book.result(ctx) if book is not None else plan_workbook(ctx)
        files["report.html"] = page
    return files


def files_for_people(district: District, plan: Plan, contract: ContractModel, changes: pd.DataFrame | None,
                     reports: bool = True, locations: LocationResult | None = None
                     ) -> tuple[dict[str, str | bytes], ReportContext]:
    """The context (the checker's run) and the files for people of `plan`; with `reports`, the checker and the
    workbook run in two more processes while the "why" is made here (report/parallel.py)."""
    draft = draft_context(district, plan, contract, changes)
    if not reports:
        ctx = checked(draft)
        return people_files(ctx, False), ctx
    from vastaff.report.why import prepare

    with WorkbookJob(draft) as book, CheckJob(draft) as checker:
        prepare(draft, locations)  # while the checker runs
        ctx = replace(draft, check=checker.result())
        book.verdict(ctx.check)
        return people_files(ctx, True, locations, book), ctx


def plan_files_for_people(district: District, plan: Plan, contract: ContractModel, changes: pd.DataFrame | None,
                          reports: bool = True, locations: LocationResult | None = None
                          ) -> tuple[dict[str, str | bytes], ReportContext | None, str | None]:
    """The files for people of a plan about to be written, never at the plan's expense: if making them fails (a bug
    in a writer or the checker), the plan still gets its two tables and the caller a one-line warning instead.
    Returns (files, the context or None, the warning or None). Without `reports` the two tables need no checker's
    run, so none is made (`vastaff check` gives the verdict): the context returned has `check` None."""
    try:
        if not reports:
            draft = draft_context(district, plan, contract, changes)
            return people_files(draft, False), draft, None
        files, ctx = files_for_people(district, plan, contract, changes, reports, locations)
        return files, ctx, None
    except Exception as exc:  # noqa: BLE001 — tonight's plan matters more than its report
        return table_files(district, plan), None, (
            f"the report could not be made ({type(exc).__name__}: {exc}); the plan is written without plan.xlsx and "
            "report.html — `vastaff report DATA PLAN` makes them later")


def table_files(district: District, plan: Plan) -> dict[str, str]:
    """timetable.csv and vacancies.csv of a plan, which come with every plan folder (docs/data-format.md), made
    without the checker: a report that failed, a scenario's run folder."""
    return {"timetable.csv": csv_text(timetable_frame(plan.sections, district)),
            "vacancies.csv": csv_text(vacancies_frame(plan.sections, plan.section_grades, plan.run))}


def csv_text(frame: pd.DataFrame) -> str:
    """A plan table's CSV text as io/plan writes them: IDs and raw values, `\\n` line ends."""
    return frame.to_csv(index=False, lineterminator="\n")

