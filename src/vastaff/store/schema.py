"""The store's tables (SQLAlchemy Core) and their migrations, kept by a version table (docs/history.md).

Why a version table and not Alembic: the store has two tables that the product itself creates on first use;
Alembic would add a dependency, a migrations folder to ship inside the wheel and a configuration to find it,
for what is here a list of plain functions — each run inside the same transaction as the run it records, on
SQLite and PostgreSQL alike (both run DDL transactionally), and each tested from the frozen older schema.

`vastaff_schema` holds one row per version applied (version, applied_at): the store's version is the largest.
Table names carry the `vastaff_` prefix so a store can share a PostgreSQL database with other applications.

Versions:
1. `vastaff_runs` and `vastaff_run_teachers` (one row per teacher per run).
2. `vastaff_runs.vastaff_version` (which release recorded the run), `vastaff_run_teachers.note` (what a command
   adds about the teacher, e.g. a displacement outcome) and an index on `teacher_id` for the audit trail.
3. The cost parts: run.json's `costs` on the run (`cost_stipend`, `cost_multigrade`, `cost_xtime`) with its vacant
   sections (`vacancy_sections`), teachers.csv's on the teacher (`stipend_cost`, `multigrade_cost`, `xtime_cost`).
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Callable

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from vastaff.store.connect import StoreError

SCHEMA_VERSION = 3
PG_LOCK_KEY = 0x76617374  # "vast": one advisory lock for every change to a PostgreSQL store's schema

metadata = sa.MetaData()

schema_versions = sa.Table(
    "vastaff_schema", metadata,
    sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("applied_at", sa.String(32), nullable=False),
)

runs = sa.Table(
    "vastaff_runs", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("command", sa.String(40), nullable=False),
    sa.Column("started", sa.String(32), nullable=False),  # UTC ISO 8601 text: sorts, and reads the same on both
    sa.Column("ended", sa.String(32), nullable=False),
    sa.Column("data_path", sa.Text, nullable=False),
    sa.Column("input_sha256", sa.String(64), nullable=False),
    sa.Column("contract_model", sa.Text, nullable=False),
    sa.Column("seed", sa.Integer),
    sa.Column("status", sa.String(40), nullable=False),
    sa.Column("cost_total", sa.Double),
    sa.Column("vacancies", sa.Integer),
    sa.Column("changes", sa.Text),  # JSON object text, or NULL without a previous plan
    sa.Column("plan_folder", sa.Text, nullable=False),
    sa.Column("vastaff_version", sa.String(40)),
    sa.Column("cost_stipend", sa.Double),      # run.json `costs`, dollars: NULL without a plan or without that part
    sa.Column("cost_multigrade", sa.Double),
    sa.Column("cost_xtime", sa.Double),
    sa.Column("vacancy_sections", sa.Text),    # vacant section IDs in run.json's order, "; "-joined; NULL: no list
)
sa.Index("vastaff_runs_started", runs.c.started)

run_teachers = sa.Table(
    "vastaff_run_teachers", metadata,
    sa.Column("run_id", sa.Integer, sa.ForeignKey("vastaff_runs.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("teacher_id", sa.Text, primary_key=True),
    sa.Column("courses", sa.Text, nullable=False),       # "ALG1; GEO"
    sa.Column("periods", sa.Text, nullable=False),       # "ALG1-01@P2; GEO-02@P4 (S1)"
    sa.Column("site", sa.Text),                          # site ID, "home", or NULL when not known
    sa.Column("room", sa.Text),
    sa.Column("iep_meetings", sa.Text, nullable=False),  # "M001; M007"
    sa.Column("caseload", sa.Integer, nullable=False),   # students carried (a count: no student IDs kept)
    sa.Column("cost", sa.Double, nullable=False),        # the teacher's stipend + differential + X-time, dollars
    sa.Column("note", sa.Text),
    sa.Column("stipend_cost", sa.Double),                # the parts of `cost` (teachers.csv), NULL when not known
    sa.Column("multigrade_cost", sa.Double),
    sa.Column("xtime_cost", sa.Double),
)
TEACHER_INDEX = sa.Index("vastaff_run_teachers_teacher", run_teachers.c.teacher_id)

VERSION_3_COLUMNS = (
    ("vastaff_runs", "cost_stipend", "DOUBLE PRECISION"), ("vastaff_runs", "cost_multigrade", "DOUBLE PRECISION"),
    ("vastaff_runs", "cost_xtime", "DOUBLE PRECISION"), ("vastaff_runs", "vacancy_sections", "TEXT"),
    ("vastaff_run_teachers", "stipend_cost", "DOUBLE PRECISION"),
    ("vastaff_run_teachers", "multigrade_cost", "DOUBLE PRECISION"),
    ("vastaff_run_teachers", "xtime_cost", "DOUBLE PRECISION"),
)
"""Version 3's columns (table, column, SQL type as version 3 adds them: frozen, like the migration that uses them)."""
ADDED_IN = {("vastaff_runs", "vastaff_version"): 2, ("vastaff_run_teachers", "note"): 2,
            **{(table, column): 3 for table, column, _ in VERSION_3_COLUMNS}}
"""Columns younger than version 1: a reader of an older store selects NULL for them instead of migrating it."""


def _to_version_2(conn: Connection) -> None:
    """Version 1 → 2: the recording release, a note per teacher, and the teacher index."""
    conn.exec_driver_sql("ALTER TABLE vastaff_runs ADD COLUMN vastaff_version VARCHAR(40)")
    conn.exec_driver_sql("ALTER TABLE vastaff_run_teachers ADD COLUMN note TEXT")
    TEACHER_INDEX.create(conn, checkfirst=True)


def _to_version_3(conn: Connection) -> None:
    """Version 2 → 3: the cost parts of a run and of each teacher, and a run's vacant sections (all NULL for the
    runs recorded before)."""
    for table, column, kind in VERSION_3_COLUMNS:
        conn.exec_driver_sql(f"ALTER TABLE {table} ADD COLUMN {column} {kind}")


MIGRATIONS: dict[int, Callable[[Connection], None]] = {1: _to_version_2, 2: _to_version_3}
"""version → the function that brings a store at that version to the next one."""


def stored_version(conn: Connection) -> int | None:
    """The store's schema version; None when it has no vastaff tables at all.

    Refused, as something else made it: a database with a `vastaff_runs` table but no version table, and an SQLite
    file with tables but none of vastaff's (another application's file, e.g. a mistyped VASTAFF_STORE). A
    PostgreSQL database may hold other applications' tables: the `vastaff_` prefix keeps the store apart there.
    """
    names = set(sa.inspect(conn).get_table_names())
    if schema_versions.name not in names:
        if names & {runs.name, run_teachers.name}:
            raise StoreError(f"the database has a {runs.name} table but no {schema_versions.name} table: "
                             "not a vastaff store")
        if names and conn.dialect.name == "sqlite":
            raise StoreError(f"the file holds {_listed(names)} of another application and no vastaff table: not a "
                             "vastaff store; give --store or VASTAFF_STORE a file of its own")
        return None
    return conn.execute(sa.select(sa.func.max(schema_versions.c.version))).scalar_one_or_none()


def _listed(names: set[str], shown: int = 3) -> str:
    """`names` as a message lists them: "table attendance", "tables a, b, c and 4 more"."""
    first = sorted(names)[:shown]
    more = f" and {len(names) - shown} more" if len(names) > shown else ""
    return f"table{'s' if len(names) > 1 else ''} {', '.join(first)}{more}"


def readable_version(conn: Connection) -> int | None:
    """The version a reader may rely on: None when empty; an error when newer than this release knows."""
    version = stored_version(conn)
    if version is not None and version > SCHEMA_VERSION:
        raise StoreError(f"the store's schema is version {version}, newer than this vastaff knows "
                         f"({SCHEMA_VERSION}); upgrade vastaff")
    return version


def ensure_schema(conn: Connection) -> int:
    """Create the schema, or migrate it to SCHEMA_VERSION, inside the caller's transaction; returns the version.

    On PostgreSQL an advisory transaction lock makes two runs that create or migrate at once take turns
    (SQLite's `BEGIN IMMEDIATE` already does).
    """
    if conn.dialect.name == "postgresql":
        conn.execute(sa.select(sa.func.pg_advisory_xact_lock(PG_LOCK_KEY)))
    version = readable_version(conn)
    if version is None:
        metadata.create_all(conn)
        _stamp(conn, SCHEMA_VERSION)
        return SCHEMA_VERSION
    while version < SCHEMA_VERSION:
        MIGRATIONS[version](conn)
        version += 1
        _stamp(conn, version)
    return version


def _stamp(conn: Connection, version: int) -> None:
    applied = datetime.now(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")
    conn.execute(sa.insert(schema_versions).values(version=version, applied_at=applied))


def columns(table: sa.Table, version: int) -> list:
    """`table`'s columns as a store at `version` has them: a column added later reads as NULL."""
    return [sa.null().label(c.name) if ADDED_IN.get((table.name, c.name), 1) > version else c for c in table.c]
