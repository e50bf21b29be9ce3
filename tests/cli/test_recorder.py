"""cli/recorder.py: `vastaff solve`'s run recorded by its history process is the row recorded here; a process that
cannot be forked or is gone before the run is sent costs nothing (the run is recorded here); one that ends after the
run was sent is a warning, never a second row; an error making the record is raised here, as it always was."""

from __future__ import annotations

import os
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd
import pytest

import vastaff.store
from vastaff import forked
from vastaff.cli import recorder
from vastaff.cli.recorder import LOST, HistoryJob, record_here
from vastaff.store import list_runs, teacher_trail

STARTED = datetime(2026, 12, 7, 8, 0, tzinfo=timezone.utc)
RUN = {"status": "OPTIMAL", "costs": {"total": 3600.0}, "vacancies": {"count": 0}, "wall_seconds": 1.5}
TABLES = {"teachers": pd.DataFrame({"teacher_id": ["T1", "T2"], "school_id": ["VA01", "VA01"]}),
          "sections": pd.DataFrame({"section_id": ["S1"], "teacher_id": ["T1"], "course_id": ["MA1"],
                                    "period": [1], "term": ["year"]})}


def _recorded(store) -> tuple[list[tuple], list]:
    """The store's runs (command, status, cost, the plan folder's name: stored absolute) and T1's trail of courses."""
    runs = [(r["command"], r["status"], r["cost_total"], Path(r["plan_folder"]).name) for r in list_runs(str(store))]
    return runs, [r["courses"] for r in teacher_trail(str(store), "T1")]


def test_the_history_process_records_the_row_recorded_here(tmp_path):
    there, here = tmp_path / "there.db", tmp_path / "here.db"
    job = HistoryJob(str(there))
    if forked.cores() >= 2:
        assert job._process is not None and job._process.pid != os.getpid()
    assert job.record("solve", RUN, "data", "plan", STARTED, TABLES) is None
    assert job._process is None  # joined
    ended = datetime.now(timezone.utc)
    assert record_here(str(here), "solve", RUN, "data", "plan", STARTED, ended, TABLES) is None
    assert _recorded(there) == _recorded(here) == ([("solve", "OPTIMAL", 3600.0, "plan")], ["MA1"])


def test_a_run_without_a_plan_is_recorded_without_teachers(tmp_path):
    store = tmp_path / "history.db"
    assert HistoryJob(str(store)).record("solve", {"status": "INFEASIBLE"}, "data", "plan.infeasible.json", STARTED,
                                         None) is None
    assert _recorded(store) == ([("solve", "INFEASIBLE", None, "plan.infeasible.json")], [])


def test_one_core_records_here(tmp_path, monkeypatch):
    monkeypatch.setattr(forked, "cores", lambda: 1)
    job = HistoryJob(str(tmp_path / "history.db"))
    assert job._process is None
    assert job.record("solve", RUN, "data", "plan", STARTED, TABLES) is None
    assert _recorded(tmp_path / "history.db")[0] == [("solve", "OPTIMAL", 3600.0, "plan")]


def test_a_process_gone_before_the_run_is_sent_is_replaced_by_recording_here(tmp_path):
    job = HistoryJob(str(tmp_path / "history.db"))
    if job._process is not None:
        job._process.kill()
        job._process.join()
    assert job.record("solve", RUN, "data", "plan", STARTED, TABLES) is None
    assert _recorded(tmp_path / "history.db")[0] == [("solve", "OPTIMAL", 3600.0, "plan")]


def _dies_with_the_run(store, conn) -> None:
    conn.recv()
    os._exit(1)


def test_a_process_that_ends_after_the_run_was_sent_is_a_warning_and_never_a_second_row(tmp_path, monkeypatch):
    monkeypatch.setattr(recorder, "_serve", _dies_with_the_run)
    job = HistoryJob(str(tmp_path / "history.db"))
    if job._process is None:
        pytest.skip("one core or no fork: nothing is forked")
    assert job.record("solve", RUN, "data", "plan", STARTED, TABLES) == LOST
    assert not (tmp_path / "history.db").exists()


def test_an_error_making_the_record_is_raised_here(tmp_path, monkeypatch):
    def broken(*tables):
        raise ValueError("a teachers table without teacher_id")

    monkeypatch.setattr(vastaff.store, "teacher_records", broken)
    with pytest.raises(ValueError, match="without teacher_id"):
        HistoryJob(str(tmp_path / "history.db")).record("solve", RUN, "data", "plan", STARTED, TABLES)


def test_a_command_that_ends_without_a_run_leaves_the_store_untouched(tmp_path):
    job = HistoryJob(str(tmp_path / "history.db"))
    process = job._process
    job.close()
    assert process is None or not process.is_alive()
    assert not (tmp_path / "history.db").exists()


def test_tables_sent_ahead_give_the_rows_of_tables_sent_with_the_run(tmp_path):
    ahead, here = tmp_path / "ahead.db", tmp_path / "here.db"
    job = HistoryJob(str(ahead))
    job.plan(TABLES)
    assert job.record("solve", RUN, "data", "plan", STARTED, TABLES) is None
    assert record_here(str(here), "solve", RUN, "data", "plan", STARTED, STARTED, TABLES) is None
    assert _recorded(ahead) == _recorded(here) == ([("solve", "OPTIMAL", 3600.0, "plan")], ["MA1"])


def test_an_error_making_the_rows_ahead_is_raised_with_the_run(tmp_path, monkeypatch):
    def broken(*tables):
        raise ValueError("a teachers table without teacher_id")

    monkeypatch.setattr(vastaff.store, "teacher_records", broken)
    job = HistoryJob(str(tmp_path / "history.db"))
    job.plan(TABLES)  # no error yet: the plan is still to be written
    with pytest.raises(ValueError, match="without teacher_id"):
        job.record("solve", RUN, "data", "plan", STARTED, TABLES)
    assert not (tmp_path / "history.db").exists()


def test_tables_sent_ahead_of_a_plan_never_written_record_nothing(tmp_path):
    job = HistoryJob(str(tmp_path / "history.db"))
    job.plan(TABLES)
    process = job._process
    job.close()  # the plan could not be written (exit 4): no run is sent
    assert process is None or not process.is_alive()
    assert not (tmp_path / "history.db").exists()


def test_a_process_gone_after_the_tables_is_replaced_by_recording_here(tmp_path):
    job = HistoryJob(str(tmp_path / "history.db"))
    job.plan(TABLES)
    if job._process is not None:
        job._process.kill()
        job._process.join()
    assert job.record("solve", RUN, "data", "plan", STARTED, TABLES) is None
    assert _recorded(tmp_path / "history.db") == ([("solve", "OPTIMAL", 3600.0, "plan")], ["MA1"])


class _Unpicklable:
    def __reduce__(self):
        raise TypeError("cannot pickle this cell")


def test_tables_that_cannot_be_sent_are_recorded_here(tmp_path):
    """A table the pipe cannot carry costs nothing but the process: the rows are made and recorded here."""
    tables = {**TABLES, "caseloads": pd.DataFrame({"teacher_id": ["T1"], "student_id": [_Unpicklable()]})}
    job = HistoryJob(str(tmp_path / "history.db"))
    job.plan(tables)
    assert job._process is None  # closed: the tables never went there
    assert job.record("solve", RUN, "data", "plan", STARTED, tables) is None
    assert _recorded(tmp_path / "history.db") == ([("solve", "OPTIMAL", 3600.0, "plan")], ["MA1"])


OFF_IN_A_FRESH_PROCESS = """
import sys
from datetime import datetime, timezone
from vastaff.cli.recorder import HistoryJob
job = HistoryJob(sys.argv[1])
job.plan({})
print(job._process is None, job.record("solve", {}, "data", "plan", datetime.now(timezone.utc), None),
      "sqlalchemy" in sys.modules)
"""


@pytest.mark.parametrize("store, env", [("off", None), ("OFF", "history.db"), (None, " off ")])
def test_a_history_that_is_off_forks_nothing_imports_nothing_and_records_nothing(tmp_path, store, env):
    import subprocess
    import sys

    environ = {k: v for k, v in os.environ.items() if k != "VASTAFF_STORE"} | ({"VASTAFF_STORE": env} if env else {})
    proc = subprocess.run([sys.executable, "-c", OFF_IN_A_FRESH_PROCESS, *([store] if store else [""])],
                          capture_output=True, text=True, cwd=tmp_path, env=environ, check=True)
    assert proc.stdout.split() == ["True", "None", "False"]
    assert list(tmp_path.iterdir()) == []  # no runs/vastaff.db, no history.db
