"""The Python API of matrix-process what-ifs, used by `vastaff scenario` and notebooks/what_if.ipynb.

    from vastaff.scenario import load_scenario, run_scenarios, compare_runs
    scenarios = [load_scenario("scenarios/baseline.yaml"), load_scenario("scenarios/stipend-1500.yaml")]
    outcomes = run_scenarios(scenarios, "runs/", processes=2, time_limit=20)
    comparison = compare_runs([o.folder for o in outcomes])        # base: the run named baseline
    print(comparison.table()); comparison.plot("compare.png"); comparison.diff_to_csv("compare-who.csv")
    comparison.to_html("compare.html")                             # figure table, charts, who changes: one page

    sweep = load_sweep("scenarios/sweeps/sample-stipend-caseload.yaml")   # a grid of terms -> named scenarios
    result = run_sweep(sweep, "runs/sweep", time_limit=20)          # cluster="tcp://HOST:8786" to run them there
    print(result.table); result.cost_curves("curves.png"); write_sweep_files(result, "runs/sweep")
"""

from __future__ import annotations

from vastaff.scenario.compare import Comparison, RunData, compare_runs, load_run
from vastaff.scenario.failures import InfeasibleScenarioRun
from vastaff.scenario.figures import FIGURES, plan_figures
from vastaff.scenario.load import LoadedScenario, load_scenario, load_scenarios, scenario_from_dict
from vastaff.scenario.patches import PatchError, apply_patches, read_tables, write_tables
from vastaff.scenario.runner import RunOutcome, run_scenarios
from vastaff.scenario.schema import Scenario
from vastaff.scenario.sweep import Sweep, load_sweep
from vastaff.scenario.sweep_run import SweepResult, compare_sweep, run_sweep, write_sweep_files
from vastaff.schemas.run import ScenarioFailure, ScenarioRun, ScenarioStatus

__all__ = [
    "Comparison", "FIGURES", "InfeasibleScenarioRun", "LoadedScenario", "PatchError", "RunData", "RunOutcome",
    "Scenario", "ScenarioFailure", "ScenarioRun", "ScenarioStatus", "apply_patches", "compare_runs", "load_run",
    "load_scenario", "load_scenarios", "plan_figures", "read_tables", "run_scenarios", "scenario_from_dict",
    "write_tables",
    "Sweep", "SweepResult", "compare_sweep", "load_sweep", "run_sweep", "write_sweep_files",
]
