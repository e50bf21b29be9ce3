"""The checker on a synthetic big district: vectorised, seconds for 20,000 teachers.

VASTAFF_BIG_TEACHERS=20000 pytest tests/check/test_sections_scale.py -s  prints the time per module.
"""

from __future__ import annotations

import os
import time
from collections import Counter
from dataclasses import replace

from vastaff.check.core import CheckContext
from vastaff.check.runner import SECTION_MODULES, rule_modules, run_checks
from vastaff.contract import load_contract

CONTRACT = load_contract()
N = int(os.environ.get("VASTAFF_BIG_TEACHERS", "2000"))


def _timed_run(district, plan) -> tuple[list, Counter]:
    ctx = CheckContext(district, plan, CONTRACT)
    seconds: Counter = Counter()
    violations = []
    for module in rule_modules():
        for fn in module.CHECKS + getattr(module, "FIGURES", []):
            start = time.perf_counter()
            found = fn(ctx)
            seconds[module.__name__.rsplit(".", 1)[1]] += time.perf_counter() - start
            if isinstance(found, list):
                violations += found
    return violations, seconds


def test_big_valid_plan_passes_and_one_break_is_found(big_plan):
    district, plan = big_plan(N)
    start = time.perf_counter()
    violations, seconds = _timed_run(district, plan)
    total = time.perf_counter() - start
    print(f"\n{N} teachers, {len(plan.sections)} sections: checks {total:.2f} s; "
          + ", ".join(f"{k} {v:.2f}" for k, v in seconds.items()))
    assert violations == []

    # one high teacher's semester-1 pair moves into P1 beside its year section of the same subject: A6.1 (3 sections)
    s = plan.sections.copy()
    s.loc[s.section_id == "ST000100-A1", "period_id"] = "P1"
    s.loc[s.section_id == "ST000100-A2", "period_id"] = "P3"
    report = run_checks(district, replace(plan, sections=s), CONTRACT, modules=SECTION_MODULES)
    assert [v.rule for v in report.violations] == []  # Y, A1 in P1 are one subject, two sections: allowed
    s.loc[s.section_id == "ST000100-A2", "period_id"] = "P1"
    report = run_checks(district, replace(plan, sections=s), CONTRACT, modules=SECTION_MODULES)
    assert [v.rule for v in report.violations] == ["A6.1"]
    assert report.violations[0].message.startswith("teacher T000100, semester 1, period P1: ")
    assert report.figures["costs"]["multigrade"] == float(plan.teachers.multigrade_cost.sum())
