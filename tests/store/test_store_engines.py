"""The run store on both engines (docs/history.md): every test runs on SQLite and on a real
PostgreSQL server (tests/store/conftest.py), through the very same code."""

from __future__ import annotations

import multiprocessing
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from store_helpers import (MONDAY, T07, T12_MON, T12_TUE, TUESDAY, TUESDAY_DISPLACE, WEDNESDAY, create_v1_store,
                           create_v2_store, execute, night, rows, scalar, table_names)
from vastaff.store import (SCHEMA_VERSION, StoreError, TeacherRecord, count_runs, list_runs, record_run,
                           record_safely, shown, teacher_trail)
from vastaff.store import connect, schema
from vastaff.release import version as release

DISPLACED = TeacherRecord("T00012", site="S2", note="displaced (11.0), reports to S2")


def _story(url) -> list[int]:
    """Monday, Wednesday, then Tuesday's two runs: recorded out of order on purpose."""
    return [record_run(url, MONDAY, [T12_MON, T07]), record_run(url, WEDNESDAY, [T07]),
            record_run(url, TUESDAY, [T12_TUE, T07]), record_run(url, TUESDAY_DISPLACE, [DISPLACED])]


def test_runs_are_listed_newest_first_whatever_the_order_they_were_recorded_in(any_url):
    mon, wed, tue, tue_displace = _story(any_url)
    assert (mon, wed, tue, tue_displace) == (1, 2, 3, 4)
    listed = list_runs(any_url)
    assert [(r["id"], r["command"], r["started"]) for r in listed] == [
        (2, "solve", "2025-08-13T03:00:00Z"), (4, "displace", "2025-08-12T09:00:00Z"),
        (3, "solve", "2025-08-12T03:00:00Z"), (1, "solve", "2025-08-11T03:00:00Z")]
    assert [r["id"] for r in list_runs(any_url, limit=2)] == [2, 4]
    assert count_runs(any_url) == 4
    assert listed[2] == {
        "id": 3, "command": "solve", "started": "2025-08-12T03:00:00Z", "ended": "2025-08-12T03:05:00Z",
        "data_path": "/srv/data/tue", "input_sha256": "b2" * 32, "contract_model": "VA 2025-2027", "seed": 7,
        "status": "OPTIMAL", "cost_total": 2400.5, "vacancies": 2,
        "changes": {"periods": 1, "sections": 3, "teachers": 2}, "plan_folder": "/srv/plans/tue",
        "vastaff_version": release(), "cost_stipend": 2400.0, "cost_multigrade": 0.5, "cost_xtime": 0.0,
        "vacancy_sections": "GEO-03; ALG1-04"}
    assert (listed[1]["seed"], listed[1]["cost_total"], listed[1]["vacancies"]) == (None, 720.0, None)
    assert [listed[1][k] for k in ("cost_stipend", "cost_multigrade", "cost_xtime", "vacancy_sections")] == [
        None, None, 720.0, None]  # a displacement has only X-time, and no list of vacant sections


def test_a_teacher_trail_runs_night_by_night_across_runs(any_url):
    _story(any_url)
    trail = teacher_trail(any_url, "T00012")
    assert [(r["run_id"], r["command"], r["started"]) for r in trail] == [
        (1, "solve", "2025-08-11T03:00:00Z"), (3, "solve", "2025-08-12T03:00:00Z"),
        (4, "displace", "2025-08-12T09:00:00Z")]  # Wednesday's run has no row for T00012
    assert trail[0] == {
        "run_id": 1, "started": "2025-08-11T03:00:00Z", "ended": "2025-08-11T03:05:00Z", "command": "solve",
        "data_path": "/srv/data/mon", "status": "OPTIMAL", "input_sha256": "a1" * 32, "contract_model": "VA 2025-2027",
        "plan_folder": "/srv/plans/mon", "teacher_id": "T00012", "courses": "ALG1; GEO",
        "periods": "ALG1-01@P2; GEO-02@P4", "site": "S1", "room": "S1-101", "iep_meetings": "M1; M7",
        "caseload": 3, "cost": 1200.0, "note": None, "stipend_cost": 1200.0, "multigrade_cost": 0.0,
        "xtime_cost": 0.0}
    assert (trail[1]["courses"], trail[1]["site"], trail[1]["cost"]) == ("ALG1", "S2", 0.0)
    assert (trail[1]["stipend_cost"], trail[1]["multigrade_cost"], trail[1]["xtime_cost"]) == (None, None, None)
    assert (trail[2]["courses"], trail[2]["note"]) == ("", "displaced (11.0), reports to S2")
    assert [r["run_id"] for r in teacher_trail(any_url, " T00007 ")] == [1, 3, 2]
    assert teacher_trail(any_url, "T99999") == [] and teacher_trail(any_url, "t00012") == []


def test_a_run_and_its_teacher_rows_land_in_one_transaction(any_url):
    """A database failure on the last teacher row leaves no trace of the run: not the run row, not one teacher."""
    record_run(any_url, MONDAY, [T12_MON, T07])
    execute(any_url, *_refuse_teacher("T00099", any_url.get_backend_name()))
    bad = [T12_TUE, T07, TeacherRecord("T00099")]
    with pytest.raises(StoreError, match="refused T00099"):
        record_run(any_url, TUESDAY, bad)
    warning = record_safely(any_url.render_as_string(hide_password=False), TUESDAY, bad)
    assert warning.startswith(f"this run was not recorded (store {shown(any_url)}: ")
    assert "refused T00099" in warning and warning.endswith("; the plan is not affected.")
    assert [r["id"] for r in list_runs(any_url)] == [1]
    assert scalar(any_url, "SELECT count(*) FROM vastaff_run_teachers") == 2
    record_run(any_url, TUESDAY, [T12_TUE, T07])  # control: the same run without the refused teacher lands
    assert [r["started"] for r in list_runs(any_url)] == ["2025-08-12T03:00:00Z", "2025-08-11T03:00:00Z"]
    assert scalar(any_url, "SELECT count(*) FROM vastaff_run_teachers") == 4


def _refuse_teacher(teacher_id: str, engine: str) -> list[str]:
    """A trigger that makes the database itself refuse one teacher row (a failure after the run row is in)."""
    if engine == "sqlite":
        return [f"CREATE TRIGGER refuse BEFORE INSERT ON vastaff_run_teachers WHEN NEW.teacher_id = '{teacher_id}' "
                f"BEGIN SELECT RAISE(ABORT, 'refused {teacher_id}'); END"]
    return [f"CREATE FUNCTION refuse() RETURNS trigger AS $$ BEGIN IF NEW.teacher_id = '{teacher_id}' THEN "
            f"RAISE EXCEPTION 'refused {teacher_id}'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql",
            "CREATE TRIGGER refuse BEFORE INSERT ON vastaff_run_teachers FOR EACH ROW EXECUTE FUNCTION refuse()"]


def test_an_older_store_is_read_as_is_and_migrated_by_the_next_run(any_url):
    create_v1_store(any_url)
    old = list_runs(any_url)  # a reader never migrates: columns added since read as None
    assert [(r["id"], r["input_sha256"], r["vastaff_version"]) for r in old] == [(1, "a1" * 32, None)]
    assert teacher_trail(any_url, "T00012")[0]["note"] is None
    assert scalar(any_url, "SELECT max(version) FROM vastaff_schema") == 1

    record_run(any_url, TUESDAY_DISPLACE, [DISPLACED])
    engine = sa.create_engine(any_url)
    with engine.connect() as conn:
        assert [v for (v,) in conn.exec_driver_sql("SELECT version FROM vastaff_schema ORDER BY version")] == [1, 2, 3]
        indexes = {ix["name"] for ix in sa.inspect(conn).get_indexes("vastaff_run_teachers")}
    engine.dispose()
    assert SCHEMA_VERSION == 3 and "vastaff_run_teachers_teacher" in indexes
    trail = teacher_trail(any_url, "T00012")
    assert [(r["run_id"], r["courses"], r["note"]) for r in trail] == [
        (1, "ALG1; GEO", None), (2, "", "displaced (11.0), reports to S2")]
    assert [r["vastaff_version"] for r in list_runs(any_url)] == [release(), None]
    assert [r["cost_xtime"] for r in list_runs(any_url)] == [720.0, None]


NEW_RUN_COLUMNS = ("cost_stipend", "cost_multigrade", "cost_xtime", "vacancy_sections")
NEW_TEACHER_COLUMNS = ("stipend_cost", "multigrade_cost", "xtime_cost")


def test_a_version_2_store_is_read_as_is_its_version_3_columns_as_none(any_url):
    """A reader never migrates (ADDED_IN): the columns of version 3 are not in the store, and read as None."""
    create_v2_store(any_url)
    listed = list_runs(any_url)
    assert [(r["id"], r["command"], r["vastaff_version"], r["cost_total"]) for r in listed] == [
        (2, "displace", "0.2.0", 720.0), (1, "solve", None, 1200.0)]
    assert all(r[k] is None for r in listed for k in NEW_RUN_COLUMNS)
    trail = teacher_trail(any_url, "T00012")
    assert [(r["run_id"], r["cost"], r["note"]) for r in trail] == [
        (1, 1200.0, None), (2, 720.0, "moved_level to middle (10.0(1))")]
    assert all(r[k] is None for r in trail for k in NEW_TEACHER_COLUMNS)
    assert scalar(any_url, "SELECT max(version) FROM vastaff_schema") == 2
    assert "cost_xtime" not in _column_names(any_url, "vastaff_runs")


def test_a_version_2_store_is_migrated_to_3_by_the_next_run_keeping_its_rows(any_url):
    create_v2_store(any_url)
    record_run(any_url, TUESDAY, [T12_MON, T07])
    assert [r["version"] for r in rows(any_url, "SELECT version FROM vastaff_schema ORDER BY version")] == [2, 3]
    for table in (schema.runs, schema.run_teachers):  # the columns of a store made at version 3, in their order
        assert _column_names(any_url, table.name) == [c.name for c in table.c]
    monday, displacement, tuesday = rows(any_url, "SELECT * FROM vastaff_runs ORDER BY id")
    assert (displacement["command"], displacement["vastaff_version"], displacement["cost_total"]) == (
        "displace", "0.2.0", 720.0)
    assert [monday[k] for k in NEW_RUN_COLUMNS] == [displacement[k] for k in NEW_RUN_COLUMNS] == [None] * 4
    assert [tuesday[k] for k in NEW_RUN_COLUMNS] == [2400.0, 0.5, 0.0, "GEO-03; ALG1-04"]
    trail = teacher_trail(any_url, "T00012")  # night by night: Tuesday's solve (run 3) ran before its displacement
    assert [(r["run_id"], r["note"], r["cost"]) for r in trail] == [
        (1, None, 1200.0), (3, None, 1200.0), (2, "moved_level to middle (10.0(1))", 720.0)]
    assert [[r[k] for k in NEW_TEACHER_COLUMNS] for r in trail] == [[None] * 3, [1200.0, 0.0, 0.0], [None] * 3]


def _column_names(url, table: str) -> list[str]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return [c["name"] for c in sa.inspect(conn).get_columns(table)]
    finally:
        engine.dispose()


def test_a_store_newer_than_this_release_is_refused_not_damaged(any_url):
    record_run(any_url, MONDAY, [T07])
    newer = SCHEMA_VERSION + 1
    execute(any_url, f"INSERT INTO vastaff_schema (version, applied_at) VALUES ({newer}, '2030-01-01T00:00:00Z')")
    message = (f"store {shown(any_url)}: the store's schema is version {newer}, newer than this vastaff knows "
               f"({SCHEMA_VERSION}); upgrade vastaff")
    with pytest.raises(StoreError) as caught:
        record_run(any_url, TUESDAY, [T07])
    assert str(caught.value) == message
    with pytest.raises(StoreError, match="newer than this vastaff knows"):
        list_runs(any_url)
    assert record_safely(str(any_url), TUESDAY) == (f"this run was not recorded ({message}); "
                                                   "the plan is not affected.")
    assert scalar(any_url, "SELECT count(*) FROM vastaff_runs") == 1


def test_a_database_of_something_else_is_not_taken_for_a_store(any_url):
    execute(any_url, "CREATE TABLE vastaff_runs (id INTEGER PRIMARY KEY, what TEXT)")
    with pytest.raises(StoreError, match="has a vastaff_runs table but no vastaff_schema table: not a vastaff store"):
        record_run(any_url, MONDAY)
    with pytest.raises(StoreError, match="not a vastaff store"):
        list_runs(any_url)
    assert table_names(any_url) == {"vastaff_runs"}


def test_another_applications_tables_refuse_an_sqlite_file_but_not_a_shared_postgresql_database(any_url):
    """A mistyped --store/VASTAFF_STORE naming another application's SQLite file: refused, the file untouched
    (tests/store/test_store_sqlite.py checks its bytes). A PostgreSQL database may hold other applications' tables
    beside the `vastaff_` ones: there a first run creates the store."""
    execute(any_url, "CREATE TABLE attendance (teacher TEXT, day TEXT)")
    if any_url.get_backend_name() != "sqlite":
        record_run(any_url, MONDAY)
        assert len(list_runs(any_url)) == 1 and "attendance" in table_names(any_url)
        return
    message = (f"store {shown(any_url)}: the file holds table attendance of another application and no vastaff "
               "table: not a vastaff store; give --store or VASTAFF_STORE a file of its own")
    with pytest.raises(StoreError) as caught:
        record_run(any_url, MONDAY)
    assert str(caught.value) == message
    with pytest.raises(StoreError, match="not a vastaff store"):
        list_runs(any_url)
    assert table_names(any_url) == {"attendance"}


def test_an_empty_store_lists_nothing_and_creates_nothing(any_url):
    if any_url.get_backend_name() == "sqlite":
        assert not any(p.exists() for p in (_file(any_url), _file(any_url).parent))
    assert list_runs(any_url) == [] and teacher_trail(any_url, "T00012") == [] and count_runs(any_url) == 0
    if any_url.get_backend_name() == "sqlite":
        assert not _file(any_url).parent.exists()
    else:
        assert table_names(any_url) == set()


def _file(url) -> Path:
    return Path(url.database)


RUNS_EACH, TEACHERS_EACH = 6, 150


def _writer(url: str, writer: int, barrier) -> list[str | None]:
    """One process recording RUNS_EACH runs as fast as it can, after every writer is ready."""
    barrier.wait()
    teachers = [TeacherRecord(f"T{n:05d}", "ALG1", f"ALG1-{n:02d}@P1", "S1", caseload=n % 5, cost=float(n))
                for n in range(TEACHERS_EACH)]
    return [record_safely(url, night("mon", f"2025-08-{11 + i:02d}T0{writer}:00:00Z"), teachers)
            for i in range(RUNS_EACH)]


def test_two_runs_recording_at_once_both_land(any_url):
    """Two processes start on a store that does not exist yet (both create the schema) and write at once."""
    url = any_url.render_as_string(hide_password=False)
    context = multiprocessing.get_context("fork")
    with context.Manager() as manager, context.Pool(2) as pool:
        barrier = manager.Barrier(2)
        results = pool.starmap(_writer, [(url, 1, barrier), (url, 2, barrier)])
    assert results == [[None] * RUNS_EACH] * 2
    assert count_runs(any_url) == 2 * RUNS_EACH
    assert scalar(any_url, "SELECT count(*) FROM vastaff_run_teachers") == 2 * RUNS_EACH * TEACHERS_EACH
    assert scalar(any_url, "SELECT count(*) FROM vastaff_schema") == 1
    assert [r["started"][11:13] for r in teacher_trail(any_url, "T00042")].count("01") == RUNS_EACH


def test_a_store_held_by_another_writer_is_waited_for_a_bounded_time(any_url, monkeypatch):
    """Another session holds the write lock and never lets go: the run waits its bound, then is a warning."""
    record_run(any_url, MONDAY)
    monkeypatch.setattr(connect, "BUSY_SECONDS", 1)
    monkeypatch.setattr(connect, "LOCK_SECONDS", 1)
    holder = sa.create_engine(any_url)
    with holder.connect() as conn:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if any_url.get_backend_name() == "sqlite" else
                             "LOCK TABLE vastaff_runs IN ACCESS EXCLUSIVE MODE")
        start = time.monotonic()
        warning = record_safely(any_url.render_as_string(hide_password=False), TUESDAY)
        waited = time.monotonic() - start
        conn.rollback()
    holder.dispose()
    expected = "database is locked" if any_url.get_backend_name() == "sqlite" else "due to lock timeout"
    assert expected in warning and 0.9 <= waited < 4
    assert record_safely(any_url.render_as_string(hide_password=False), TUESDAY) is None  # control: lock gone
    assert count_runs(any_url) == 2
