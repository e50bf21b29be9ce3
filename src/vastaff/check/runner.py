"""`run_checks`: every check function of every rule module, in a fixed order, into one CheckReport."""

from __future__ import annotations

import re
from dataclasses import replace
from types import ModuleType

from vastaff.check import (
    avoidable, caseload, class_size, closures, costs, courses, demand, displacement, displacement_form, iep, incumbents,
    location, locks, matrix, meetings, people_files, periods, prep_time, structure, timetable, xtime,
)
from vastaff.check.core import (
    NOT_CHECKED, PLAN_TEACHERS, TEACHERS, CheckContext, CheckReport, has_section_plan, plan_has_table,
    section_files_missing,
)
from vastaff.check.xtime import previous_not_given
from vastaff.contract import ContractModel
from vastaff.rules import Finding
from vastaff.schemas.district import District, Plan

_IN_ORDER = (structure, demand, periods, courses, class_size, xtime, costs, timetable, people_files, iep, caseload,
             location, incumbents, closures, locks, matrix, avoidable, displacement, displacement_form, meetings,
             prep_time)
"""The meetings module (A4.1-A4.3) checks the plan's meetings.csv, else the data's (which `solve` read), and the
plan's IEP meetings against them; it finds nothing to check without either. prep_time (A9.2) checks teachers.csv's flags
against run.json's dates (or `vastaff check --first-day/--as-of`)."""
_BY_NAME = {m.__name__.rsplit(".", 1)[1]: m for m in _IN_ORDER}

MODULES = tuple(_BY_NAME)
"""Rule modules of vastaff.check, in report order."""

SECTION_MODULES = MODULES[:8]
"""The modules of the section rules (STRUCTURE, DEMAND, CRED, A6.x, A8.x, A12, COSTS) and the timetable's figures."""


def rule_modules(names: tuple[str, ...] | None = None) -> list[ModuleType]:
    """The rule modules in MODULES order (or those of `names`)."""
    return [module for name, module in _BY_NAME.items() if names is None or name in names]


def run_checks(district: District, plan: Plan, contract: ContractModel, previous: Plan | None = None,
               modules: tuple[str, ...] | None = None, *, names: bool = False, folder: bool = False) -> CheckReport:
    """Check `plan` against the contract; `previous` (default: district.previous) is last night's plan for A12.

    `modules` limits the run to some rule modules (e.g. SECTION_MODULES); by default every one runs.
    `names=True` shows teachers' names next to their IDs in the messages; by default IDs only. `folder=True`: the
    plan is its folder as it stands, whose timetable.csv and vacancies.csv are checked against it too.
    """
    ctx = CheckContext(district, plan, contract, previous if previous is not None else district.previous,
                       names=names, folder=folder)
    return checks_of(ctx, modules)


def checks_of(ctx: CheckContext, modules: tuple[str, ...] | None = None) -> CheckReport:
    """`run_checks` on a context given: its derived tables (check/core.py `cached`) may be computed already, by other
    modules' checks or by the report's "why" lines of the same plan (report/context.check_context)."""
    report = CheckReport(figures=not_checked(ctx))
    for module in rule_modules(modules):
        if module is displacement and ctx.plan.displacement is None:
            continue
        for check in getattr(module, "CHECKS", []):
            report.violations.extend(check(ctx))
        for figure in getattr(module, "FIGURES", []):
            report.figures.update(figure(ctx))
    if ctx.names:
        names = dict(zip(ctx.district.teachers.teacher_id, ctx.district.teachers["name"].astype(str)))
        report.violations[:] = [named(v, names) for v in report.violations]
    return report


def named(finding: Finding, names: dict[str, str]) -> Finding:
    """`finding` with each teacher of its rows named in its message, `T00037 (Ann Lee)`, where the rule wrote the ID
    alone (`--names`: the section rules name teachers themselves; the location, IEP, caseload and matrix rules
    write IDs)."""
    message = finding.message
    for ref in finding.rows:
        name = names.get(ref.key) if ref.file in (TEACHERS, PLAN_TEACHERS) else None
        if name:
            key = re.escape(ref.key)  # `T1 (seniority ...)` reads `T1 (Name; seniority ...)`; `T1 (Name)` stays
            bracket = rf"(?<![\w-]){key} \((?!{re.escape(name)}[;)])"
            message = re.sub(bracket, lambda _, label=f"{ref.key} ({name}; ": label, message)
            alone = rf"(?<![\w-]){key}(?![\w-])(?! \()"
            message = re.sub(alone, lambda _, label=f"{ref.key} ({name})": label, message)
    return finding if message == finding.message else replace(finding, message=message)


def joined(first: CheckReport, rest: CheckReport) -> CheckReport:
    """One report of two runs of one plan's checks, `first` of a leading part of MODULES and `rest` of the others:
    the report of one run of all of them (violations in module order; a figure two parts give is the later one's,
    in the place of its first, as `dict.update` does in one run)."""
    return CheckReport(first.violations + rest.violations, {**first.figures, **rest.figures})


def not_checked(ctx: CheckContext) -> dict:
    """The rules a plan folder claims nothing about because it lacks their file — a displacement plan has no sections
    and no IEP meetings, a plan made by hand may have sections only: said, not passed over in silence."""
    missing, lost = {}, section_files_missing(ctx.plan)
    if not has_section_plan(ctx):
        rules = "DEMAND, CRED, A6.x, A8.x, A9.x, LOCK" + ("" if ctx.plan.displacement is not None else ", A12, COSTS")
        missing[f"the section rules ({rules})"] = (f"the plan has no {' and no '.join(lost)}" if lost
                                                   else "the plan has no sections.csv or teachers.csv rows")
    made_against = previous_not_given(ctx) if has_section_plan(ctx) else None
    if made_against is not None:
        missing["A12"] = f"the plan was made against {made_against}, which this check was not given (--previous)"
    if not plan_has_table(ctx.plan, "iep_assignments") or lost:
        missing["A7.1, A7.2"] = (f"the plan has no {' and no '.join(lost)} (the grades each teacher teaches)" if lost
                                 else "the plan has no iep_assignments.csv")
    if not plan_has_table(ctx.plan, "caseloads"):
        missing["A7.3"] = "the plan has no caseloads.csv"
    return {NOT_CHECKED: missing} if missing else {}
