"""Work in a thread of this process while it only waits on others: the imports a command needs after its search (the
report's writers, Jinja2 and XlsxWriter) run while the schools' searches run in the pool's processes, and so do the
nightly plan's people parts that need no sections where no process could be forked for them
(vastaff.forked.ForkedCall; the run history's SQLAlchemy loads in a process of its own, cli/recorder.py).

A `Background` is started only once the local pool has forked its processes (`Executor.run(meanwhile=...)`) and is
joined (`result`) before anything forks again (the report's checker and workbook processes): a fork while a thread
holds a lock (an import's, the allocator's) can leave the child waiting on it forever. Work never started is done by
`result` itself: the same answer, later.
"""

from __future__ import annotations

import threading
from typing import Callable, Generic, TypeVar

T = TypeVar("T")


class Background(Generic[T]):
    """`fn()` in a daemon thread from `start()`; `result()` waits for it and returns its value or raises its error."""

    def __init__(self, fn: Callable[[], T], name: str):
        self._fn, self._name = fn, name
        self._thread: threading.Thread | None = None
        self._value: T | None = None
        self._error: BaseException | None = None

    def start(self) -> None:
        """Begin `fn` in a thread (once; later calls do nothing)."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name=self._name, daemon=True)
            self._thread.start()

    def _run(self) -> None:
        try:
            self._value = self._fn()
        except BaseException as exc:  # noqa: BLE001 — handed to whoever asks for the result, as if raised there
            self._error = exc

    def result(self) -> T:
        """`fn`'s value: from the thread (joined), or computed here when it never started."""
        if self._thread is None:
            return self._fn()
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._value
