"""Named nights for the store tests, and the store's version-1 and version-2 schemas frozen as they were released.

Three nights of the tiny story used throughout: T00012 teaches ALG1 and GEO at site S1 on Monday, loses GEO
and moves to S2 on Tuesday (a displacement run the same day), and keeps Tuesday's load on Wednesday.
"""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import URL

from vastaff.store import RunRecord, TeacherRecord

SHA = {"mon": "a1" * 32, "tue": "b2" * 32, "wed": "c3" * 32}


def night(day: str, started: str, command: str = "solve", **overrides) -> RunRecord:
    """A run record of `day` (mon/tue/wed) started at `started` (UTC), five minutes long."""
    values = dict(command=command, started=started, ended=started.replace(":00:00Z", ":05:00Z"),
                  data_path=f"/srv/data/{day}", input_sha256=SHA[day], contract_model="VA 2025-2027",
                  status="OPTIMAL", plan_folder=f"/srv/plans/{day}", seed=7, cost_total=1200.0, vacancies=0,
                  changes=None)
    return RunRecord(**{**values, **overrides})


MONDAY = night("mon", "2025-08-11T03:00:00Z")
TUESDAY = night("tue", "2025-08-12T03:00:00Z", cost_total=2400.5, vacancies=2,
                changes={"periods": 1, "sections": 3, "teachers": 2}, cost_stipend=2400.0, cost_multigrade=0.5,
                cost_xtime=0.0, vacancy_sections=["GEO-03", "ALG1-04"])  # run.json's order, kept: not sorted
TUESDAY_DISPLACE = night("tue", "2025-08-12T09:00:00Z", command="displace", seed=None, cost_total=720.0,
                         vacancies=None, changes={"teachers": 5, "retained": 4, "moved_level": 0, "displaced": 1},
                         cost_xtime=720.0)
WEDNESDAY = night("wed", "2025-08-13T03:00:00Z", status="FEASIBLE")

T12_MON = TeacherRecord("T00012", ["GEO", "ALG1"], ["GEO-02@P4", "ALG1-01@P2"], "S1", "S1-101", ["M7", "M1"], 3,
                        1200.0, stipend_cost=1200.0, multigrade_cost=0.0, xtime_cost=0.0)
T12_TUE = TeacherRecord("T00012", ["ALG1"], ["ALG1-01@P2"], "S2", "S2-101", ["M1"], 3, 0.0)
T07 = TeacherRecord("T00007", "BIO", "BIO-01@P1", "home", None, "", 0, 0.0)


# --- versions 1 and 2, frozen: the schemas stores made by those releases have (never edit) ----------------------

def create_v1_store(url: URL) -> None:
    """A version-1 store holding Monday's run with T00012 and T00007, as the first release wrote it."""
    meta = sa.MetaData()
    tables = _v1_tables(meta)
    _write(url, meta, tables, version=1)


def create_v2_store(url: URL) -> None:
    """A version-2 store as the release of version 2 made it on first use (version 1's tables, the recording release,
    a note per teacher, the teacher index), holding Monday's run and Tuesday's displacement with its note."""
    meta = sa.MetaData()
    versions, runs, teachers = _v1_tables(meta)
    runs.append_column(sa.Column("vastaff_version", sa.String(40)))
    teachers.append_column(sa.Column("note", sa.Text))
    sa.Index("vastaff_run_teachers_teacher", teachers.c.teacher_id)

    def tuesday(conn) -> None:
        conn.execute(sa.insert(runs).values(
            command="displace", started="2025-08-12T09:00:00Z", ended="2025-08-12T09:05:00Z",
            data_path="/srv/data/tue", input_sha256=SHA["tue"], contract_model="VA 2025-2027", seed=None,
            status="OPTIMAL", cost_total=720.0, vacancies=None, changes='{"displaced": 1, "teachers": 5}',
            plan_folder="/srv/plans/tue", vastaff_version="0.2.0"))
        conn.execute(sa.insert(teachers).values(
            run_id=2, teacher_id="T00012", courses="", periods="", site="S2", room=None, iep_meetings="", caseload=0,
            cost=720.0, note="moved_level to middle (10.0(1))"))

    _write(url, meta, (versions, runs, teachers), version=2, more=tuesday)


def _v1_tables(meta: sa.MetaData) -> tuple[sa.Table, sa.Table, sa.Table]:
    versions = sa.Table("vastaff_schema", meta, sa.Column("version", sa.Integer, primary_key=True,
                                                            autoincrement=False),
                        sa.Column("applied_at", sa.String(32), nullable=False))
    runs = sa.Table(
        "vastaff_runs", meta, sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("command", sa.String(40), nullable=False), sa.Column("started", sa.String(32), nullable=False),
        sa.Column("ended", sa.String(32), nullable=False), sa.Column("data_path", sa.Text, nullable=False),
        sa.Column("input_sha256", sa.String(64), nullable=False), sa.Column("contract_model", sa.Text, nullable=False),
        sa.Column("seed", sa.Integer), sa.Column("status", sa.String(40), nullable=False),
        sa.Column("cost_total", sa.Double), sa.Column("vacancies", sa.Integer), sa.Column("changes", sa.Text),
        sa.Column("plan_folder", sa.Text, nullable=False))
    sa.Index("vastaff_runs_started", runs.c.started)
    teachers = sa.Table(
        "vastaff_run_teachers", meta,
        sa.Column("run_id", sa.Integer, sa.ForeignKey("vastaff_runs.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("teacher_id", sa.Text, primary_key=True), sa.Column("courses", sa.Text, nullable=False),
        sa.Column("periods", sa.Text, nullable=False), sa.Column("site", sa.Text), sa.Column("room", sa.Text),
        sa.Column("iep_meetings", sa.Text, nullable=False), sa.Column("caseload", sa.Integer, nullable=False),
        sa.Column("cost", sa.Double, nullable=False))
    return versions, runs, teachers


def _write(url: URL, meta: sa.MetaData, tables: tuple[sa.Table, sa.Table, sa.Table], version: int,
           more=lambda conn: None) -> None:
    """The store made with `meta` at `version` (one row: a release creates a store at its own version), holding
    Monday's run with T00012 and T00007 as version 1 wrote it, then whatever `more` writes."""
    versions, runs, teachers = tables
    engine = _engine(url)
    with engine.begin() as conn:
        meta.create_all(conn)
        conn.execute(sa.insert(versions).values(version=version, applied_at="2025-08-01T00:00:00Z"))
        conn.execute(sa.insert(runs).values(
            command="solve", started="2025-08-11T03:00:00Z", ended="2025-08-11T03:05:00Z", data_path="/srv/data/mon",
            input_sha256=SHA["mon"], contract_model="VA 2025-2027", seed=7, status="OPTIMAL", cost_total=1200.0,
            vacancies=0, changes=None, plan_folder="/srv/plans/mon"))
        conn.execute(sa.insert(teachers), [
            dict(run_id=1, teacher_id="T00012", courses="ALG1; GEO", periods="ALG1-01@P2; GEO-02@P4", site="S1",
                 room="S1-101", iep_meetings="M1; M7", caseload=3, cost=1200.0),
            dict(run_id=1, teacher_id="T00007", courses="BIO", periods="BIO-01@P1", site="home", room=None,
                 iep_meetings="", caseload=0, cost=0.0)])
        more(conn)
    engine.dispose()


def table_names(url: URL) -> set[str]:
    engine = _engine(url)
    try:
        with engine.connect() as conn:
            return set(sa.inspect(conn).get_table_names())
    finally:
        engine.dispose()


def scalar(url: URL, sql: str):
    """One value of a plain SQL query against the store (what any SQL client would see)."""
    engine = _engine(url)
    try:
        with engine.connect() as conn:
            return conn.exec_driver_sql(sql).scalar_one()
    finally:
        engine.dispose()


def rows(url: URL, sql: str) -> list[dict]:
    """The rows of a plain SQL query against the store, as dicts."""
    engine = _engine(url)
    try:
        with engine.connect() as conn:
            return [dict(row._mapping) for row in conn.exec_driver_sql(sql)]
    finally:
        engine.dispose()


def execute(url: URL, *statements: str) -> None:
    engine = _engine(url)
    try:
        with engine.begin() as conn:
            for sql in statements:
                conn.exec_driver_sql(sql)
    finally:
        engine.dispose()


def _engine(url: URL) -> sa.Engine:
    """A plain engine, as any SQL client would connect (an SQLite file's folder made first)."""
    if url.get_backend_name() == "sqlite":
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    return sa.create_engine(url)
