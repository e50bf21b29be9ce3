"""The plan's files for people, made together from one ReportContext (SPEC "Plans people read").

`timetable.csv` and `vacancies.csv` come with every plan; `plan.xlsx` and `report.html` unless `--no-report`.
`vastaff solve` passes them to io/plan.write_plan (one atomic folder); `vastaff report` writes them into a plan folder
one atomic file at a time.
"""

from __future__ import annotations

import pandas as pd

from vastaff.report.context import ReportContext

TABLE_FILES = ("timetable.csv", "vacancies.csv")
REPORT_FILES = ("plan.xlsx", "report.html")
PEOPLE_FILES = TABLE_FILES + REPORT_FILES
"""Every file this module makes: a plan folder's own outputs, which `vastaff report` may replace."""


def people_files(ctx: ReportContext, reports: bool = True) -> dict[str, str | bytes]:
    """File name -> content: the two tables, and (with `reports`) the workbook and the HTML page."""
    files: dict[str, str | bytes] = {"timetable.csv": csv_text(ctx.timetable), "vacancies.csv": csv_text(ctx.vacancies)}
    if reports:
        from vastaff.report.html import report_html  # the writers load XlsxWriter / Jinja2 only when asked
        from vastaff.report.why import explain_all
        from vastaff.report.workbook import plan_workbook

        files["plan.xlsx"] = plan_workbook(ctx)
        files["report.html"] = report_html(ctx, why=explain_all(ctx))
    return files


def csv_text(frame: pd.DataFrame) -> str:
    """A plan table's CSV text as io/plan writes them: IDs and raw values, `\\n` line ends."""
    return frame.to_csv(index=False, lineterminator="\n")

