"""vastaff.executor on a real Dask cluster: a scheduler and two worker processes on 127.0.0.1, started here.

The cluster's plan is the local pool's byte for byte; a job whose worker is killed runs again; a job lost for good
comes back as lost (and a lost school keeps its construction, with a warning); the run's stop reaches the workers; an
unreachable scheduler is one line.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import threading
import time
from dataclasses import replace
from pathlib import Path

import pytest

distributed = pytest.importorskip("distributed")

from tests.pool_workers import kill_first_pool_worker  # noqa: E402
from vastaff.contract import load_contract  # noqa: E402
from vastaff.errors import InputError  # noqa: E402
from vastaff.executor import Job, cluster_address, dask_executor, local_executor  # noqa: E402
from vastaff.interrupt import interruptible, request_stop, stop_requested  # noqa: E402
from vastaff.io.district import load_district  # noqa: E402
from vastaff.io.plan import write_plan  # noqa: E402
from vastaff.nightly import solve_nightly  # noqa: E402
from vastaff.nightly.sections import SolveSettings, plan_sections  # noqa: E402

pytestmark = pytest.mark.slow

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample"
TIMING = ("wall_seconds", "timing")
"""run.json's wall-clock fields: the only ones allowed to differ between two runs of the same input."""


@pytest.fixture(scope="module")
def cluster():
    """Two single-threaded worker processes; a worker may die once per job (the second death loses the job)."""
    import dask

    with dask.config.set({"distributed.scheduler.allowed-failures": 1}):
        with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                      dashboard_address=None) as c:
            yield c


@pytest.fixture(scope="module")
def sample():
    contract = load_contract()
    return load_district(SAMPLE, contract), contract


def die_once(marker: str) -> int:
    """Kill this worker process the first time (leaving `marker`), then answer with the pid of the one that ran."""
    if not os.path.exists(marker):
        Path(marker).write_text(str(os.getpid()))
        os.kill(os.getpid(), signal.SIGKILL)
    return os.getpid()


def die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def wait_for_stop(started: str, seconds: float) -> str:
    """What a CP-SAT search does on a worker: watch the run's stop (vastaff.interrupt) until it comes."""
    Path(started).touch()
    end = time.time() + seconds
    while time.time() < end:
        if stop_requested():
            return "stopped"
        time.sleep(0.05)
    return "never stopped"


def _stop_once(started: Path) -> None:
    """The first Ctrl-C, once the job is running on its worker."""
    while not started.exists():
        time.sleep(0.05)
    request_stop()


def test_the_cluster_plan_is_the_local_pool_plan_byte_for_byte(cluster, sample, tmp_path):
    district, contract = sample
    settings = SolveSettings(time_limit=60.0, processes=2)  # the sample ends on proofs, far from its wall deadlines
    local = solve_nightly(district, contract, settings)
    heard = []
    remote = solve_nightly(district, contract, replace(settings, cluster=cluster.scheduler_address),
                           on_school=lambda s: heard.append(s.school_id))
    assert sorted(heard) == sorted(district.schools.school_id)  # progress as each school's job finishes
    write_plan(tmp_path / "local", local.tables, local.summary)
    write_plan(tmp_path / "cluster", remote.tables, remote.summary)
    csvs = sorted(p.name for p in (tmp_path / "local").glob("*.csv"))
    assert csvs == ["caseloads.csv", "iep_assignments.csv", "section_grades.csv", "sections.csv", "teachers.csv"]
    for name in csvs:
        assert (tmp_path / "cluster" / name).read_bytes() == (tmp_path / "local" / name).read_bytes(), name
    here, there = ({k: v for k, v in json.loads((tmp_path / kind / "run.json").read_text()).items() if k not in TIMING}
                   for kind in ("local", "cluster"))
    assert here == there
    assert {s["status"] for s in there["schools"].values()} == {"OPTIMAL"}  # no school fell back


def test_a_job_whose_worker_is_killed_runs_again_and_its_result_arrives(cluster, tmp_path):
    marker = tmp_path / "first-try"
    with dask_executor(cluster.scheduler_address) as executor:
        [done] = executor.run([Job("dies-once", die_once, (str(marker),))])
    killed = int(marker.read_text())
    assert done.key == "dies-once" and done.lost is None
    assert done.result != killed  # the answer came from another worker process than the killed one
    assert done.worker.startswith("tcp://127.0.0.1:") and done.seconds >= 0


def test_a_job_whose_worker_dies_on_every_try_comes_back_lost(cluster):
    """Alone: Dask counts a worker's death against every job it held, so a job queued beside it could be lost too."""
    with dask_executor(cluster.scheduler_address) as executor:
        [done] = executor.run([Job("always-dies", die)])
    assert done.key == "always-dies" and done.result is None
    assert done.lost.startswith("its worker died on each of its 2 tries, the last on tcp://127.0.0.1:")


def test_the_runs_stop_reaches_a_job_running_on_the_cluster(cluster, tmp_path):
    started = tmp_path / "started"
    with dask_executor(cluster.scheduler_address) as executor, interruptible():
        threading.Thread(target=_stop_once, args=(started,), daemon=True).start()
        [done] = executor.run([Job("waits", wait_for_stop, (str(started), 60.0))])
    assert (done.key, done.result) == ("waits", "stopped")
    assert done.seconds < 30


def test_a_local_worker_that_dies_loses_its_school_which_keeps_its_construction(sample, capfd):
    """A real kill -9 of a local pool worker mid-run: the schools it broke keep the clerk's fill, with a warning."""
    district, contract = sample
    parent = os.getpid()
    killer = threading.Thread(target=kill_first_pool_worker, args=(parent,), daemon=True)
    killer.start()
    plan = plan_sections(district, contract, SolveSettings(time_limit=60.0, processes=2))
    killer.join()
    lost = {sid for sid, s in plan.schools.items() if s.status == "GREEDY"}
    assert lost and len(plan.jobs.warnings) == len(lost)
    for warning in plan.jobs.warnings:
        assert warning.startswith("school VA0") and warning.endswith(
            "on the local pool of 2 processes (a worker process of the local pool ended abruptly (killed, or out "
            "of memory)); the school keeps the clerk's fill (status GREEDY)")
    assert set(plan.schools) == set(plan.sections.school_id) == set(district.schools.school_id)  # no gap
    assert set(plan.jobs.ran) == set(plan.schools) - lost  # the others ran to the end, in the pool
    err = capfd.readouterr().err
    assert all(f"vastaff: warning: {w}" in err for w in plan.jobs.warnings)


def test_a_local_pool_reports_a_dead_worker_as_a_lost_job():
    with local_executor(2) as executor:
        done = {d.key: d for d in executor.run([Job("dies", die), Job("other", os.getpid)])}
    assert done["dies"].lost == "a worker process of the local pool ended abruptly (killed, or out of memory)"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_an_unreachable_scheduler_is_one_line_naming_where_the_address_came_from(sample, monkeypatch):
    address = f"tcp://127.0.0.1:{_free_port()}"
    monkeypatch.setenv("VASTAFF_CLUSTER", address)
    monkeypatch.setattr("vastaff.executor.CONNECT_TIMEOUT", 1.0)
    district, contract = sample
    with pytest.raises(InputError) as caught:
        solve_nightly(district, contract, SolveSettings(cluster=cluster_address(None)))
    assert str(caught.value) == (f"VASTAFF_CLUSTER: got '{address}', expected a Dask scheduler that answers within "
                                 f"1 s (none did; start one with: dask scheduler)")


def test_the_cluster_option_wins_over_the_environment_and_blank_means_the_local_pool(monkeypatch):
    monkeypatch.setenv("VASTAFF_CLUSTER", "tcp://10.0.0.9:8786")
    assert cluster_address("tcp://127.0.0.1:8786") == "tcp://127.0.0.1:8786"
    assert cluster_address(None) == "tcp://10.0.0.9:8786"
    monkeypatch.setenv("VASTAFF_CLUSTER", "  ")
    assert cluster_address(None) is None
    with pytest.raises(InputError) as caught:
        dask_executor("no-port-here", timeout=1.0)
    assert str(caught.value) == ("--cluster: got 'no-port-here', expected a scheduler address such as "
                                 "tcp://HOST:8786 (missing port number in address 'no-port-here')")
