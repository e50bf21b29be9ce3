"""Stopping a run early, and worker processes that never outlive it.

The first Ctrl-C (SIGINT) or SIGTERM of a run stops every CP-SAT search, which keeps its best solution so far; the run
then finishes quickly and writes its plan. The second one aborts: KeyboardInterrupt, nothing is written. Pool workers
ignore both signals (a terminal sends Ctrl-C to the whole process group: the parent decides), take the stop from the
run's shared event, and die with their parent even when it is killed by `kill -9` (Linux: PR_SET_PDEATHSIG).
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
import threading
from contextlib import contextmanager, nullcontext
from multiprocessing.synchronize import Event
from typing import TYPE_CHECKING, Callable, Iterator

if TYPE_CHECKING:
    from ortools.sat.python import cp_model

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)
NOTICE = "vastaff: stopping the search; the plan keeps each part's best solution so far (Ctrl-C again aborts)."
POLL = 0.1
"""Seconds between two stop requests to a running solver: a request that comes before its search starts is lost."""
PR_SET_PDEATHSIG = 1  # <linux/prctl.h>

_stop: Event | None = None  # this process's run: set up by `interruptible` (main process) or `worker_init` (workers)


def stop_requested() -> bool:
    """True once the current run was asked to stop (the first Ctrl-C or SIGTERM)."""
    return _stop is not None and _stop.is_set()


def request_stop() -> None:
    """What the first Ctrl-C does: every search of the current run stops and keeps its best solution."""
    if _stop is not None:
        _stop.set()


def shared_stop() -> Event:
    """The event a process pool's workers take the stop from: the current run's (outside a run: one never set)."""
    return _stop if _stop is not None else multiprocessing.Event()


@contextmanager
def interruptible() -> Iterator[Event]:
    """A run that the first SIGINT or SIGTERM stops gracefully and the second aborts (KeyboardInterrupt).

    Handlers are installed only in the main thread of a process not already in a run (a nested call, or a pool worker
    set up by `worker_init`, shares the run it is part of), and the previous ones come back afterwards. A signal that
    was ignored when the run began (a background job's SIGINT) stays ignored.
    """
    global _stop
    if _stop is not None:
        yield _stop
        return
    _stop = multiprocessing.Event()
    try:
        main_thread = threading.current_thread() is threading.main_thread()
        with _Handlers(_stop) if main_thread else nullcontext():
            yield _stop
    finally:
        _stop = None


class _Handlers:
    """SIGINT and SIGTERM during a run.

    The Python-level handler runs only when the main thread comes back to Python, which a long CP-SAT solve in the
    main process (the in-process path, the IEP rotation) delays until it ends. So a thread reading the signal wakeup
    fd (written by the C-level handler at once) sets the stop; the handler itself only counts, and raises
    KeyboardInterrupt from the second signal on. It never touches the event: the main thread may hold its lock.
    """

    def __init__(self, stop: Event):
        self.stop, self.count = stop, 0

    def __enter__(self) -> _Handlers:
        self.read, self.write = os.pipe()
        os.set_blocking(self.write, False)
        self.watcher = threading.Thread(target=self._watch, name="vastaff-stop-signals", daemon=True)
        self.watcher.start()
        self.previous_fd = signal.set_wakeup_fd(self.write, warn_on_full_buffer=False)
        self.previous = {s: signal.getsignal(s) for s in STOP_SIGNALS}
        for s, handler in self.previous.items():
            if handler is not signal.SIG_IGN:
                signal.signal(s, self._handle)
        return self

    def __exit__(self, *exc) -> None:
        for s, handler in self.previous.items():
            if handler is not None:  # None: set from C, cannot be restored from Python
                signal.signal(s, handler)
        signal.set_wakeup_fd(self.previous_fd)
        os.write(self.write, b"\0")  # the watcher's cue to end
        self.watcher.join()
        os.close(self.read)
        os.close(self.write)

    def _handle(self, signum: int, frame) -> None:
        self.count += 1
        if self.count > 1:
            raise KeyboardInterrupt

    def _watch(self) -> None:
        while True:
            for signum in os.read(self.read, 64):
                if signum == 0:
                    return
                if signum in STOP_SIGNALS and not self.stop.is_set():
                    self.stop.set()
                    print(NOTICE, file=sys.stderr, flush=True)


@contextmanager
def stoppable(solver: cp_model.CpSolver) -> Iterator[None]:
    """Around `solver.solve(...)`: a stop of the run ends the search within POLL seconds, as a time limit would (the
    response keeps the best solution found). Use it only where a stopped search has something to fall back on."""
    stop = _stop
    if stop is None:
        yield
        return
    done = threading.Event()

    def watch() -> None:
        while not done.wait(POLL):
            if stop.is_set():
                solver.stop_search()

    watcher = threading.Thread(target=watch, name="vastaff-stop-solver", daemon=True)
    watcher.start()
    try:
        yield
    finally:
        done.set()
        watcher.join()


def pool_options(stop: Event, initializer: Callable | None = None, initargs: tuple = ()) -> dict:
    """Keyword arguments for a ProcessPoolExecutor whose workers share `stop` and die with this process; `initializer`
    then runs in each worker as it would have. Workers are forked (Linux's default before Python 3.14): the parent
    check of `worker_init` needs this process to be their parent."""
    linux = sys.platform.startswith("linux")
    return {"mp_context": multiprocessing.get_context("fork" if linux else None),
            "initializer": worker_init, "initargs": (stop, os.getpid() if linux else None, initializer, initargs)}


@contextmanager
def run_stop(event) -> Iterator[bool]:
    """This process's stop is `event` (anything with `is_set()`) for the body: a job that came from another machine
    (vastaff.executor). Yields False and changes nothing when the process already belongs to a run (a pool worker, or
    another job of the same run)."""
    global _stop
    if _stop is not None:
        yield False
        return
    _stop = event
    try:
        yield True
    finally:
        _stop = None


def worker_init(stop: Event, parent: int | None = None, initializer: Callable | None = None,
                initargs: tuple = ()) -> None:
    """Pool initializer: this worker takes the stop from `stop`, ignores SIGINT and SIGTERM (its parent decides),
    and, given `parent` (the pid of the process that starts the pool), dies with it. Then `initializer(*initargs)`."""
    global _stop
    _stop = stop
    signal.set_wakeup_fd(-1)  # a fork copies the parent's: a signal to this worker is not one to the parent's run
    for s in STOP_SIGNALS:
        signal.signal(s, signal.SIG_IGN)
    if parent is not None:
        die_with_parent(parent)
    if initializer is not None:
        initializer(*initargs)


def die_with_parent(parent: int) -> None:
    """Linux: SIGKILL this process when its parent ends, however it ends (PR_SET_PDEATHSIG). A parent that died before
    the call went unnoticed by it: this process was already handed to another one, so it ends now."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
    except (OSError, AttributeError):  # not glibc-like: no safety net, the worker still works
        return
    if os.getppid() != parent:
        os._exit(1)


def abandon(pool) -> None:
    """An abort: cancel a ProcessPoolExecutor's queued jobs and kill its workers now (their work is thrown away).
    Waiting for them would let the running schools finish first.

    A worker killed while it sends a result leaves half a message in the result pipe, and the pool's manager thread
    waits for the rest of it forever — the process then never exits (the interpreter joins that thread at exit). So
    once the workers are dead the pool's own end of that pipe is closed: the manager reads the end of the pipe,
    finds the pool broken and ends; it is joined here, before anything at exit can race with its last steps."""
    workers = list((pool._processes or {}).values())  # no public handle before Python 3.14's terminate_workers()
    manager, results = pool._executor_manager_thread, pool._result_queue
    pool.shutdown(wait=False, cancel_futures=True)
    for worker in workers:
        worker.kill()
    for worker in workers:
        worker.join()
    if results is not None:
        results._writer.close()  # the workers' end: only dead workers ever wrote to it
    if manager is not None:
        manager.join()
