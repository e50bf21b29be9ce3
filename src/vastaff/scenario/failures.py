"""A scenario that ends without a plan: its run folder holds run.json with its status and `errors`, and error.txt.

`ScenarioFailed` carries the status, one line per problem and, for a scenario that solved but found no plan
(INFEASIBLE), its run record; `write_failure` writes the run folder of it (scenario/runner.py makes the folder
replace `RUNS/<name>/`, or writes its error.txt beside the last good run). An INFEASIBLE scenario's run.json is
`InfeasibleScenarioRun`: the solver's record of the attempt with its conflicts, and no money (NO_MONEY null).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from pydantic import Field

from vastaff.io.plan import write_run
from vastaff.schemas.run import ScenarioAsked, ScenarioFailure, ScenarioRun, ScenarioStatus

NO_MONEY = ("objective", "best_bound", "gap", "costs")
"""run.json's figures of a plan's money: null for a scenario that found no plan (they held the cost of the schools
that did solve, which read as the scenario's price)."""
NO_PLAN_NO_COST = "null: the scenario found no plan (INFEASIBLE), so it has no cost"


class InfeasibleScenarioRun(ScenarioRun):
    """run.json of an INFEASIBLE scenario: the solver's record of the attempt (schools, stages, `conflicts`) and the
    scenario's `errors`, in ScenarioRun's key order — with NO_MONEY null: a plan that does not exist costs nothing,
    and a partial total must not read as the scenario's price (`scenario compare` shows `infeasible`)."""

    objective: None = Field(default=None, description=NO_PLAN_NO_COST)
    best_bound: None = Field(default=None, description=NO_PLAN_NO_COST)
    gap: None = Field(default=None, description=NO_PLAN_NO_COST)
    costs: None = Field(default=None, description=NO_PLAN_NO_COST)


class ScenarioFailed(Exception):
    """A scenario that ends without a plan: its status, one line per problem, and its run record when it solved."""

    def __init__(self, status: ScenarioStatus, lines: list[str], run: ScenarioRun | None = None):
        super().__init__("\n".join(lines))
        self.status, self.lines, self.run = status, lines, run


def write_failure(work: Path, plain: dict, failed: ScenarioFailed, seconds: float) -> None:
    """run.json with the status and the reasons, error.txt with one line per problem (and input/ if written)."""
    plan_dir = work / "plan"
    shutil.rmtree(plan_dir, ignore_errors=True)
    plan_dir.mkdir(parents=True)
    if (work / "input").exists():
        shutil.move(str(work / "input"), str(plan_dir / "input"))
    write_run(plan_dir, failure_record(plain, failed, seconds))
    s = plain["scenario"]
    (plan_dir / "error.txt").write_text(f"scenario {s['name']}: {failed.status}\n" + "\n".join(failed.lines) + "\n",
                                        encoding="utf-8")


def failure_record(plain: dict, failed: ScenarioFailed, seconds: float) -> ScenarioRun | ScenarioFailure:
    """The failed scenario's run record: its run with the errors and no money when it solved (INFEASIBLE), else
    what was asked. An ERROR's record holds the exception only; its traceback goes to error.txt."""
    errors = failed.lines if failed.status != ScenarioStatus.ERROR else failed.lines[:1]
    wall_seconds = round(seconds, 3)
    if failed.run is not None:
        return InfeasibleScenarioRun.model_validate(failed.run.model_dump() | dict.fromkeys(NO_MONEY)
                                                    | {"wall_seconds": wall_seconds, "errors": errors})
    s = plain["scenario"]
    asked = ScenarioAsked(name=s["name"], description=s["description"], file=plain["file"], data=s["data"],
                          model=s["model"])
    return ScenarioFailure(status=failed.status, wall_seconds=wall_seconds, errors=errors, scenario=asked)


def first_lines(lines: list[str]) -> str:
    """The console's line of a failure: its headline and first problem, not the headline alone."""
    more = f" (and {len(lines) - 2} more in error.txt)" if len(lines) > 2 else ""
    return lines[0] if len(lines) == 1 else f"{lines[0].rstrip(':')}: {lines[1]}{more}"
