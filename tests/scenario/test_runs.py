"""Running scenarios on tiny districts and comparing them: zero differences with itself, a stipend raise moves only
the stipend line (by stipend courses x the raise), a closed site moves only its teachers, failures stay local.

Runs are shared by module fixtures (one `vastaff scenario run` of five scenarios, one second run) to keep the
module fast on a loaded machine.
"""

from __future__ import annotations

import json

import pandas as pd
import pytest
from typer.testing import CliRunner

from tests.conftest import tiny_tables, write_tables
from tests.scenario.conftest import ROOT, stipend_district, write_scenario
from vastaff.cli import app
from vastaff.contract import load_contract
from vastaff.errors import InputError
from vastaff.nightly.sections import GREEDY_LIMIT
from vastaff.scenario import ScenarioRun, compare_runs, load_scenario, run_scenarios

CLOSE_S2 = {"kind": "set", "table": "sites", "where": {"site_id": "S2"}, "set": {"status": "temporarily_closed"}}


def run_cli(*args) -> object:
    return CliRunner().invoke(app, ["scenario", *map(str, args)])


def nonzero(deltas: pd.Series) -> dict:
    return {k: v for k, v in deltas.items() if v not in (None, 0, 0.0) and not pd.isna(v)}


def no_request_tables() -> dict:
    """The tiny district without site requests, so that nobody's place depends on a request (A24)."""
    tables = tiny_tables()
    for t in tables["teachers"]:
        t["requested_site_ids"] = ""
    return tables


@pytest.fixture(scope="module")
def tiny(tmp_path_factory) -> dict:
    """One CLI run of five scenarios on the tiny district (three succeed, two fail), then a second run of `base`
    into another folder plus a scenario that reads the first run as last night's plan."""
    root = tmp_path_factory.mktemp("tiny_runs")
    data = write_tables(root / "data", no_request_tables())
    sc = root / "sc"
    files = {
        "base": write_scenario(sc, "base", data),
        "more": write_scenario(sc, "more", data, patches=[
            {"kind": "scale", "table": "demand", "where": {"course_id": "MA-ALG1"}, "column": "students", "factor": 2}]),
        "closed": write_scenario(sc, "closed", data, patches=[CLOSE_S2]),
        "nomatch": write_scenario(sc, "nomatch", data, patches=[
            {"kind": "set", "table": "sites", "where": {"site_id": "S9"}, "set": {"status": "closed"}}]),
        "invalid": write_scenario(sc, "invalid", data, patches=[
            {"kind": "set", "table": "teachers", "where": {"teacher_id": "E2"}, "set": {"current_site_id": "S9"}}]),
        "follow": write_scenario(sc, "follow", data, previous="../first/base"),
    }
    first = root / "first"
    cli = run_cli("run", *[files[n] for n in ("base", "more", "closed", "nomatch", "invalid")], "--out", first,
                  "--processes", 2)
    second = run_scenarios([files["base"], files["follow"]], root / "second", processes=2)
    return {"root": root, "data": data, "files": files, "first": first, "cli": cli, "second": second}


def test_a_scenario_compared_with_itself_shows_no_difference(tiny):
    """Two independent runs of one scenario (same data, model, seed): every figure equal, no teacher changes;
    control: twice the Algebra 1 students (30 -> 60) is one more section (A8.1 4-12 mean 25)."""
    first, second = tiny["first"], tiny["root"] / "second"
    assert [o.status for o in tiny["second"]] == ["OPTIMAL", "OPTIMAL"]
    cmp = compare_runs([first / "base", second / "base", first / "more"])
    assert cmp.names == ["base", "base#2", "more"] and cmp.base == "base"
    assert nonzero(cmp.deltas["base#2"]) == {}
    assert cmp.figures["base"].tolist() == cmp.figures["base#2"].tolist()
    assert cmp.teacher_diff[cmp.teacher_diff["scenario"] == "base#2"].empty
    # hand-computed: 40 grade-1 students, K-3 mean <= 22 and one homeroom per elementary teacher (E1, E2)
    assert (cmp.figures.at["sections_K-3", "base"], cmp.figures.at["mean_K-3", "base"]) == (2, 20.0)
    assert nonzero(cmp.deltas["more"])["sections"] == 1
    for file in ("sections.csv", "section_grades.csv", "teachers.csv", "iep_assignments.csv", "caseloads.csv"):
        assert (first / "base" / file).read_bytes() == (second / "base" / file).read_bytes()


def test_a_stipend_raise_changes_only_the_stipend_line_by_courses_times_raise(tmp_path):
    """10 courses for one consenting teacher: 2 stipend courses (A6.3). $1,200 -> $1,500 costs 2 x $300 = $600
    more, and nothing else of the plan changes. Control: the shipped 7-course-cap model makes it 3 stipend courses."""
    data = stipend_district(tmp_path / "data")
    base = write_scenario(tmp_path / "sc", "base", data)
    raise_ = write_scenario(tmp_path / "sc", "raise", data, model_overrides={"stipend_per_course": 1500})
    cap7 = write_scenario(tmp_path / "sc", "cap7", data,
                          model=str(ROOT / "models" / "va-hypothetical-seven-course-cap.yaml"))
    outcomes = run_scenarios([base, raise_, cap7], tmp_path / "runs", processes=2)
    assert [o.status for o in outcomes] == ["OPTIMAL"] * 3
    cmp = compare_runs(tmp_path / "runs")
    f = cmp.figures
    assert f.at["stipend_courses", "base"] == 2 and f.at["cost_stipend", "base"] == 2400.0
    assert f.at["cost_stipend", "raise"] == 3000.0
    assert nonzero(cmp.deltas["raise"]) == {"cost_total": 600.0, "cost_stipend": 600.0}
    assert nonzero(cmp.deltas["cap7"]) == {"cost_total": 1200.0, "cost_stipend": 1200.0, "stipend_courses": 1,
                                           "teachers_changed": 1}
    assert cmp.teacher_diff[["scenario", "what", "before", "after"]].values.tolist() == [
        ["cap7", "stipend_courses", "2", "3"]]
    for file in ("sections.csv", "section_grades.csv"):
        assert (tmp_path / "runs" / "base" / file).read_bytes() == (tmp_path / "runs" / "raise" / file).read_bytes()
    teachers = [pd.read_csv(tmp_path / "runs" / n / "teachers.csv") for n in ("base", "raise")]
    assert teachers[1]["stipend_cost"].tolist() == [3000.0]
    pd.testing.assert_frame_equal(teachers[0].drop(columns="stipend_cost"), teachers[1].drop(columns="stipend_cost"))
    run = json.loads((tmp_path / "runs" / "raise" / "run.json").read_text())
    assert run["contract_model"] == "va-2025-2027+raise" and run["scenario"]["hypothetical"] is True
    effective = load_contract(tmp_path / "runs" / "raise" / "model.yaml")  # re-check with: vastaff check --model
    assert effective.stipend_per_course == 1500 and effective.hypothetical


def test_a_closed_site_moves_exactly_its_teachers(tiny):
    """A25: S2 is temporarily closed. Its only teacher H2 chose `site`, so H2 goes to the open site S1, which has a
    free shared-room place; E1 and H1 (at S1) and the home workers do not move. (No requests in this district: with
    requests, a closure legitimately moves others too, as seniority re-ranks who gets which site.)"""
    first = tiny["first"]
    placed = pd.read_csv(first / "base" / "teachers.csv").set_index("teacher_id")["site_id"]
    assert placed.fillna("home").to_dict() == {"E1": "S1", "E2": "home", "H1": "S1", "H2": "S2", "R1T": "home"}
    diff = compare_runs([first / "base", first / "closed"]).teacher_diff
    moved = diff[diff["what"].isin(["work_location", "site"])]
    teachers = pd.DataFrame(no_request_tables()["teachers"])
    at_s2 = set(teachers.loc[teachers["current_site_id"] == "S2", "teacher_id"])
    assert set(moved["teacher_id"]) == at_s2 == {"H2"}
    assert moved[["what", "before", "after", "summary"]].values.tolist() == [["site", "S2", "S1", "site S2 -> S1"]]


def test_failing_scenarios_are_reported_and_do_not_stop_the_others(tiny):
    out, result = tiny["first"], tiny["cli"]
    assert result.exit_code == 1
    for name in ("base", "more", "closed"):
        assert json.loads((out / name / "run.json").read_text())["status"] == "OPTIMAL"
        assert not (out / name / "error.txt").exists()
    assert (out / "nomatch" / "error.txt").read_text() == (
        "scenario nomatch: INVALID_INPUT\npatch 0 (set sites): no row of sites.csv matches where site_id=S9 "
        "(set allow_empty: true if that is expected)\n")
    assert (out / "invalid" / "error.txt").read_text() == (
        "scenario invalid: INVALID_INPUT\nthe patched data is invalid (1 problem(s)):\n"
        "teachers.csv, row 3, column current_site_id: got 'S9', expected a site_id listed in sites.csv, or blank\n")
    assert json.loads((out / "invalid" / "run.json").read_text())["status"] == "INVALID_INPUT"
    assert (out / "invalid" / "input" / "teachers.csv").is_file()  # the patched data, to look at
    failed = sorted(line.split(":")[0] for line in result.stderr.splitlines() if line.startswith("FAILED"))
    assert failed == ["FAILED  invalid", "FAILED  nomatch"]
    assert result.stderr.splitlines()[-1] == f"3 of 5 scenario(s) succeeded -> {out}; failed: nomatch, invalid"
    assert sorted(line.split(":")[0] for line in result.stdout.splitlines() if line.startswith("ok")) == [
        "ok      base", "ok      closed", "ok      more"]
    assert "Traceback" not in result.stdout + result.stderr
    cmp = run_cli("compare", out, "--base", "base")
    assert cmp.exit_code == 0 and "INVALID_INPUT" in cmp.stdout


def test_against_a_base_with_no_plan_who_changes_cannot_be_known(tiny):
    """`invalid` made no plan: compared as the base, every run's teachers affected is unknown (`-`, not 0), and
    the console says why instead of "No teacher changes"."""
    out = tiny["first"]
    cmp = compare_runs([out / "invalid", out / "base", out / "more"])
    assert cmp.figures.loc["teachers_changed"].tolist() == [None, None, None]
    result = run_cli("compare", out / "invalid", out / "base")
    assert result.exit_code == 0 and result.stdout.splitlines()[-1] == (
        "Who changes cannot be known: the base run invalid made no plan (INVALID_INPUT).")
    assert compare_runs([out / "base", out / "more"]).figures.loc["teachers_changed"].tolist()[0] == 0


def test_previous_plan_is_last_nights_plan_of_the_scenario(tiny):
    """`previous:` (relative to the scenario file) feeds A12 and stability, and travels with the run's input/."""
    (_, follow) = tiny["second"]
    assert follow.ok
    run = json.loads((follow.folder / "run.json").read_text())
    assert run["scenario"]["previous"] == "../first/base"
    assert run["changes_vs_previous"] is not None and run["costs"]["xtime"] == 0.0  # same plan again: no new course
    copied = follow.folder / "input" / "previous" / "sections.csv"
    assert copied.read_bytes() == (tiny["first"] / "base" / "sections.csv").read_bytes()
    missing = write_scenario(tiny["root"] / "sc", "missing", tiny["data"], previous="../nowhere")
    with pytest.raises(InputError) as err:
        load_scenario(missing)
    assert str(err.value) == (f"{missing}, key previous: got '../nowhere', expected a plan folder, relative to the "
                              f"scenario file's folder (not found: {tiny['root'] / 'nowhere'})")


def nine_courses(folder):
    """One math teacher without stipend consent and 9 one-section courses: one course is a vacancy (A6.3, 8 at
    most), so the plan is INFEASIBLE under solve.strict (vastaff solve --strict)."""
    from tests.solve.builders import course, demand, secondary, teacher

    return secondary(folder, [teacher("H1", "math")], [course(f"MA{i}", "math") for i in range(9)],
                     [demand(f"MA{i}", 9, 10) for i in range(9)], periods=6)


def test_an_infeasible_scenario_writes_its_conflicts(tmp_path):
    """solve.strict (vastaff solve --strict): no stipend consent and 9 courses for one teacher cannot all be staffed."""
    data = nine_courses(tmp_path / "d")
    path = write_scenario(tmp_path / "sc", "strict", data, solve={"time_limit": 10, "strict": True})
    (outcome,) = run_scenarios([path], tmp_path / "runs")
    assert (outcome.ok, outcome.status) == (False, "INFEASIBLE")
    run = json.loads((tmp_path / "runs" / "strict" / "run.json").read_text())
    assert run["status"] == "INFEASIBLE" and run["conflicts"] and run["scenario"]["name"] == "strict"
    error = (tmp_path / "runs" / "strict" / "error.txt").read_text().splitlines()
    assert error[:2] == ["scenario strict: INFEASIBLE", f"INFEASIBLE: {len(run['conflicts'])} conflict(s)"]
    assert any("A6.3" in line for line in error[2:]) and GREEDY_LIMIT not in error
    greedy = write_scenario(tmp_path / "sc", "fill", data, solve={"time_limit": 10, "strict": True, "method": "greedy"})
    run_scenarios([greedy], tmp_path / "runs")
    assert (tmp_path / "runs" / "fill" / "error.txt").read_text().splitlines()[-1] == GREEDY_LIMIT


def test_an_infeasible_scenario_has_no_cost_and_compares_as_infeasible(tmp_path):
    """Its run.json kept the cost of what did solve ($0 here: a real total in a district of many schools) and compare
    showed `-`, read as unknown: now the money is null and every figure of it says `infeasible`, with no change."""
    from vastaff.scenario.failures import NO_MONEY, InfeasibleScenarioRun

    data = nine_courses(tmp_path / "d")
    files = [write_scenario(tmp_path / "sc", "baseline", data),
             write_scenario(tmp_path / "sc", "strict", data, solve={"time_limit": 10, "strict": True})]
    assert run_cli("run", *files, "--out", tmp_path / "runs").exit_code == 1
    text = (tmp_path / "runs" / "strict" / "run.json").read_text()
    run = json.loads(text)
    assert (run["status"], {key: run[key] for key in NO_MONEY}) == ("INFEASIBLE", dict.fromkeys(NO_MONEY))
    assert run["conflicts"][0]["rules"] == ["DEMAND", "A6.3", "A8.1", "CRED"] and run["errors"][0] == (
        "INFEASIBLE: 1 conflict(s)")
    assert InfeasibleScenarioRun.model_validate_json(text).dump() == run
    assert list(run) == [key for key in ScenarioRun.model_fields if key in run]  # a solved scenario's key order
    cmp = compare_runs(tmp_path / "runs")
    assert cmp.figures["strict"].to_dict() == {key: "infeasible" for key in cmp.figures.index} | {
        "status": "INFEASIBLE"}
    assert cmp.deltas["strict"].isna().all()
    result = run_cli("compare", tmp_path / "runs", "--csv", tmp_path / "c.csv", "--html", tmp_path / "c.html")
    assert result.exit_code == 0
    lines = {line.split("  ")[0]: line.split() for line in result.stdout.splitlines()}
    assert lines["total cost"][-2:] == ["$0", "infeasible"] and lines["sections"][-2:] == ["9", "infeasible"]
    assert lines["teachers affected vs base (per-teacher list)"][-2:] == ["0", "infeasible"]
    table = pd.read_csv(tmp_path / "c.csv", dtype=str, keep_default_na=False).set_index("figure")
    assert table.loc["cost_total"].tolist() == ["total cost", "0.0", "infeasible", ""]


def test_a_matrix_csv_of_no_row_is_none_of_no_choice_not_unknown(tiny_data, tmp_path):
    """Nobody ranked a choice (matrix.csv has its header only): 0 teachers, 0 first choices, 0 without — it showed
    `-`, which says the figure is not known; without a matrix.csv it is still `-`, and the seniority figure (the most
    senior of nobody) is `-` in both."""
    header = tmp_path / "matrix.csv"
    header.write_text("teacher_id,rank,grade,course_id,level\n")
    files = [write_scenario(tmp_path / "sc", "baseline", tiny_data),
             write_scenario(tmp_path / "sc", "listed", tiny_data, tables={"matrix": str(header)})]
    assert run_cli("run", *files, "--out", tmp_path / "runs").exit_code == 0
    keys = ["matrix_teachers", "matrix_first_choice", "matrix_none_granted", "matrix_senior_without"]
    cmp = compare_runs(tmp_path / "runs")
    assert cmp.figures.loc[keys].to_dict("list") == {"baseline": [None] * 4, "listed": [0, 0, 0, None]}
    lines = run_cli("compare", tmp_path / "runs").stdout.splitlines()
    assert [line.split()[-2:] for line in lines if "granted their first choice" in line] == [["-", "0"]]


def test_an_invalid_scenario_file_exits_2_and_runs_nothing(tiny_data, tmp_path):
    good = write_scenario(tmp_path / "sc", "good", tiny_data)
    bad = write_scenario(tmp_path / "sc", "bad", tiny_data, patches=[{"kind": "rename", "table": "sites"}])
    result = run_cli("run", good, bad, "--out", tmp_path / "runs")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"{bad}, key patches.0.kind: got 'rename', expected a patch kind: one of set, scale, add, drop",
        "1 input problem(s); nothing was written."]
    assert not (tmp_path / "runs").exists()


def test_two_scenarios_with_one_name_are_an_input_error(tiny_data, tmp_path):
    a = write_scenario(tmp_path / "a", "same", tiny_data)
    b = write_scenario(tmp_path / "b", "same", tiny_data)
    result = run_cli("run", a, b, "--out", tmp_path / "runs")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == (
        f"{b}, key name: got 'same', expected a name no other scenario of this run has (also in {a})")


def test_a_name_shared_with_an_invalid_scenario_file_is_said_in_the_same_run(tiny_data, tmp_path):
    """Only the invalid file's problems were said; the shared name came on the next run, once both files loaded."""
    good = write_scenario(tmp_path / "a", "same", tiny_data)
    bad = write_scenario(tmp_path / "b", "same", tiny_data, patches=[{"kind": "rename", "table": "sites"}])
    kind = "key patches.0.kind: got 'rename', expected a patch kind: one of set, scale, add, drop"
    for first, second in ((good, bad), (bad, good)):
        result = run_cli("run", first, second, "--out", tmp_path / "runs")
        assert result.exit_code == 2 and not (tmp_path / "runs").exists()
        assert result.stderr.splitlines() == [
            f"{second}, key name: got 'same', expected a name no other scenario of this run has (also in {first})",
            f"{bad}, {kind}", "2 input problem(s); nothing was written."]


def test_a_rerun_replaces_the_folder_and_leaves_no_work_folders(tiny):
    out = tiny["root"] / "second"
    (out / "base" / "teachers.csv").write_text("old")  # a file of the run's own, from before
    run_scenarios([load_scenario(tiny["files"]["base"])], out, time_limit=5)
    assert (out / "base" / "teachers.csv").read_text() != "old"
    assert json.loads((out / "base" / "run.json").read_text())["scenario"]["solve"]["time_limit"] == 5
    assert sorted(p.name for p in out.iterdir()) == ["base", "follow"]


def test_compare_names_a_folder_that_is_not_a_run(tmp_path):
    result = run_cli("compare", tmp_path / "nothing")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == (
        f"{tmp_path / 'nothing'}: expected a run folder with run.json (from vastaff scenario run or vastaff solve), "
        "or a folder of them")
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / "run.json").write_text("{oops")
    result = run_cli("compare", tmp_path / "broken")
    assert result.exit_code == 2 and "Traceback" not in result.stdout + result.stderr
    assert result.stderr.splitlines()[0].startswith(f"{tmp_path / 'broken' / 'run.json'}: expected valid JSON (")


def test_a_run_folder_of_vastaff_solve_compares_too(tiny, tmp_path):
    """A plain plan folder (no scenario block, no figures in run.json) is labelled by its folder name and its
    figures come from its tables."""
    plan = tmp_path / "tonight"
    result = CliRunner().invoke(app, ["solve", str(tiny["data"]), "--out", str(plan), "--time-limit", "5",
                                      "--processes", "1"])
    assert result.exit_code == 0, result.stderr
    cmp = compare_runs([tiny["first"] / "base", plan])
    assert cmp.names == ["base", "tonight"]
    assert cmp.figures.at["sections", "tonight"] == cmp.figures.at["sections", "base"]
    assert cmp.figures.at["cost_total", "tonight"] == 0.0 and cmp.figures.at["mean_K-3", "tonight"] is None
    assert cmp.teacher_diff.empty


def test_a_scenario_can_add_locks(tmp_path):
    """A what-if "H1 never teaches ALG" as an `add` patch on locks.csv: the run holds it (H2 teaches ALG), the
    baseline without it gives ALG to whoever the optimizer prefers."""
    from tests.solve.builders import course, demand, secondary, teacher

    data = secondary(tmp_path / "d", [teacher("H1", "math"), teacher("H2", "math")], [course("ALG", "math")],
                     [demand("ALG", 9, 25)])
    lock = {"lock_id": "L1", "teacher_id": "H1", "mode": "forbid", "course_id": "ALG", "semester": "",
            "period_id": "", "site_id": "", "room_id": "", "meeting_id": "", "reason": "what-if"}
    path = write_scenario(tmp_path / "sc", "no-alg-for-h1", data,
                          patches=[{"kind": "add", "table": "locks", "rows": [lock]}])
    (outcome,) = run_scenarios([path], tmp_path / "runs")
    assert outcome.ok
    sections = (tmp_path / "runs" / "no-alg-for-h1" / "sections.csv").read_text().splitlines()
    assert [line.split(",")[5] for line in sections[1:]] == ["H2"]


def test_compare_refuses_two_outputs_in_one_file_and_a_file_of_another_kind(tiny, tmp_path):
    """A probe written from the documentation alone: `--png sc/base.yaml` replaced the scenario file with a PNG, and
    `--csv X --diff X` wrote one over the other (exit 0); each is now refused before anything is written (exit 2)."""
    scenario = tiny["files"]["base"]
    before = scenario.read_bytes()
    result = run_cli("compare", tiny["first"], "--png", scenario)
    assert result.exit_code == 2 and "not a .png file" in result.stderr and scenario.read_bytes() == before
    same = tmp_path / "x.csv"
    result = run_cli("compare", tiny["first"], "--csv", same, "--diff", same)
    assert result.exit_code == 2 and "--csv and --diff name the same file" in result.stderr
    assert not same.exists()


def test_a_run_made_after_another_is_checked_against_its_own_copy_of_it(tmp_path):
    """A scenario run with `previous:` is re-checked (`vastaff check RUNS/<name>/input RUNS/<name>`) against
    input/previous/, the plan it was solved against, even when the folder run.json names holds another plan by now
    (that run re-run); control: that newer plan given with --previous owes H1 and H2 X-time the run never paid."""
    data = write_tables(tmp_path / "data", tiny_tables())
    run_scenarios([write_scenario(tmp_path / "sc", "base", data)], tmp_path / "first")
    run_scenarios([write_scenario(tmp_path / "sc", "follow", data, previous="../first/base")], tmp_path / "second")
    live, run = tmp_path / "first" / "base" / "sections.csv", tmp_path / "second" / "follow"
    swapped = {"H1": "H2", "H2": "H1"}
    lines = [",".join(swapped.get(cell, cell) for cell in line.split(",")) for line in live.read_text().splitlines()]
    live.write_text("\n".join(lines) + "\n")
    check = CliRunner().invoke(app, ["check", str(run / "input"), str(run)])
    assert check.exit_code == 0, check.output
    newer = CliRunner().invoke(app, ["check", str(run / "input"), str(run), "--previous", str(live.parent)])
    assert newer.exit_code == 1 and "A12" in newer.output


def test_displace_true_without_positions_says_so_before_solving(tmp_path):
    """`displace: true` on data without positions.csv: one line about the scenario's own key, not about the
    `--cut` option of `vastaff displace`, which a scenario file cannot give."""
    tables = tiny_tables()
    del tables["positions"]
    data = write_tables(tmp_path / "data", tables)
    (outcome,) = run_scenarios([write_scenario(tmp_path / "sc", "np", data, displace=True)], tmp_path / "runs")
    assert (outcome.ok, outcome.status) == (False, "INVALID_INPUT")
    assert (tmp_path / "runs" / "np" / "error.txt").read_text().splitlines()[1] == (
        "the displacement cannot run: the data has no positions.csv (`displace: true` needs it, or an `add` patch of "
        "table positions)")
    assert not (tmp_path / "runs" / "np" / "sections.csv").exists()


def test_a_failure_line_counts_the_lines_left_in_error_txt_apart_from_its_own_list():
    """'... T00017, T00065, T00078 (+2 more)' read as two more specialists; it meant two more conflicts."""
    from vastaff.scenario.failures import first_lines as _first_lines

    lines = ["INFEASIBLE: 3 conflict(s)", "A7.3: 3 resource specialists cover them (cap 5 each): T1, T2, T3", "b", "c"]
    assert _first_lines(lines) == ("INFEASIBLE: 3 conflict(s): A7.3: 3 resource specialists cover them (cap 5 each): "
                                   "T1, T2, T3 (and 2 more in error.txt)")
    assert _first_lines(lines[:2]) == "INFEASIBLE: 3 conflict(s): " + lines[1]
