"""vastaff/forked.py: work in a forked process gives the answer it would give here — its value (None too), its error
raised where the result is asked for, findings intact — and a process that cannot be forked or dies costs nothing but
time; what a forked process inherits is frozen for its collector; the nightly plan is the same whether its people
parts ran in a process of their own or in a thread."""

from __future__ import annotations

import gc
import os
import pickle
import threading
from pathlib import Path

import pytest

from vastaff import forked, load_contract
from vastaff.forked import Forked, ForkedCall, command_process
from vastaff.io.district import load_district
from vastaff.nightly import solve_nightly
from vastaff.nightly.sections import SolveSettings
from vastaff.rules import Finding, Infeasible

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample"
CAN_FORK = forked.cores() >= 2
TEST_PROCESS = os.getpid()


def _where() -> tuple[int, str]:
    return os.getpid(), threading.current_thread().name


@pytest.mark.skipif(not CAN_FORK, reason="one core: nothing is forked (the thread's tests cover it)")
def test_the_value_comes_from_another_process():
    call = ForkedCall(_where, "vastaff-test")
    assert call.forked
    pid, _ = call.result()
    assert pid != os.getpid()
    assert not call.forked  # joined


def test_none_is_an_answer_not_a_failure():
    calls = []
    call = ForkedCall(lambda: calls.append(1), "vastaff-test")  # returns None
    call.start()
    assert call.result() is None
    assert calls == ([] if CAN_FORK else [1])  # computed there, not again here


def test_an_error_is_raised_where_the_result_is_asked_for_with_its_findings():
    finding = Finding(("A7.3",), "no teacher can hold caseload S1", (("sped_students.csv", "S1"),))

    def fails():
        raise Infeasible([finding])

    call = ForkedCall(fails, "vastaff-test")
    call.start()
    with pytest.raises(Infeasible) as raised:
        call.result()
    assert raised.value.findings == [finding]


def test_infeasible_pickles_with_its_findings():
    finding = Finding(("A16",), "site S9 has no room left", (("sites.csv", "S9"),))
    again = pickle.loads(pickle.dumps(Infeasible([finding])))
    assert again.findings == again.conflicts == [finding] and str(again) == str(Infeasible([finding]))


def test_one_core_runs_the_call_in_a_thread_once_started(monkeypatch):
    monkeypatch.setattr(forked, "cores", lambda: 1)
    call = ForkedCall(_where, "vastaff-test")
    assert not call.forked
    call.start()
    assert call.result() == (os.getpid(), "vastaff-test")


def test_a_call_never_started_is_computed_where_its_result_is_asked_for(monkeypatch):
    monkeypatch.setattr(forked, "cores", lambda: 1)
    assert ForkedCall(_where, "vastaff-test").result() == (os.getpid(), threading.current_thread().name)


def _where_once_here() -> tuple[int, str]:
    """`_where`, which a forked process never answers: it waits to be killed (a loaded machine let it answer first)."""
    if os.getpid() != TEST_PROCESS:
        threading.Event().wait(60)
    return _where()


def test_a_process_that_dies_is_replaced_by_computing_here():
    call = ForkedCall(_where_once_here, "vastaff-test")
    if call.forked:
        call._job._process.kill()
        call._job._process.join()
    assert call.result() == (os.getpid(), threading.current_thread().name)


def test_a_daemonic_process_computes_here(monkeypatch):
    """A Dask worker's process is daemonic: it may not have children (multiprocessing asserts it)."""
    def refuse(process):
        raise AssertionError("daemonic processes are not allowed to have children")

    monkeypatch.setattr(forked, "_start_frozen", refuse)
    call = ForkedCall(_where, "vastaff-test")
    assert not call.forked
    call.start()
    assert call.result() == (os.getpid(), "vastaff-test")


def test_close_stops_a_process_still_running():
    call = ForkedCall(lambda: threading.Event().wait(60), "vastaff-test")
    if not call.forked:
        pytest.skip("one core or no fork: nothing is forked")
    process = call._job._process
    call.close()
    assert not process.is_alive() and not call.forked


def _frozen_objects(conn) -> None:
    conn.send(("ok", gc.get_freeze_count()))


def test_a_forked_process_never_walks_what_it_inherited_and_this_one_still_does():
    gc.unfreeze()  # whatever another test left frozen: this one counts from nothing
    job = Forked(_frozen_objects, (), "vastaff-test")
    if job._process is None:
        pytest.skip("one core or no fork: nothing is forked")
    in_child = job._receive("ok")
    job.close()
    assert gc.get_freeze_count() == 0  # thawed here at once
    assert in_child > 10_000  # everything this process held, frozen in the child


def test_the_command_process_keeps_what_a_fork_froze():
    """The console command's process ends with its command (`command_process`, vastaff.cli.main): its report's "why"
    and page are made without walking the district and the plan again."""
    gc.unfreeze()
    try:
        with command_process():
            job = Forked(_frozen_objects, (), "vastaff-test")
            if job._process is None:
                pytest.skip("one core or no fork: nothing is forked")
            job._receive("ok")
            job.close()
            assert gc.get_freeze_count() > 10_000  # nothing was frozen before the fork: its freeze stayed
    finally:
        gc.unfreeze()


def test_outside_the_command_a_fork_thaws_even_what_was_frozen_before():
    """A process that does not end with a command (a notebook, the tests) is left as a plain process: nothing frozen
    after the fork, whatever was frozen before it (the command line's imports, vastaff/imports.py)."""
    gc.freeze()
    try:
        job = Forked(_frozen_objects, (), "vastaff-test")
        if job._process is None:
            pytest.skip("one core or no fork: nothing is forked")
        job._receive("ok")
        job.close()
        assert gc.get_freeze_count() == 0
    finally:
        gc.unfreeze()


def test_the_command_process_is_said_for_its_body_only():
    assert not forked._ENDS_WITH_COMMAND
    with command_process():
        assert forked._ENDS_WITH_COMMAND
        with command_process():
            pass
        assert forked._ENDS_WITH_COMMAND
    assert not forked._ENDS_WITH_COMMAND


def test_the_people_parts_in_a_process_of_their_own_make_the_plan_of_the_thread(monkeypatch):
    contract = load_contract()
    district = load_district(SAMPLE, contract)
    settings = SolveSettings(time_limit=10, seed=0, processes=2)
    apart = solve_nightly(district, contract, settings)
    monkeypatch.setattr(forked, "cores", lambda: 1)
    in_thread = solve_nightly(district, contract, settings)
    for name in ("teachers", "caseloads", "iep_assignments", "sections"):
        assert apart.tables[name].equals(in_thread.tables[name]), name
