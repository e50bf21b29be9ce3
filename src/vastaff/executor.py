"""Where a run's independent jobs go: this process, a local process pool (the default) or a Dask cluster.

A job is a plain function of plain data (`Job(key, fn, args)`: a school's problem, a scenario), so the local pool and
a Dask cluster run the very same function; seeds and budgets travel in its arguments, so the answer does not depend
on where it ran. `Executor.run(jobs)` yields each job's `Done` as it finishes, wherever it ran (progress on the
terminal). A job whose worker is lost (killed, out of memory, a broken pool) comes back as `Done(lost=reason)` — never
as a silent gap — and the caller decides what stands in for it; any other exception of a job propagates, as a bug.
A broken local pool loses every job it had not finished, and its other workers are killed first, so that none of
them finishes a lost job behind the caller's back (a scenario writes its own run folder).

On a cluster (`--cluster ADDRESS` or VASTAFF_CLUSTER) Dask re-runs a job whose worker died (the scheduler's
`allowed-failures`, 3 by default) and one that raised (`retries`, RETRIES); a job lost after that is reported lost.
The run's stop (the first Ctrl-C, vastaff.interrupt) reaches the workers through a Dask Event named after the run.
A run's jobs form one Dask task group, which the scheduler queues and hands out as workers free up, in submission
order (with `worker-saturation` 1.0 on the scheduler, exactly one per worker thread, as in the local pool).
Dask is imported only when a cluster is asked for: it is the optional extra `vastaff[cluster]`.

This module imports nothing of vastaff but `interrupt` and `errors`: the nightly plan and the scenario runner use it.
"""

from __future__ import annotations

import os
import threading
import time
import uuid
from concurrent.futures import CancelledError, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import metadata
from typing import Any, Callable, Iterator, Sequence

import vastaff.interrupt as interrupt
from vastaff.errors import InputError, InputProblem

ENV = "VASTAFF_CLUSTER"
CONNECT_TIMEOUT = 10.0
"""Seconds to reach the scheduler, and again for a first worker to be there."""
RETRIES = 2
"""Dask re-runs a job that raised this many times (a worker's own trouble: memory, a full disk) before giving up."""
SAME_VERSIONS = ("vastaff", "ortools")
"""Packages every worker must run in this machine's version: another CP-SAT may find another plan."""
INSTALL = "pip install 'vastaff[cluster]'"
STOP_POLL = 0.5
"""Seconds between two looks at the run's stop by the client (forwarding it to the cluster)."""
WATCH_SECONDS = 10.0
"""How long a job's watcher waits on the cluster's stop event at a time. The wait returns as soon as the stop is set,
so this bounds only how long the watcher outlives its job; short waits cost the job (each one is a round trip to
the scheduler: 0.5 s waits made a sample scenario 7 % slower)."""


@dataclass(frozen=True)
class Job:
    """One independent job: `fn(*args)` with plain, picklable data; `key` names it in `Done` (unique in a run)."""

    key: str
    fn: Callable[..., Any]
    args: tuple = ()


@dataclass(frozen=True)
class Done:
    """A finished job: its result, or why it has none (`lost`: its worker was lost and no retry brought it back);
    where it ran (a local pid, a Dask worker's address), its wall seconds and its worker process's CPU seconds meanwhile
    (what a loaded machine does not inflate) — None when lost."""

    key: str
    result: Any = None
    lost: str | None = None
    worker: str | None = None
    seconds: float | None = None
    cpu: float | None = None


def timed(fn: Callable, *args) -> tuple[Any, str, float, float]:
    """A job as a worker runs it: its result, where it ran, its wall seconds and the process's CPU seconds there."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn(*args)
    return result, f"pid {os.getpid()}", time.perf_counter() - wall, time.process_time() - cpu


def _done(key: str, ran: tuple[Any, str, float, float]) -> Done:
    result, worker, seconds, cpu = ran
    return Done(key, result, worker=worker, seconds=round(seconds, 3), cpu=round(cpu, 3))


class Executor:
    """Runs jobs and yields them as they finish. A context manager: at the end it frees its workers (or connection);
    left by an exception (a second Ctrl-C, a failing caller) it first abandons the jobs still out."""

    description = "this process"

    def run(self, jobs: Sequence[Job], meanwhile: Callable[[], None] | None = None) -> Iterator[Done]:
        """The jobs, each as it finishes. `meanwhile` is called in this process once every job is handed over (the
        local pool's processes are forked by then, so a thread it starts has no fork behind it)."""
        raise NotImplementedError

    def abort(self) -> None:
        """Throw the unfinished jobs away now: queued ones never start, running ones end (idempotent)."""

    def close(self) -> None:
        """Free the workers or the connection (idempotent)."""

    def __enter__(self) -> Executor:
        return self

    def __exit__(self, exc_type, *exc) -> None:
        if exc_type is not None:
            self.abort()
        self.close()


class InlineExecutor(Executor):
    """Every job in this process, one after another (one worker: the in-process path, no pickling)."""

    def __init__(self, initializer: Callable | None = None, initargs: tuple = ()):
        self.initializer, self.initargs = initializer, initargs

    def run(self, jobs: Sequence[Job], meanwhile: Callable[[], None] | None = None) -> Iterator[Done]:
        if self.initializer is not None:  # this process is the pool's one worker
            self.initializer(*self.initargs)
        if meanwhile is not None:
            meanwhile()
        for job in jobs:
            yield _done(job.key, timed(job.fn, *job.args))


class PoolExecutor(Executor):
    """A local ProcessPoolExecutor whose workers share the run's stop and die with this process (vastaff.interrupt)."""

    def __init__(self, workers: int, initializer: Callable | None = None, initargs: tuple = ()):
        self.description = f"the local pool of {workers} processes"
        self.pool = ProcessPoolExecutor(max_workers=workers, **interrupt.pool_options(
            interrupt.shared_stop(), initializer=initializer, initargs=initargs))

    def run(self, jobs: Sequence[Job], meanwhile: Callable[[], None] | None = None) -> Iterator[Done]:
        try:
            futures = {self.pool.submit(timed, job.fn, *job.args): job.key for job in jobs}
            processes = list((self.pool._processes or {}).values())  # no public handle (see interrupt.abandon)
            if meanwhile is not None:
                meanwhile()
            for future in as_completed(futures):
                done = _pool_done(futures[future], future)
                if done.lost is not None:  # the pool is broken: its other workers' jobs are lost too
                    _kill(processes)
                yield done
        except BaseException:
            self.abort()
            raise

    def abort(self) -> None:
        interrupt.abandon(self.pool)  # waiting would let the running jobs finish first

    def close(self) -> None:
        self.pool.shutdown(wait=True)


def _kill(processes) -> None:
    """End a broken pool's workers now, before the caller decides what stands for their lost jobs: they ignore the
    SIGTERM the pool sends them (vastaff.interrupt), and one left running would finish a lost job behind the
    caller's back (a scenario's run folder written over the ERROR that stands for it)."""
    for process in processes:
        process.kill()


def _pool_done(key: str, future) -> Done:
    try:
        return _done(key, future.result())
    except BrokenProcessPool:
        return Done(key, lost="a worker process of the local pool ended abruptly (killed, or out of memory)")


class DaskExecutor(Executor):
    """Jobs on a Dask distributed cluster through `client` (connected by `dask_executor`)."""

    def __init__(self, client, address: str, retries: int = RETRIES):
        self.client, self.address, self.retries = client, address, retries
        self.description = f"the Dask cluster at {address}"
        self.stop, self.futures = "", {}  # the current run's

    def run(self, jobs: Sequence[Job], meanwhile: Callable[[], None] | None = None) -> Iterator[Done]:
        from distributed import as_completed as dask_completed

        run = f"{uuid.uuid4().int % 10**12:012d}"  # digits: Dask groups every job of the run under "vastaff-job"
        self.stop = f"vastaff-stop-{run}"  # the run's stop, as a Dask Event the jobs watch
        self.futures = {self.client.submit(run_remote, self.stop, job.fn, *job.args, pure=False,
                                           key=f"vastaff-job-{run}-{job.key}", retries=self.retries): job.key
                        for job in jobs}
        if meanwhile is not None:
            meanwhile()
        try:
            with _forward_stop(self.client, self.stop):
                for future in dask_completed(self.futures, loop=self.client.loop):
                    yield _dask_done(self.futures[future], future)
        except BaseException:
            self.abort()  # the run's stop stays set: a job that starts late still sees it
            raise
        _quietly(lambda: self._event().clear())  # a run that ended: the scheduler forgets its stop

    def abort(self) -> None:
        """Running searches end at once (the run's stop), queued jobs never start."""
        if self.futures:
            _quietly(lambda: self._event().set())
            _quietly(lambda: self.client.cancel(list(self.futures), force=True))

    def _event(self):
        from distributed import Event

        return Event(self.stop, client=self.client)

    def close(self) -> None:
        self.client.close()


def _quietly(action: Callable[[], Any]) -> None:
    """Clean-up that must not hide what caused it (the scheduler may be gone by then)."""
    try:
        action()
    except Exception:
        pass


def _dask_done(key: str, future) -> Done:
    from distributed import KilledWorker
    from distributed.comm.core import CommClosedError

    try:
        return _done(key, future.result())
    except KilledWorker as exc:
        last = getattr(exc.last_worker, "address", "?")
        return Done(key, lost=f"its worker died on each of its {exc.allowed_failures + 1} tries, the last on {last}")
    except (CancelledError, CommClosedError) as exc:
        return Done(key, lost=f"the cluster dropped it ({type(exc).__name__}: {exc})")


@contextmanager
def _forward_stop(client, name: str) -> Iterator[None]:
    """While the run's jobs are out: the run's stop (the first Ctrl-C) sets the Dask Event `name` they watch."""
    from distributed import Event

    local, done = interrupt.shared_stop(), threading.Event()

    def forward() -> None:
        while not done.is_set():
            if local.wait(STOP_POLL):
                _quietly(lambda: Event(name, client=client).set())
                return

    thread = threading.Thread(target=forward, name="vastaff-stop-to-cluster", daemon=True)
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join()
        # every job of the run has ended: setting its stop now only releases the watchers still waiting on it (they
        # outlive their jobs by up to WATCH_SECONDS), so none is left waiting when the cluster closes
        _quietly(lambda: Event(name, client=client).set())


def run_remote(stop: str, fn: Callable, *args) -> tuple[Any, str, float, float]:
    """A job on a Dask worker, `timed`: `fn(*args)` with the run's stop taken from the Dask Event `stop`."""
    from distributed import Event, get_client, get_worker

    with stop_from(Event(stop, client=get_client())):  # the client now: the watching thread is not the task's
        result, _, seconds, cpu = timed(fn, *args)
    return result, get_worker().address, seconds, cpu


@contextmanager
def stop_from(event) -> Iterator[None]:
    """Run the body as part of a run whose stop is `event` (anything with `wait(timeout) -> bool`): a thread copies it
    into this process's stop, which every CP-SAT search of vastaff.interrupt watches.

    A process already in a run (a pool worker, or jobs of one run sharing a worker) keeps the stop it has."""
    local, done = threading.Event(), threading.Event()

    def watch() -> None:
        try:
            while not done.is_set():
                if event.wait(timeout=WATCH_SECONDS):
                    local.set()
                    return
        except Exception:  # the scheduler is gone: so is this job's result, nobody is left to stop it
            return

    with interrupt.run_stop(local) as adopted:
        if not adopted:
            yield
            return
        watcher = threading.Thread(target=watch, name="vastaff-stop-from-cluster", daemon=True)
        watcher.start()
        try:
            yield
        finally:
            done.set()  # the watcher ends at its next look; waiting for it would add up to WATCH_SECONDS to the job


# ---------------------------------------------------------------------------------------------------------
# choosing and opening an executor


def cluster_address(option: str | None) -> str | None:
    """The Dask scheduler to use: `--cluster`, else the environment's VASTAFF_CLUSTER; None (blank) = the local pool."""
    address = option if option is not None else os.environ.get(ENV)
    return address.strip() or None if address is not None else None


def local_executor(workers: int, initializer: Callable | None = None, initargs: tuple = ()) -> Executor:
    """`workers` local processes (each runs `initializer(*initargs)` first); one worker: this process itself."""
    if workers <= 1:
        return InlineExecutor(initializer, initargs)
    return PoolExecutor(workers, initializer, initargs)


def open_executor(cluster: str | None, workers: int, initializer: Callable | None = None,
                  initargs: tuple = ()) -> Executor:
    """The Dask cluster at `cluster` when given (the initializer is then not run: jobs must carry what they need),
    else `local_executor(workers, initializer, initargs)`."""
    return dask_executor(cluster) if cluster else local_executor(workers, initializer, initargs)


def dask_executor(address: str, timeout: float | None = None, retries: int = RETRIES,
                  same_versions: Sequence[str] = SAME_VERSIONS) -> DaskExecutor:
    """A connected Dask client with at least one worker, every worker on this machine's `same_versions`.
    `timeout`: CONNECT_TIMEOUT unless given.

    InputError (exit 2), one line, when Dask is not installed, the address is malformed, nothing answers within
    `timeout` seconds, no worker joins within `timeout`, or a worker runs other versions.
    """
    timeout = CONNECT_TIMEOUT if timeout is None else timeout
    try:
        from distributed import Client
    except ImportError:
        raise _cluster_error(address, f"the Dask distributed package (install the cluster extra: {INSTALL})") from None
    try:
        client = Client(address, timeout=timeout, set_as_default=False)
    except ValueError as exc:
        raise _cluster_error(address, f"a scheduler address such as tcp://HOST:8786 ({exc})") from None
    except Exception:  # OSError, TimeoutError — or whatever answered there speaking something else than Dask
        raise _cluster_error(address, f"a Dask scheduler that answers within {timeout:g} s (none did; start one "
                                      f"with: dask scheduler)") from None
    try:
        _check_workers(client, address, timeout, same_versions)
    except BaseException:
        client.close()
        raise
    return DaskExecutor(client, address, retries)


def _check_workers(client, address: str, timeout: float, same_versions: Sequence[str]) -> None:
    try:
        client.wait_for_workers(1, timeout=timeout)
    except TimeoutError:
        raise _cluster_error(address, f"a Dask scheduler with workers (none joined within {timeout:g} s; start "
                                      f"some with: dask worker {address})") from None
    here = package_versions(same_versions)
    for worker, versions in sorted(client.run(package_versions, list(same_versions)).items()):
        if versions != here:
            theirs = ", ".join(f"{name} {versions.get(name)}" for name in same_versions)
            ours = ", ".join(f"{name} {here.get(name)}" for name in same_versions)
            raise _cluster_error(address, f"workers running {ours}, as this machine does (worker {worker} runs "
                                          f"{theirs})")


def package_versions(names: Sequence[str]) -> dict[str, str | None]:
    """Installed version of each package (None: not installed); run on every worker to compare with the client."""
    def version(name: str) -> str | None:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            return None
    return {name: version(name) for name in names}


def _cluster_error(address: str, expected: str) -> InputError:
    source = ENV if os.environ.get(ENV, "").strip() == address else "--cluster"
    return InputError([InputProblem(source, value=address, expected=expected, noun="option")])
