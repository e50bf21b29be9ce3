"""Where the store is (`--store` > VASTAFF_STORE > runs/vastaff.db) and SQLite's own cases: the default file,
WAL, and stores that cannot be written — a warning, never an exception (docs/history.md)."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from store_helpers import MONDAY, T07, T12_MON, TUESDAY
from vastaff.store import StoreError, list_runs, record_run, record_safely, resolve_url, shown, store_url
from vastaff.store.connect import ACCEPTED

WARNING = "this run was not recorded ({}); the plan is not affected."


def test_the_store_value_wins_over_the_environment_which_wins_over_the_default(tmp_path):
    env = {"VASTAFF_STORE": "/srv/history.db"}
    assert str(resolve_url(None, {}, tmp_path)) == f"sqlite:///{tmp_path}/runs/vastaff.db"
    assert str(resolve_url(None, env, tmp_path)) == "sqlite:////srv/history.db"
    assert str(resolve_url("mine.db", env, tmp_path)) == f"sqlite:///{tmp_path}/mine.db"
    assert str(resolve_url("  ", env, tmp_path)) == "sqlite:////srv/history.db"  # blank counts as unset
    assert str(resolve_url(None, {"VASTAFF_STORE": ""}, tmp_path)) == f"sqlite:///{tmp_path}/runs/vastaff.db"


def test_off_records_nothing_and_wins_over_the_environment(tmp_path):
    assert resolve_url("off", {"VASTAFF_STORE": "/srv/history.db"}, tmp_path) is None
    assert resolve_url(None, {"VASTAFF_STORE": "OFF"}, tmp_path) is None
    assert resolve_url(None, {"VASTAFF_STORE": "off"}, tmp_path) is None
    with pytest.raises(StoreError, match=r"^the store is off \(VASTAFF_STORE or --store is 'off'\)$"):
        store_url("off")


def test_paths_and_sqlite_urls_become_absolute_files(tmp_path):
    assert str(resolve_url("hist/a.db", {}, tmp_path)) == f"sqlite:///{tmp_path}/hist/a.db"
    assert str(resolve_url("sqlite:///rel.db", {}, tmp_path)) == f"sqlite:///{tmp_path}/rel.db"
    assert str(resolve_url("sqlite:////abs/a.db", {}, tmp_path)) == "sqlite:////abs/a.db"
    assert str(resolve_url("~/a.db", {}, tmp_path)) == f"sqlite:///{Path.home()}/a.db"
    assert shown(resolve_url("hist/a.db", {}, tmp_path)) == f"{tmp_path}/hist/a.db"


def test_postgresql_urls_are_taken_and_their_passwords_never_shown(tmp_path):
    url = resolve_url("postgres://chair:s3cret@db.example.org:5433/staffing", {}, tmp_path)
    assert url.get_backend_name() == "postgresql" and url.password == "s3cret"
    assert shown(url) == "postgresql://chair:***@db.example.org:5433/staffing"
    local = resolve_url("postgresql://vastaff@/staffing?host=/run/postgresql", {}, tmp_path)
    assert shown(local) == "postgresql://vastaff@/staffing?host=/run/postgresql"


@pytest.mark.parametrize("value, message", [
    ("mysql://chair:s3cret@h/db", f"store URL mysql://chair:***@h/db is neither SQLite nor PostgreSQL; "
                                  f"expected {ACCEPTED}"),
    ("sqlite://", f"store URL sqlite:// names no file (an in-memory store keeps nothing); expected {ACCEPTED}"),
    ("sqlite:///:memory:", "store URL sqlite:///:memory: names no file (an in-memory store keeps nothing); "
                           f"expected {ACCEPTED}"),
    ("://chair:s3cret@h", "store URL '://chair:***@h' is not a URL (Could not parse SQLAlchemy URL from given URL "
                          f"string); expected {ACCEPTED}"),
])
def test_a_url_that_is_no_store_is_one_line_without_the_password(tmp_path, value, message):
    with pytest.raises(StoreError) as caught:
        resolve_url(value, {}, tmp_path)
    assert str(caught.value) == message
    assert record_safely(value, MONDAY) == WARNING.format(message)


def test_the_default_store_is_runs_vastaff_db_made_on_first_record_only(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("VASTAFF_STORE", raising=False)
    assert list_runs() == [] and not (tmp_path / "runs").exists()  # reading creates nothing
    assert record_safely(None, MONDAY, [T12_MON, T07]) is None
    assert (tmp_path / "runs" / "vastaff.db").is_file()
    assert [r["input_sha256"] for r in list_runs()] == [MONDAY.input_sha256]
    monkeypatch.setenv("VASTAFF_STORE", "off")
    assert record_safely(None, TUESDAY) is None  # off: nothing recorded, nothing said
    monkeypatch.delenv("VASTAFF_STORE")
    assert len(list_runs()) == 1


def test_a_written_store_uses_the_wal_journal(sqlite_url):
    record_run(sqlite_url, MONDAY)
    engine = sa.create_engine(sqlite_url)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar_one() == "wal"
    engine.dispose()


def test_a_store_that_cannot_be_written_is_a_warning_and_the_record_call_returns(tmp_path, monkeypatch):
    """As root, permissions stop nothing: the paths are made impossible instead (a file in the way, a folder
    where the file should be, a file that is no database)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("VASTAFF_STORE", raising=False)
    (tmp_path / "runs").write_text("not a folder")
    (tmp_path / "folder.db").mkdir()
    (tmp_path / "notes.db").write_text("minutes of the chapter meeting\n" * 200)
    assert record_safely(None, MONDAY) == WARNING.format(
        f"store {tmp_path}/runs/vastaff.db: [Errno 17] File exists: '{tmp_path}/runs'")
    assert record_safely("folder.db", MONDAY) == WARNING.format(
        f"store {tmp_path}/folder.db: unable to open database file")
    assert record_safely("notes.db", MONDAY) == WARNING.format(f"store {tmp_path}/notes.db: file is not a database")
    assert (tmp_path / "notes.db").read_text() == "minutes of the chapter meeting\n" * 200
    with pytest.raises(StoreError, match=f"^store {tmp_path}/folder.db: {tmp_path}/folder.db is not a file$"):
        list_runs("folder.db")


def test_another_applications_sqlite_file_is_a_warning_and_is_never_written(tmp_path):
    """The run is not recorded, one warning line (the plan goes on), and the file keeps its bytes: no vastaff table,
    no switch to WAL, no -wal or -shm file beside it."""
    import sqlite3

    db = tmp_path / "attendance.db"
    with sqlite3.connect(db) as conn:
        conn.executescript("CREATE TABLE attendance (teacher, day); CREATE TABLE staff (id); CREATE TABLE days (d);"
                           "CREATE TABLE terms (t); INSERT INTO attendance VALUES ('T1', 'mon');")
    before = db.read_bytes()
    assert record_safely(str(db), MONDAY, [T07]) == WARNING.format(
        f"store {db}: the file holds tables attendance, days, staff and 1 more of another application and no vastaff "
        "table: not a vastaff store; give --store or VASTAFF_STORE a file of its own")
    assert db.read_bytes() == before and sorted(p.name for p in tmp_path.iterdir()) == ["attendance.db"]


def test_a_bad_record_is_refused_before_anything_is_written(sqlite_url):
    db = shown(sqlite_url)
    assert record_safely(str(sqlite_url), MONDAY, [T07, T07]) == WARNING.format(
        f"store {db}: teacher 'T00007' appears twice in one run")
    with pytest.raises(ValueError, match="^run status '' must be 1 to 40 characters$"):
        record_run(sqlite_url, MONDAY.__class__(**{**MONDAY.__dict__, "status": ""}))
    assert not Path(sqlite_url.database).exists()
