"""Work done while the schools are searched (vastaff/background.py, `Executor.run(meanwhile=...)`): it starts only once
the local pool has forked its processes, its value or its error reaches the caller, and the nightly plan is the same
as when the people parts ran after the sections."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from vastaff import load_contract
from vastaff.background import Background
from vastaff.executor import Job, local_executor
from vastaff.io.district import load_district
from vastaff.nightly import solve_nightly
from vastaff.nightly.sections import SolveSettings
from vastaff.rules import Infeasible

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample"


def _pid() -> int:
    return os.getpid()


def test_the_value_comes_from_another_thread():
    seen = []
    work = Background(lambda: seen.append(threading.current_thread().name) or 42, "vastaff-test")
    work.start()
    work.start()  # once
    assert work.result() == 42 and seen == ["vastaff-test"]


def test_an_error_is_raised_where_the_result_is_asked_for():
    def fails():
        raise Infeasible([])

    work = Background(fails, "vastaff-test")
    work.start()
    with pytest.raises(Infeasible):
        work.result()


def test_work_never_started_is_done_when_its_result_is_asked_for():
    assert Background(lambda: "done", "vastaff-test").result() == "done"


@pytest.mark.parametrize("workers", [1, 2])
def test_meanwhile_runs_once_after_the_pools_processes_exist(workers):
    calls = []
    with local_executor(workers) as executor:
        def meanwhile():
            pool = getattr(executor, "pool", None)
            calls.append(len(pool._processes) if pool is not None else "inline")

        done = list(executor.run([Job(str(i), _pid) for i in range(3)], meanwhile=meanwhile))
    assert len(done) == 3
    assert calls == (["inline"] if workers == 1 else [2])  # forked before, never after: no thread behind a fork


def test_the_people_parts_found_meanwhile_make_the_same_plan_as_in_line():
    contract = load_contract()
    district = load_district(SAMPLE, contract)
    plans = [solve_nightly(district, contract, SolveSettings(time_limit=10, seed=0, processes=n)) for n in (1, 2)]
    for name in ("teachers", "caseloads", "iep_assignments", "sections"):
        assert plans[0].tables[name].equals(plans[1].tables[name]), name
