"""`vastaff scenario sweep --cluster` on a real Dask cluster: a scheduler and two worker processes on 127.0.0.1.

A worker killed while it runs a scenario loses nothing (Dask runs the scenario again), and the cluster's runs are the
local pool's byte for byte; `scenario run` takes the cluster from VASTAFF_CLUSTER too.
"""

from __future__ import annotations

import json
import os
import signal
import threading
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.scenario.conftest import STIPEND_COSTS
from vastaff.cli import app
from vastaff.scenario.sweep import load_sweep
from vastaff.scenario.sweep_run import FILES

distributed = pytest.importorskip("distributed")

pytestmark = pytest.mark.slow

NAMES = list(STIPEND_COSTS)
PLAN_FILES = ("sections.csv", "section_grades.csv", "teachers.csv", "iep_assignments.csv", "caseloads.csv")
TIMING = ("wall_seconds", "timing")


@pytest.fixture(scope="module")
def cluster():
    """Two single-threaded worker processes, one scenario each at a time (worker-saturation 1.0, as docs/scaling.md
    says to start a cluster); a scenario may lose its worker once (the second loss would lose the scenario)."""
    import dask

    config = {"distributed.scheduler.allowed-failures": 1, "distributed.scheduler.worker-saturation": 1.0}
    with dask.config.set(config):
        with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                      dashboard_address=None) as c:
            yield c


def same_runs(here: Path, there: Path, names: list[str] = NAMES, run_json: bool = True) -> None:
    """Each scenario's plan files equal byte for byte; run.json equal but for its wall-clock fields (`run_json`)."""
    for name in names:
        for file in PLAN_FILES:
            assert (here / name / file).read_bytes() == (there / name / file).read_bytes(), (name, file)
        if run_json:
            assert untimed(here / name / "run.json") == untimed(there / name / "run.json"), name


def untimed(run_json: Path) -> dict:
    run = json.loads(run_json.read_text())
    run["scenario"].pop("wall_seconds")
    return {k: v for k, v in run.items() if k not in TIMING}


def test_a_sweep_on_the_cluster_loses_no_scenario_to_a_killed_worker_and_matches_the_local_pool(
        cluster, stipend_sweep, tmp_path):
    """kill -9 of the worker process running a scenario (seen by the scheduler, its work folder already made): Dask
    runs that scenario again, the sweep completes and compares, and every run is the local pool's byte for byte."""
    out = tmp_path / "runs"
    with distributed.Client(cluster.scheduler_address, set_as_default=False) as watcher:
        killed: dict = {}
        thread = threading.Thread(target=kill_a_running_scenario, args=(watcher, out, killed), daemon=True)
        thread.start()
        result = CliRunner().invoke(app, ["scenario", "sweep", str(stipend_sweep["grid"]), "--out", str(out),
                                          "--cluster", cluster.scheduler_address])
        thread.join()
    assert killed.get("scenario") in NAMES, killed
    assert result.exit_code == 0, result.output
    assert sum(line.startswith("ok ") for line in result.stdout.splitlines()) == 4  # each as it finished
    assert sorted(p.name for p in out.iterdir()) == sorted(NAMES + list(FILES))  # no work folder of the killed try
    same_runs(stipend_sweep["out"], out)
    for file in ("sweep.csv", "compare.csv"):
        assert (out / file).read_bytes() == (stipend_sweep["out"] / file).read_bytes()


def kill_a_running_scenario(client, out: Path, killed: dict, within: float = 60.0) -> None:
    """SIGKILL the worker process of the first scenario seen running: on the scheduler's list of a worker, and with
    its work folder `.<name>.work-*` in `out` (the job has started; its run folder is not there yet)."""
    names = NAMES
    pids = client.run(os.getpid)
    end = time.time() + within
    while time.time() < end:
        for worker, keys in client.processing().items():
            for key in keys:
                name = names[int(str(key).rsplit("-", 1)[1])]
                if list(out.glob(f".{name}.work-*")) and not (out / name).exists():
                    os.kill(pids[worker], signal.SIGKILL)
                    killed.update(scenario=name, worker=worker)
                    return
        time.sleep(0.02)


def test_scenario_run_takes_the_cluster_from_the_environment(cluster, stipend_sweep, tmp_path, monkeypatch):
    """`scenario run` without --cluster: VASTAFF_CLUSTER's scheduler runs them (its workers' addresses are on the
    scheduler's log of the run); same runs as the local pool's."""
    sweep = load_sweep(stipend_sweep["grid"])
    files = []
    for point in sweep.points[:2]:  # two of the sweep's scenarios as files, as an analyst would have written them
        file = tmp_path / "sc" / f"{point.name}.yaml"
        file.parent.mkdir(exist_ok=True)
        file.write_text(json.dumps({**point.scenario.scenario.model_dump(mode="json", exclude_defaults=True),
                                    "data": str(point.scenario.data)}))
        files.append(str(file))
    monkeypatch.setenv("VASTAFF_CLUSTER", cluster.scheduler_address)
    with distributed.Client(cluster.scheduler_address, set_as_default=False) as watcher:
        before = set(watcher.run_on_scheduler(_job_keys))
        result = CliRunner().invoke(app, ["scenario", "run", *files, "--out", str(tmp_path / "runs")])
        ran = set(watcher.run_on_scheduler(_job_keys)) - before
    assert result.exit_code == 0, result.output
    assert len(ran) == 2  # the two jobs of the run, on the cluster
    same_runs(stipend_sweep["out"], tmp_path / "runs", NAMES[:2], run_json=False)  # run.json names its own scenario file


def _job_keys(dask_scheduler=None) -> list[str]:
    """On the scheduler: the keys of vastaff jobs it has heard of (its transition log)."""
    return [str(entry[0]) for entry in dask_scheduler.transition_log if str(entry[0]).startswith("vastaff-job-")]
