"""check/displacement_form.py: a displacement plan's file is there when run.json says `displace`, and each row's
article is its outcome's. A probe written from the documentation alone broke these and `vastaff check` said OK."""

from __future__ import annotations

from dataclasses import replace

from people_plans import context, edit_rows, run_all
from test_people_displacement import district, valid_rows, with_xtime
from vastaff.check import displacement_form


def found(tmp_path, rows: list[dict] | None, run: dict | None = None):
    plan = {"displacement": None if rows is None else [with_xtime(r) for r in rows]}
    ctx = context(tmp_path, data=district(), plan=plan)
    ctx = replace(ctx, plan=replace(ctx.plan, run=run or {}))
    return run_all(displacement_form, ctx)


def test_a_valid_displacement_plan_passes(tmp_path):
    assert found(tmp_path, valid_rows(), {"command": "displace"}) == []


def test_each_outcome_carries_its_article(tmp_path):
    rows = edit_rows(valid_rows(), "teacher_id", "H1", article="11.0")
    edit_rows(rows, "teacher_id", "H3", article="10.0")
    edit_rows(rows, "teacher_id", "E1", article=None)
    assert [(v.rule, v.message) for v in found(tmp_path, rows)] == [
        ("A10", "teacher E1 is retained under article (blank); that outcome is article 10.0 (A10)"),
        ("A10", "teacher H1 is retained under article 11.0; that outcome is article 10.0 (A10)"),
        ("A10.1", "teacher H3 is moved_level under article 10.0; that outcome is article 10.0(1) (A10.1)")]


def test_a_displace_run_without_its_file_is_structure(tmp_path):
    [v] = found(tmp_path, None, {"command": "displace"})
    assert (v.rule, v.message) == ("STRUCTURE", "run.json says vastaff displace made this plan, but displacement.csv "
                                                "is missing or empty: no teacher's outcome (A10, A10.1, A11) can be "
                                                "checked")
    assert found(tmp_path, None, {"status": "OPTIMAL"}) == []  # a nightly plan has no displacement.csv
