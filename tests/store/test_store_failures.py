"""A PostgreSQL store that cannot be reached never costs the plan, and never hangs it: a warning within seconds
(docs/history.md). The servers here are real: the session's own PostgreSQL
(tests/store/conftest.py), a socket folder with no server, a TCP port that accepts and never answers."""

from __future__ import annotations

import importlib.util
import socket
import time

import pytest

from store_helpers import MONDAY, T07, TUESDAY
from vastaff.store import StoreError, list_runs, record_run, record_safely, teacher_trail
from vastaff.store.connect import CONNECT_SECONDS

WARNING = "this run was not recorded ({}); the plan is not affected."


def test_a_url_given_as_text_reaches_the_server(pg_server):
    url = pg_server.fresh_database()
    text = f"postgresql://vastaff@/{url.database}?host={pg_server.socket_dir}"
    assert record_safely(text, MONDAY, [T07]) is None and record_safely(text, TUESDAY, [T07]) is None
    assert [r["input_sha256"][:2] for r in list_runs(text)] == ["b2", "a1"]
    assert [r["run_id"] for r in teacher_trail(text, "T00007")] == [1, 2]


def test_a_database_or_a_role_the_server_does_not_have(pg_server):
    where = f"postgresql://vastaff@/nowhere?host={pg_server.socket_dir}"
    warning = record_safely(where, MONDAY)
    assert warning.startswith(f"this run was not recorded (store {where}: connection ")
    assert warning.endswith('database "nowhere" does not exist); the plan is not affected.')
    stranger = f"postgresql://stranger:s3cret@/postgres?host={pg_server.socket_dir}"
    warning = record_safely(stranger, MONDAY)
    assert 'role "stranger" does not exist' in warning and "s3cret" not in warning and "stranger:***@" in warning


def test_a_server_that_is_down_is_a_warning_naming_the_socket(tmp_path):
    where = f"postgresql://vastaff:s3cret@/staffing?host={tmp_path}"
    warning = record_safely(where, MONDAY)
    shown = f"postgresql://vastaff:***@/staffing?host={tmp_path}"
    assert warning.startswith(f"this run was not recorded (store {shown}: connection ")
    assert warning.endswith(f'socket "{tmp_path}/.s.PGSQL.5432" failed: No such file or directory); the plan is '
                            "not affected.")
    with pytest.raises(StoreError, match="No such file or directory"):
        list_runs(where)


def test_a_server_that_never_answers_costs_seconds_not_the_night():
    """A port that accepts connections and says nothing (a jammed server): the connect timeout ends it."""
    with socket.socket() as jammed:
        jammed.bind(("127.0.0.1", 0))
        jammed.listen(8)
        where = f"postgresql://vastaff@127.0.0.1:{jammed.getsockname()[1]}/staffing"
        start = time.monotonic()
        warning = record_safely(where, MONDAY)
        waited = time.monotonic() - start
    assert warning == WARNING.format(f"store {where}: connection timeout expired")
    assert CONNECT_SECONDS - 1 <= waited < CONNECT_SECONDS + 3


def test_a_missing_driver_is_a_warning(tmp_path):
    assert importlib.util.find_spec("pg8000") is None  # the control: this driver is not installed here
    where = "postgresql+pg8000://vastaff@localhost/staffing"
    assert record_safely(where, MONDAY) == WARNING.format(
        f"store {where}: the database driver is not installed (No module named 'pg8000')")
    with pytest.raises(StoreError, match=r"the database driver is not installed \(No module named 'pg8000'\)"):
        record_run(where, MONDAY)
