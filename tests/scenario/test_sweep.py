"""`vastaff scenario sweep`: a grid expanded into named scenarios, each priced by hand, compared (table, CSV, HTML with
cost curves); every problem of a grid file is one line (exit 2, nothing run); a pool worker killed mid-sweep leaves
its scenarios as ERROR runs, never a gap."""

from __future__ import annotations

import base64
import json
import os
import re
import socket
import threading

import pandas as pd
import pytest
import yaml
from typer.testing import CliRunner

from tests.pool_workers import kill_first_pool_worker
from tests.scenario.conftest import ROOT, STIPEND_COSTS, stipend_district, write_grid
from vastaff.cli import app
from vastaff.errors import InputError
from vastaff.scenario.sweep import load_sweep
from vastaff.scenario.sweep_run import FILES, curve_lines, run_sweep, write_sweep_files

NAMES = list(STIPEND_COSTS)
PNG = b"\x89PNG\r\n\x1a\n"


def sweep_cli(*args) -> object:
    return CliRunner().invoke(app, ["scenario", "sweep", *map(str, args)])


def test_a_sweep_runs_each_combination_and_each_costs_what_the_hand_count_says(stipend_sweep):
    """cap 8: 2 stipend courses, cap 7: 3 (A6.3), each x the stipend; nothing else moves."""
    out, result = stipend_sweep["out"], stipend_sweep["cli"]
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out / "sweep.csv")
    assert table[["scenario", "stipend_per_course", "max_courses_per_semester", "status"]].values.tolist() == [
        ["stipend-1200_cap-7", 1200, 7, "OPTIMAL"], ["stipend-1200_cap-8", 1200, 8, "OPTIMAL"],
        ["stipend-1500_cap-7", 1500, 7, "OPTIMAL"], ["stipend-1500_cap-8", 1500, 8, "OPTIMAL"]]
    assert dict(zip(table["scenario"], table["cost_total"])) == STIPEND_COSTS
    assert (table["cost_total"] == table["cost_stipend"]).all() and (table["vacancies"] == 0).all()
    for name in NAMES:  # each a whole run folder, as `scenario run` writes it
        run = json.loads((out / name / "run.json").read_text())
        assert run["scenario"]["name"] == name and run["check"]["violations"] == 0
        assert run["scenario"]["model_overrides"] == {
            "stipend_per_course": int(name[8:12]), "max_courses_per_semester": int(name[-1])}
    assert sorted(p.name for p in out.iterdir()) == sorted(NAMES + list(FILES))  # no work folder left


def test_the_sweep_reports_progress_and_a_table_and_writes_the_comparison(stipend_sweep):
    out, result = stipend_sweep["out"], stipend_sweep["cli"]
    lines = result.stdout.splitlines()
    assert lines[0] == "Sweep stipend-cap: 4 scenario(s) over stipend_per_course, max_courses_per_semester"
    progress = [line for line in lines if line.startswith("ok ")]
    assert [re.search(r"\[(\d)/4\]$", line).group(1) for line in progress] == ["1", "2", "3", "4"]
    assert sorted(line.split(":")[0].split()[1] for line in progress) == NAMES
    row = next(line for line in lines if line.startswith("stipend-1500_cap-7 "))
    assert row.split() == ["stipend-1500_cap-7", "1500", "7", "OPTIMAL", "$4,500", "0", "0", "0"]
    assert lines[-1] == f"4 of 4 scenario(s) succeeded -> {out}. Open {out / 'compare.html'}"
    compare = pd.read_csv(out / "compare.csv").set_index("figure")
    assert compare.columns.tolist()[1:5] == NAMES  # the first scenario is the base
    assert compare.at["cost_total", "stipend-1500_cap-8 vs stipend-1200_cap-7"] == -600.0
    page = (out / "compare.html").read_text()
    assert "<h2>Cost curves</h2>" in page and "Sweep stipend-cap: stipend and course cap" in page
    images = re.findall(r'src="data:image/png;base64,([^"]+)"', page)
    assert len(images) == 2 and base64.b64decode(images[1]) == (out / "cost-curves.png").read_bytes()
    assert (out / "compare.png").read_bytes().startswith(PNG)


def test_a_cost_curve_has_a_line_per_combination_of_the_other_terms(stipend_sweep):
    table = pd.read_csv(stipend_sweep["out"] / "sweep.csv")
    key = lambda v: (False, v)  # noqa: E731 - the curve's key of a number
    assert curve_lines(table, "stipend_per_course", ["max_courses_per_semester"]) == {
        (7,): {key(1200): 3600.0, key(1500): 4500.0}, (8,): {key(1200): 2400.0, key(1500): 3000.0}}
    assert curve_lines(table, "max_courses_per_semester", ["stipend_per_course"]) == {
        (1200,): {key(7): 3600.0, key(8): 2400.0}, (1500,): {key(7): 4500.0, key(8): 3000.0}}


def test_named_patches_and_an_explicit_list_expand_into_the_scenarios_asked(tmp_path):
    """A named patch gets the swept value where `$value` stands, after the base scenario's own patches; an explicit
    combination may name itself; the base's paths still resolve from the sweep's folder."""
    data = stipend_district(tmp_path / "data")
    base = tmp_path / "sc" / "base.yaml"
    base.parent.mkdir()
    base.write_text(yaml.safe_dump({"name": "base", "description": "d", "data": "../data", "model_overrides": {
        "caseload_cap": 22}, "patches": [{"kind": "set", "table": "teachers", "set": {"stipend_consent": True}}]}))
    grid = write_grid(tmp_path / "sweeps" / "g.yaml", "../sc/base.yaml", vary=None, labels={}, patches={
        "grow": {"kind": "scale", "table": "demand", "column": "students", "factor": "$value"}}, scenarios=[
        {"grow": 1.5, "stipend_per_course": 1500, "name": "big"}, {"grow": 2}])
    sweep = load_sweep(grid)
    assert [p.name for p in sweep.points] == ["big", "grow-2"]
    assert sweep.terms == ["grow", "stipend_per_course"] and sweep.values == {"grow": [1.5, 2],
                                                                               "stipend_per_course": [1500]}
    big, grow2 = (p.scenario for p in sweep.points)
    assert big.data == grow2.data and big.data.resolve() == data.resolve()
    assert [(p.kind, getattr(p, "factor", None)) for p in big.scenario.patches] == [("set", None), ("scale", 1.5)]
    assert grow2.scenario.patches[1].factor == 2
    assert big.scenario.model_overrides == {"caseload_cap": 22, "stipend_per_course": 1500}
    assert grow2.scenario.model_overrides == {"caseload_cap": 22}
    assert big.scenario.solve.time_limit == 10 and big.file == grid
    assert big.scenario.description == ("stipend and course cap on one consenting teacher's 10 courses (grow=1.5, "
                                        "stipend_per_course=1500)")


def test_the_shipped_sweep_expands_into_six_scenarios_on_the_sample():
    sweep = load_sweep(ROOT / "scenarios" / "sweeps" / "sample-stipend-caseload.yaml")
    assert [p.name for p in sweep.points] == [f"stipend-{s}_caseload-{c}" for s in (1200, 1600, 2000) for c in (22, 24)]
    for p in sweep.points:
        assert p.scenario.data.resolve() == (ROOT / "data" / "sample").resolve()
        assert p.scenario.scenario.model_overrides == {"max_courses_per_semester": 3, **p.terms}
        assert p.scenario.contract.stipend_per_course == p.terms["stipend_per_course"]


def problems_of(tmp_path, base="data", **keys) -> list[str]:
    stipend_district(tmp_path / "data")
    grid = write_grid(tmp_path / "g.yaml", base, **keys)
    result = sweep_cli(grid, "--out", tmp_path / "runs")
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert not (tmp_path / "runs").exists()
    with pytest.raises(InputError) as caught:
        load_sweep(grid)
    assert result.stderr.splitlines()[:-1] == [str(p) for p in caught.value.problems]
    return [line.removeprefix(f"{grid}, ") for line in result.stderr.splitlines()[:-1]]


def test_every_problem_of_a_grid_is_one_line_naming_its_key(tmp_path):
    assert problems_of(tmp_path, labels={"nothing": "n"}, patches={
        "grade9": {"kind": "scale", "table": "demand", "column": "students", "factor": 2},
        "unused": {"kind": "scale", "table": "demand", "column": "students", "factor": "$value"}},
        vary={"stipend_per_course": [1200], "grade9": [1, 2], "no_such_term": [1]}) == [
        "key labels.nothing: expected a term of vary: stipend_per_course, grade9, no_such_term",
        "key patches.grade9: expected a patch with $value where the swept value goes (e.g. factor: $value)",
        "key patches.unused: expected a patch that a term of vary sweeps (unused)",
        "key vary.no_such_term: expected a patch named under patches, or a key of the contract model (no key "
        "'no_such_term' in it; use a key name such as stipend_per_course, or a dotted path such as "
        "courses.stipend_per_course.value)"]


def test_a_missing_base_and_model_come_with_the_patches_problems(tmp_path):
    """A missing model hid the missing base, and both hid the patches' problems: three runs for one file."""
    assert problems_of(tmp_path, base="nowhere", model="none.yaml", labels={}, patches={
        "fixed": {"kind": "scale", "table": "demand", "column": "students", "factor": 2}}) == [
        f"key base: got 'nowhere', expected a scenario YAML file, or a base data folder or .xlsx workbook, relative "
        f"to the sweep file's folder (not found: {tmp_path / 'nowhere'})",
        f"key model: got 'none.yaml', expected a contract model YAML file, relative to the sweep file's folder (not "
        f"found: {tmp_path / 'none.yaml'})",
        "key patches.fixed: expected a patch that a term of vary sweeps (unused)",
        "key patches.fixed: expected a patch with $value where the swept value goes (e.g. factor: $value)"]


def test_a_grid_too_large_is_refused_before_its_combinations_are_made(tmp_path):
    """20 values of 10 terms: the product was listed before it was counted (no output, memory to the limit)."""
    vary = {f"term{i}": list(range(20)) for i in range(10)}
    assert problems_of(tmp_path, labels={}, vary=vary) == [
        "key vary: got '10,240,000,000,000 scenarios', expected at most 500 scenarios"]


def test_an_empty_grid_is_said_so(tmp_path):
    """`vary: {}` was one scenario with no terms, refused for its empty name (a scenario fuzz)."""
    assert problems_of(tmp_path, labels={}, vary={}) == ["key vary: got '{}', expected a non-empty list or mapping"]


def test_a_bad_value_of_a_term_names_the_term_and_what_it_sets(tmp_path):
    assert problems_of(tmp_path, labels={}, patches={
        "grow": {"kind": "scale", "table": "demand", "column": "pupils", "factor": "$value"}},
        vary={"stipend_per_course": [1200, -5], "caseload_cap": [22, "many"], "grow": [1.5]}) == [
        "key patches.grow.column: got 'pupils', expected a column of demand.csv: school_id, course_id, grade, students",
        "key vary.caseload_cap: got 'many', expected a whole number (sets special_education.caseload_cap.value of "
        "va-2025-2027.yaml)",
        "key vary.stipend_per_course: got '-5', expected a number >= 0 (sets courses.stipend_per_course.value of "
        "va-2025-2027.yaml)"]


def test_a_grid_with_a_missing_base_both_forms_and_clashing_names_says_all_of_it(tmp_path):
    assert problems_of(tmp_path, base="nowhere", labels={}, scenarios=[{"caseload_cap": 22}]) == [
        f"key base: got 'nowhere', expected a scenario YAML file, or a base data folder or .xlsx workbook, relative "
        f"to the sweep file's folder (not found: {tmp_path / 'nowhere'})",
        "key vary: expected either vary (a mapping of term -> list of values: the cartesian product) or scenarios (a "
        "list of combinations), not both and not neither"]
    assert problems_of(tmp_path, vary=None, labels={}, scenarios=[
        {"caseload_cap": 22, "name": "a b"}, {"caseload_cap": 22.0}, {"caseload_cap": 22}]) == [
        "key scenarios: got 'caseload-cap-22', expected values that give each scenario its own name (two scenarios "
        "are called this; give the terms distinct values or labels)",
        "key scenarios.0.name: got 'a b', expected a name of letters, digits, '.', '_' or '-', starting with a "
        "letter or digit (it names the run folder)",
        "key scenarios.1.caseload_cap: got '22.0', expected a whole number (sets special_education.caseload_cap.value "
        "of va-2025-2027.yaml)"]
    assert problems_of(tmp_path, colour="red") == [
        "key colour: expected no such key (unknown key; known keys here: name, description, base, model, solve, "
        "labels, patches, vary, scenarios)"]


def test_a_pool_worker_killed_mid_sweep_leaves_error_runs_never_a_gap(tmp_path):
    """A real kill -9 of a local pool worker: every scenario it broke is an ERROR run saying so (run.json, error.txt),
    the others succeed, and the comparison still lists all four (the lost ones with a dash for their cost)."""
    grid = write_grid(tmp_path / "g.yaml", stipend_district(tmp_path / "data"))
    killer = threading.Thread(target=kill_first_pool_worker, args=(os.getpid(),), daemon=True)
    killer.start()
    result = run_sweep(load_sweep(grid), tmp_path / "runs", processes=2)
    killer.join()
    lost = [o for o in result.outcomes if not o.ok]
    message = ("its job was lost on the local pool of 2 processes (a worker process of the local pool ended "
               "abruptly (killed, or out of memory))")
    assert lost and [(o.status, o.message, o.written) for o in lost] == [("ERROR", message, True)] * len(lost)
    for o in result.outcomes:
        run = json.loads((o.folder / "run.json").read_text())
        assert run["status"] == o.status
        if not o.ok:
            assert run["errors"] == [message]
            assert (o.folder / "error.txt").read_text() == f"scenario {o.name}: ERROR\n{message}\n"
    write_sweep_files(result, tmp_path / "runs")
    table = pd.read_csv(tmp_path / "runs" / "sweep.csv")
    assert table["scenario"].tolist() == NAMES
    assert table.set_index("scenario").loc[[o.name for o in lost], "status"].tolist() == ["ERROR"] * len(lost)
    assert table.set_index("scenario").loc[[o.name for o in lost], "cost_total"].isna().all()


def test_an_unreachable_cluster_is_one_line_and_nothing_is_written(tmp_path, monkeypatch):
    pytest.importorskip("distributed")
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        address = f"tcp://127.0.0.1:{s.getsockname()[1]}"
    monkeypatch.setattr("vastaff.executor.CONNECT_TIMEOUT", 1.0)
    grid = write_grid(tmp_path / "g.yaml", stipend_district(tmp_path / "data"))
    result = sweep_cli(grid, "--out", tmp_path / "runs", "--cluster", address)
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert result.stderr.splitlines()[0] == (f"--cluster: got '{address}', expected a Dask scheduler that answers "
                                             f"within 1 s (none did; start one with: dask scheduler)")
    assert not (tmp_path / "runs").exists()


def test_clashing_names_do_not_hide_the_values_out_of_bounds(tmp_path):
    """`grow: [1.0, -1, abc]` was one line about two scenarios named grow-1 (-1 lost its sign in the name), and the
    factor's bounds were never said; -1 is 'minus1' in a name now."""
    assert problems_of(tmp_path, labels={}, patches={
        "grow": {"kind": "scale", "table": "demand", "column": "students", "factor": "$value"}},
        vary={"grow": [1.0, 1, -1, "abc"]}) == [
        "key patches.grow.factor: got '-1', expected a number >= 0",
        "key patches.grow.factor: got 'abc', expected a number",
        "key vary: got 'grow-1', expected values that give each scenario its own name (two scenarios are called this; "
        "give the terms distinct values or labels)"]


def test_swept_values_their_columns_cannot_hold_are_said_with_the_terms_problems(tmp_path):
    """A swept `set` value and a swept where-value that fail their column's schema, and a contract term out of
    bounds: all three in one run, exit 2, nothing written (problems_of checks the exit and the empty OUT)."""
    assert problems_of(tmp_path, labels={}, patches={
        "consent": {"kind": "set", "table": "teachers", "where": {"teacher_id": "H1"},
                    "set": {"stipend_consent": "$value"}},
        "grow": {"kind": "scale", "table": "demand", "where": {"grade": "$value"}, "column": "students", "factor": 2}},
        vary={"consent": [True, "maybe"], "grow": [9, "Z"], "caseload_cap": [22, "many"]}) == [
        "key patches.consent.set.stipend_consent: got 'maybe', expected true or false",
        "key patches.grow.where.grade: got 'Z', expected a grade: UTK, TK, K or 1..12 (UTK=-2, TK=-1, K=0)",
        "key vary.caseload_cap: got 'many', expected a whole number (sets special_education.caseload_cap.value of "
        "va-2025-2027.yaml)"]
