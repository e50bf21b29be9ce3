"""`vastaff solve`'s run history, recorded by a process forked as the command starts (`HistoryJob`): the history's
SQLAlchemy (0.17-0.2 s of imports) loads there, on the core that waits while this process loads the district, instead
of beside the schools' searches. The run goes there once it is over, and the command waits for the answer (recorded,
or the one-line warning of `vastaff.store.record_safely`) before its console lines, as before.

Where no process could be forked, or it is gone before the run could be sent, the run is recorded here: the same row.
A process that ends after the run was sent may or may not have committed it: the command warns, and never records it
a second time.
"""

from __future__ import annotations

import importlib
from datetime import datetime, timezone
from typing import Mapping

import pandas as pd

from vastaff.forked import Forked

TEACHER_TABLES = ("teachers", "sections", "iep_assignments", "caseloads")
"""The plan tables a run history keeps per teacher (vastaff.store.teacher_records' arguments, in order)."""
LOST = ("this run may not have been recorded (the run history's process ended before it answered); the plan is not "
        "affected.")


class HistoryJob(Forked):
    """A process that imports the run history and waits for one run to record in `store` (a `--store` value)."""

    def __init__(self, store: str | None):
        self.store = store
        super().__init__(_serve, (store,), "vastaff-history")

    def record(self, command: str, run: dict, data: str, out: str, started: datetime,
               tables: Mapping[str, pd.DataFrame] | None) -> str | None:
        """Record the run (`tables`: the plan's, None for a run without a plan): None, or a one-line warning."""
        sent = (command, run, data, out, started, datetime.now(timezone.utc), tables)
        if self._conn is not None:
            try:
                self._conn.send(sent)
            except OSError:  # the process is gone: nothing was sent, so it is recorded here
                self.close()
            else:
                kind, value = self._answer()
                if kind != "error":
                    return value
        # an error there was raised before anything was written (record_safely never raises): made here, it is raised
        return record_here(self.store, *sent)

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
    """The history's process: import it now, then record the one run the command sends (none if it sends nothing)."""
    importlib.import_module("vastaff.store")  # the point of this process: imported while the district loads
    from vastaff.forked import answer

    try:
        sent = conn.recv()
    except (EOFError, OSError):  # the command ended without a run to record
        conn.close()
        return
    answer(conn, lambda: (record_here(store, *sent),))


def record_here(store: str | None, command: str, run: dict, data: str, out: str, started: datetime, ended: datetime,
                tables: Mapping[str, pd.DataFrame] | None) -> str | None:
    """The run and each teacher's assignments in the run history, in this process: None, or a one-line warning."""
    from vastaff.store import record_safely, run_record, teacher_records

    teachers = teacher_records(*(tables.get(name) for name in TEACHER_TABLES)) if tables is not None else []
    return record_safely(store, run_record(command, run, data, out, started, ended), teachers)
