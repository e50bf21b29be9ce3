"""`vastaff solve`'s run history, recorded by a process forked as the command starts (`HistoryJob`): the history's
SQLAlchemy (0.17-0.2 s of imports) loads there, on the core that waits while this process loads the district, instead
of beside the schools' searches. The plan's tables go there as soon as they exist (`plan`: each teacher's row is made
there while the files for people are made here), the run once its plan is written (`record`); the command waits for
the answer (recorded, or the one-line warning of `vastaff.store.record_safely`) before its console lines, as before.
A plan that could not be written sends no run: nothing is recorded, as before.

Where no process could be forked, or it is gone before the run could be sent, the run is recorded here: the same row.
A process that ends after the run was sent may or may not have committed it: the command warns, and never records it
a second time. With the history off (`--store off`, VASTAFF_STORE=off) there is no process and nothing to import.
"""

from __future__ import annotations

import importlib
from datetime import datetime, timezone
from typing import Callable, Mapping

import pandas as pd

from vastaff.forked import Forked
from vastaff.store.choice import is_off

TEACHER_TABLES = ("teachers", "sections", "iep_assignments", "caseloads")
"""The plan tables a run history keeps per teacher (vastaff.store.teacher_records' arguments, in order)."""
LOST = ("this run may not have been recorded (the run history's process ended before it answered); the plan is not "
        "affected.")


class HistoryJob(Forked):
    """A process that imports the run history and waits for one run to record in `store` (a `--store` value)."""

    def __init__(self, store: str | None):
        self.store = store
        self._planned = False
        self.off = is_off(store)
        if self.off:  # nothing will be recorded: no process, no SQLAlchemy
            self._process = self._conn = None
        else:
            super().__init__(_serve, (store,), "vastaff-history")

    def plan(self, tables: Mapping[str, pd.DataFrame]) -> None:
        """The plan's tables as soon as they exist: the process makes each teacher's row while this one makes the
        files for people (1,000 teachers: 0.05-0.09 s, once on the path after them). `record` then takes the same
        tables."""
        if self._conn is not None and not self._planned:
            try:
                self._conn.send(("tables", tables))
                self._planned = True
            except Exception:  # noqa: BLE001 — the process is gone, or the tables would not pickle: recorded here
                self.close()

    def record(self, command: str, run: dict, data: str, out: str, started: datetime,
               tables: Mapping[str, pd.DataFrame] | None) -> str | None:
        """Record the run (`tables`: the plan's, None for a run without a plan): None, or a one-line warning."""
        if self.off:
            return None
        sent = (command, run, data, out, started, datetime.now(timezone.utc))
        if self._conn is not None:
            try:
                self._conn.send(("run", (*sent, None if self._planned else tables)))
            except Exception:  # noqa: BLE001 — the process is gone, or nothing could be sent: it is recorded here
                self.close()
            else:
                kind, value = self._answer()
                if kind != "error":
                    return value
        # an error there was raised before anything was written (record_safely never raises): made here, it is raised
        return record_here(self.store, *sent, tables)

    def _answer(self) -> tuple[str, str | None]:
        """("ok", None or the warning), ("error", why) or ("lost", LOST)."""
        try:
            kind, value = self._conn.recv()
        except (EOFError, OSError):
            kind, value = "lost", (LOST,)
        finally:
            self.close()
        return kind, value if kind == "error" else value[0]


def _serve(store: str | None, conn) -> None:
    """The history's process: import it now, make the teachers' rows of the plan's tables when they come, then record
    the one run the command sends (none if it sends nothing: its plan could not be written)."""
    for module in ("repository", "plan_rows"):  # the point of this process: imported while the district loads
        importlib.import_module(f"vastaff.store.{module}")
    from vastaff.forked import answer

    rows = None
    try:
        kind, value = conn.recv()
        if kind == "tables":
            rows = _rows_of(value)
            kind, value = conn.recv()
    except (EOFError, OSError):  # the command ended without a run to record
        conn.close()
        return
    answer(conn, lambda: (record_here(store, *value, rows=rows),))


def _rows_of(tables: Mapping[str, pd.DataFrame]) -> Callable[[], list]:
    """The teachers' rows of `tables`, made now; or the error making them, raised when they are asked for."""
    try:
        made = teacher_rows(tables)
    except Exception as exc:  # noqa: BLE001 — raised with the run, as `record_here` would raise it
        error = exc

        def fail() -> list:
            raise error
        return fail
    return lambda: made


def record_here(store: str | None, command: str, run: dict, data: str, out: str, started: datetime, ended: datetime,
                tables: Mapping[str, pd.DataFrame] | None, rows: Callable[[], list] | None = None) -> str | None:
    """The run and each teacher's assignments in the run history, in this process: None, or a one-line warning.
    `rows`: the teachers' rows made already (`HistoryJob.plan`), else they are made from `tables`."""
    from vastaff.store import record_safely, run_record

    teachers = rows() if rows is not None else teacher_rows(tables) if tables is not None else []
    return record_safely(store, run_record(command, run, data, out, started, ended), teachers)


def teacher_rows(tables: Mapping[str, pd.DataFrame]) -> list:
    """Each teacher's row of the run history (vastaff.store.teacher_records) from the plan's tables."""
    from vastaff.store import teacher_records

    return teacher_records(*(tables.get(name) for name in TEACHER_TABLES))
