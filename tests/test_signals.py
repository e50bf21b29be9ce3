"""Ctrl-C, SIGTERM and kill -9 against a real `vastaff solve` (subprocesses, real signals; Linux /proc).

The first Ctrl-C stops every search within ~2 s and the plan is still written (FEASIBLE, "interrupted": true); the
second aborts without writing (exit 130, one line); SIGTERM is a first Ctrl-C; a Ctrl-C while loading is one line and
exit 130; pool workers die with their parent. Ctrl-C goes to the whole process group, as a terminal sends it.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import struct
import subprocess
import sys
import time
from pathlib import Path

import pytest
from ortools.sat.python import cp_model
from concurrent.futures import ProcessPoolExecutor
from typer.testing import CliRunner

from vastaff.cli import INTERRUPTED, app
from vastaff.people.iep.cpsat import rotation_solver
from vastaff.cpsat import solver as school_solver
from vastaff.generate import generate_district, write_district
from vastaff.io.plan import write_plan
from vastaff.interrupt import NOTICE, abandon, die_with_parent, interruptible, pool_options, request_stop, stoppable

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="real signals and /proc: Linux")

ROOT = Path(__file__).resolve().parents[1]
VASTAFF = Path(sys.executable).with_name("vastaff")
SEARCHING = "best:"  # a CP-SAT progress line of --log: some school's search is under way
STOPPED_WITHIN = 2.0  # seconds from the signal to the last line any search logs
EXITS_WITHIN = 15.0   # seconds from the signal to the exit: the stopped schools' plans decoded, the people parts


@pytest.fixture(scope="module")
def district(tmp_path_factory) -> Path:
    """500 teachers, 9 schools: loads in about a second and is still searching several seconds later."""
    return write_district(generate_district(500, seed=3), tmp_path_factory.mktemp("signals") / "district")


@pytest.fixture
def start():
    """Starts `vastaff solve` runs; whatever is left of them (workers included) is killed after the test."""
    runs: list[Solve] = []

    def started(*args, **kwargs) -> Solve:
        runs.append(Solve(*args, **kwargs))
        return runs[-1]

    yield started
    for run in runs:
        try:
            os.killpg(run.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        run.proc.wait()


class Solve:
    """`vastaff solve --log` in its own process group; the CP-SAT log goes to a file we watch."""

    def __init__(self, data: Path, out: Path, *args: str, model: Path | None = None):
        self.out, self.log = out, out.with_name(out.name + ".log")
        command = [VASTAFF, "solve", data, "--out", out, "--time-limit", "120", "--log", *args]
        with self.log.open("w") as log:
            self.proc = subprocess.Popen(command + (["--model", model] if model else []), stdout=log,
                                         stderr=subprocess.PIPE, text=True, start_new_session=True)

    def wait_until(self, ready, what: str, timeout: float = 60.0) -> None:
        end = time.monotonic() + timeout
        while not ready():
            assert self.proc.poll() is None, f"vastaff solve ended before {what}: {self.proc.stderr.read()}"
            assert time.monotonic() < end, f"no {what} within {timeout} s"
            time.sleep(0.02)

    def wait_for_search(self) -> None:
        self.wait_until(lambda: SEARCHING in self.log.read_text(), "search")

    def ctrl_c(self) -> None:
        os.killpg(self.proc.pid, signal.SIGINT)  # the whole foreground group, as a terminal does

    def finish(self, signalled: float) -> tuple[int, str, float]:
        """Exit code, stderr, and when (seconds after `signalled`) the CP-SAT log stopped growing."""
        sizes = []
        while self.proc.poll() is None:
            sizes.append((time.monotonic(), self.log.stat().st_size))
            assert time.monotonic() - signalled < EXITS_WITHIN, "vastaff solve did not exit in time"
            time.sleep(0.02)
        searched = _search_log_bytes(self.log.read_text())
        last = next((t for t, size in sizes if size >= searched), time.monotonic())
        return self.proc.returncode, self.proc.stderr.read(), last - signalled

    def run(self) -> dict:
        return json.loads((self.out / "run.json").read_text())


def test_first_ctrl_c_stops_every_search_and_writes_a_feasible_plan(district, tmp_path, start):
    solve = start(district, tmp_path / "out")
    solve.wait_for_search()
    signalled = time.monotonic()
    solve.ctrl_c()
    code, stderr, search_ended = solve.finish(signalled)
    assert code == 0, stderr
    assert search_ended < STOPPED_WITHIN
    assert NOTICE in stderr and "Traceback" not in stderr
    run = solve.run()
    assert run["status"] == "FEASIBLE" and run["interrupted"] is True
    assert any(school["stages"] for school in run["schools"].values())  # the searches' work is kept
    assert CliRunner().invoke(app, ["check", str(district), str(solve.out)]).exit_code == 0


def test_a_stopped_run_never_replaces_a_complete_plan(district, tmp_path, start):
    """A Ctrl-C's plan (valid, but a stopped search's: 46 vacancies where the full run had 0, on a fuzz of 1,000
    teachers) replaced last night's complete plan; it goes beside it now, to OUT.interrupted."""
    out = tmp_path / "out"
    write_plan(out, {}, {"status": "OPTIMAL", "night": "last"})
    kept = (out / "run.json").read_bytes()
    solve = start(district, out)
    solve.wait_for_search()
    signalled = time.monotonic()
    solve.ctrl_c()
    code, stderr, _ = solve.finish(signalled)
    assert code == 0, stderr
    assert f"interrupted: the complete plan at {out} is kept; this run's plan goes to {out}.interrupted" in stderr
    assert (out / "run.json").read_bytes() == kept and sorted(p.name for p in out.iterdir()) == ["run.json"]
    beside = json.loads((tmp_path / "out.interrupted" / "run.json").read_text())
    assert beside["status"] == "FEASIBLE" and beside["interrupted"] is True


def test_second_ctrl_c_aborts_and_writes_nothing(district, tmp_path, start):
    solve = start(district, tmp_path / "out")
    solve.wait_for_search()
    workers = _children(solve.proc.pid)
    signalled = time.monotonic()
    solve.ctrl_c()
    time.sleep(0.3)
    solve.ctrl_c()
    code, stderr, _ = solve.finish(signalled)
    assert code == 130
    assert stderr.splitlines() == [NOTICE, INTERRUPTED]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.log"]  # no plan, no temporary folder
    assert workers and _gone_within(workers, 5.0)


def test_sigterm_is_a_first_ctrl_c_on_the_in_process_path(district, tmp_path, start):
    solve = start(district, tmp_path / "out", "--processes", "1")
    solve.wait_for_search()
    signalled = time.monotonic()
    solve.proc.send_signal(signal.SIGTERM)  # to the main process only, as a service manager does
    code, stderr, search_ended = solve.finish(signalled)
    assert code == 0, stderr
    assert search_ended < STOPPED_WITHIN
    run = solve.run()
    assert run["status"] == "FEASIBLE" and run["interrupted"] is True


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_while_loading_is_one_line_and_exit_130(tmp_path, start, signum):
    model = tmp_path / "slow-model.yaml"  # a long comment: the contract model takes seconds to read
    model.write_text((ROOT / "models" / "va-2025-2027.yaml").read_text() + "# padding\n" * 150_000)
    solve = start(ROOT / "data" / "sample", tmp_path / "out", model=model)
    solve.wait_until(lambda: _catches(solve.proc.pid, signal.SIGTERM), "vastaff.cli.main")  # imports done
    solve.proc.send_signal(signum)
    code, stderr, _ = solve.finish(time.monotonic())
    assert (code, stderr) == (130, INTERRUPTED + "\n")
    assert not solve.out.exists()


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_while_the_program_loads_its_modules_is_one_line_and_exit_130(tmp_path, start, signum):
    """An audit: a Ctrl-C in the first half second printed Python's traceback, a SIGTERM ended it silently (143).
    The slow model keeps a signal that comes after the imports within the loading, where the answer is the same."""
    model = tmp_path / "slow-model.yaml"
    model.write_text((ROOT / "models" / "va-2025-2027.yaml").read_text() + "# padding\n" * 150_000)
    solve = start(ROOT / "data" / "sample", tmp_path / "out", model=model)
    solve.wait_until(lambda: _catches(solve.proc.pid, signal.SIGTERM), "vastaff.cli's first lines")
    solve.proc.send_signal(signum)
    code, stderr, _ = solve.finish(time.monotonic())
    assert (code, stderr) == (130, INTERRUPTED + "\n")
    assert not solve.out.exists()


class _DiesInterrupted:
    def __del__(self):
        raise KeyboardInterrupt  # as a signal landing in a finalizer raises: Python reports it and drops it


def test_a_signal_dropped_in_a_finalizer_while_the_modules_load_still_ends_the_command(capsys):
    """A loaded machine's run went on to write a plan (exit 0) after "Exception ignored ... KeyboardInterrupt"."""
    import vastaff.cli

    with pytest.raises(SystemExit) as ended:
        with vastaff.cli._interruptible_imports():
            _DiesInterrupted()
    assert ended.value.code == 130 and capsys.readouterr().err == INTERRUPTED + "\n"


def test_workers_die_with_their_parent_on_kill_9(district, tmp_path, start):
    """The pool's two workers, and the run history's process (cli/recorder.py, waiting for the run) beside them: a
    store of its own (the tests' VASTAFF_STORE=off starts no history process, and the test then waited for the people
    parts' process to make a third child, which a quick machine may finish before it is seen)."""
    solve = start(district, tmp_path / "out", "--processes", "2", "--store", str(tmp_path / "history.db"))
    solve.wait_for_search()
    solve.wait_until(lambda: len(_children(solve.proc.pid)) >= 3, "two pool workers and the history's process")
    workers = _children(solve.proc.pid)
    solve.proc.kill()
    solve.proc.wait()
    assert _gone_within(workers, 5.0), f"workers still running after their parent was killed: {workers}"


@pytest.mark.parametrize("parent_alive", [True, False])
def test_a_worker_whose_parent_died_before_it_could_ask_to_die_with_it_ends_at_once(parent_alive):
    """The race PR_SET_PDEATHSIG leaves open: the parent died first, and the worker already has another parent."""
    creator = os.getpid() if parent_alive else os.getppid()
    child = multiprocessing.get_context("fork").Process(target=die_with_parent, args=(creator,))
    child.start()
    child.join(5.0)
    assert child.exitcode == (0 if parent_alive else 1)


_HALF_SENT = multiprocessing.get_context("fork").Event()  # forked into the pool's worker: set once it has written


def _half_a_result() -> None:
    """A job that writes the header of a 1 MiB result and nothing more, as a worker killed while it sends leaves the
    pipe (the second Ctrl-C of a run whose schools were just stopped and are sending their plans)."""
    frame = sys._getframe()
    while "result_queue" not in frame.f_locals:  # concurrent.futures' worker loop, which called this job
        frame = frame.f_back
    os.write(frame.f_locals["result_queue"]._writer.fileno(), struct.pack("!i", 1 << 20))
    _HALF_SENT.set()
    time.sleep(60)


def test_an_abort_ends_the_pool_even_when_a_worker_dies_in_the_middle_of_a_result():
    """Else the pool's manager thread waits for the rest of the message forever and the process never exits."""
    pool = ProcessPoolExecutor(1, **pool_options(multiprocessing.Event()))
    pool.submit(_half_a_result)
    manager, results = pool._executor_manager_thread, pool._result_queue
    try:
        assert _HALF_SENT.wait(30)
        time.sleep(0.2)  # the manager is reading the message by now
        began = time.monotonic()
        abandon(pool)
        assert not manager.is_alive() and time.monotonic() - began < 5.0
    finally:
        if manager.is_alive():  # a failed test must not leave pytest waiting for the thread at exit
            results._writer.close()


def test_a_stop_ends_a_running_search_even_one_requested_before_it_began():
    model = cp_model.CpModel()
    for i in range(40):
        model.new_bool_var(f"x{i}")
    solver = cp_model.CpSolver()  # enumerating 2^40 solutions: the search runs to its time limit
    solver.parameters.enumerate_all_solutions, solver.parameters.max_time_in_seconds = True, 30.0
    with interruptible():
        request_stop()  # before the solve: CP-SAT drops a stop request that comes before its search exists
        began = time.monotonic()
        with stoppable(solver):
            status = solver.solve(model)
    assert status == cp_model.FEASIBLE and time.monotonic() - began < 1.0


@pytest.mark.parametrize("make", [lambda: school_solver.cp_solver(school_solver.SolveOptions(), 1.0, 1.0),
                                  lambda: rotation_solver(0, 1.0)], ids=["school", "iep"])
def test_a_cpsat_solve_leaves_ctrl_c_to_vastaff(make):
    """CP-SAT catches Ctrl-C during a solve unless told not to, and then leaves SIGINT at its default action: the
    next Ctrl-C would kill the process outright, past every handler and clean-up."""
    model = cp_model.CpModel()
    model.maximize(model.new_int_var(0, 3, "x"))
    try:
        make().solve(model)
        assert _catches(os.getpid(), signal.SIGINT)
    finally:
        signal.signal(signal.SIGINT, signal.getsignal(signal.SIGINT))  # re-installed at the C level if it was lost


def _search_log_bytes(log: str) -> int:
    """Bytes of the CP-SAT log: all but what solve prints once the plan is written — its summary line ("FEASIBLE: ...
    -> OUT") and everything after it (the periods line, where the report is, vacancies, the next commands)."""
    lines = log.rstrip("\n").split("\n")
    summary = next((i for i in range(len(lines) - 1, -1, -1)
                    if lines[i].split(":", 1)[0] in ("OPTIMAL", "FEASIBLE") and " -> " in lines[i]), len(lines))
    return len("".join(line + "\n" for line in lines[:summary]).encode())


def _children(pid: int) -> list[int]:
    """Processes whose parent is `pid` (from /proc/*/stat)."""
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # ended meanwhile
        if int(fields[1]) == pid:
            out.append(int(stat.parent.name))
    return sorted(out)


def _alive(pid: int) -> bool:
    """Running (a zombie is dead: it only waits for whoever adopted it to reap it)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def _gone_within(pids: list[int], seconds: float) -> bool:
    end = time.monotonic() + seconds
    while any(_alive(p) for p in pids):
        if time.monotonic() > end:
            return False
        time.sleep(0.05)
    return True


def _catches(pid: int, signum: int) -> bool:
    """The process has a handler for `signum` (the SigCgt mask of /proc/PID/status)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("SigCgt:"):
            return bool(int(line.split()[1], 16) >> (signum - 1) & 1)
    return False
