"""`run_checks`: every check function of every rule module, in a fixed order, into one CheckReport."""

from __future__ import annotations

import importlib
from types import ModuleType

from vastaff.check.core import CheckContext, CheckReport
from vastaff.contract import ContractModel
from vastaff.schemas.district import District, Plan

MODULES = ("structure", "demand", "periods", "courses", "class_size", "xtime", "costs",
           "iep", "caseload", "location", "displacement")
"""Rule modules of vastaff.check, in report order."""

OPTIONAL = frozenset({"iep", "caseload", "location", "displacement"})
"""Modules written separately; a missing one is skipped until it lands."""


SECTION_MODULES = MODULES[:7]
"""The modules of the section rules (STRUCTURE, DEMAND, CRED, A6.x, A8.x, A12, COSTS)."""


def rule_modules(names: tuple[str, ...] | None = None) -> list[ModuleType]:
    """The rule modules in MODULES order (or those of `names`), leaving out optional ones not written yet."""
    found = []
    for name in [n for n in MODULES if names is None or n in names]:
        full = f"vastaff.check.{name}"
        try:
            found.append(importlib.import_module(full))
        except ModuleNotFoundError as exc:
            if name not in OPTIONAL or exc.name != full:
                raise
    return found


def run_checks(district: District, plan: Plan, contract: ContractModel, previous: Plan | None = None,
               modules: tuple[str, ...] | None = None, *, names: bool = False) -> CheckReport:
    """Check `plan` against the contract; `previous` (default: district.previous) is last night's plan for A12.

    `modules` limits the run to some rule modules (e.g. SECTION_MODULES); by default every one runs.
    `names=True` shows teachers' names next to their IDs in the messages; by default IDs only.
    """
    ctx = CheckContext(district, plan, contract, previous if previous is not None else district.previous,
                       names=names)
    report = CheckReport()
    for module in rule_modules(modules):
        if module.__name__.endswith(".displacement") and plan.displacement is None:
            continue
        for check in getattr(module, "CHECKS", []):
            report.violations.extend(check(ctx))
        for figure in getattr(module, "FIGURES", []):
            report.figures.update(figure(ctx))
    return report
