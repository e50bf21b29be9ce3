"""Recording runs and reading them back (docs/history.md): the store's whole interface.

`record_run` writes one run and its teacher rows in ONE transaction (after creating or migrating the schema in
that same transaction), so a reader never sees half a run. `record_safely` is what the commands call: it never
raises, and turns any failure into a one-line warning — a store that cannot be written never costs the plan.
`list_runs` and `teacher_trail` return plain dicts, newest run first and night by night respectively; they
never create or migrate a store (a reader of an older store sees the newer columns as None).
"""

from __future__ import annotations

import json
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable, Iterator

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from vastaff.store.connect import StoreError, open_engine, resolve_url, shown, sqlite_file
from vastaff.store.records import RunRecord, TeacherRecord, run_row, teacher_rows
from vastaff.store.schema import columns, ensure_schema, readable_version, run_teachers, runs

Teachers = Iterable[TeacherRecord] | pd.DataFrame | None
TRAIL_RUN_COLUMNS = ("started", "ended", "command", "data_path", "status", "input_sha256", "contract_model",
                     "plan_folder")


def store_url(store: URL | str | None = None) -> URL:
    """A URL as given, or the one `--store`/VASTAFF_STORE/the default resolve to; an error when the store is off."""
    if isinstance(store, URL):
        return store
    url = resolve_url(store)
    if url is None:
        raise StoreError("the store is off (VASTAFF_STORE or --store is 'off')")
    return url


def record_run(store: URL | str | None, run: RunRecord, teachers: Teachers = ()) -> int:
    """Record `run` and its teacher rows in one transaction; returns the run's id.

    Creates the SQLite file (and its folder) or the schema on first use, migrates an older schema first.
    A bad record is a ValueError before anything is written; a store failure a StoreError.
    """
    url = store_url(store)
    values, rows = run_row(run), teacher_rows(teachers)
    _read_before_writing(url)
    with _translated(url):
        if (path := sqlite_file(url)) is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        engine = open_engine(url, write=True)
        try:
            with engine.begin() as conn:
                ensure_schema(conn)
                run_id = conn.execute(sa.insert(runs).values(**values)).inserted_primary_key[0]
                if rows:
                    conn.execute(sa.insert(run_teachers), [{"run_id": run_id, **row} for row in rows])
        finally:
            engine.dispose()
    return int(run_id)


def _read_before_writing(url: URL) -> None:
    """An existing SQLite file is looked at read-only before it is written: the writer's first statement switches
    the file to WAL, a write, so a file that is not a store (schema.stored_version: another application's tables, a
    newer schema) must be refused before the writer opens it, and is left byte for byte as it was."""
    path = sqlite_file(url)
    if path is not None and path.is_file():
        with _reading(url):
            pass


def record_safely(store: str | None, run: RunRecord, teachers: Teachers = ()) -> str | None:
    """`record_run` that never raises: None when recorded (or the store is off), else a one-line warning, which
    the command prints after its own `warning: ` (the text carries no prefix of its own).

    Any failure counts — an unwritable path, a bad URL, a server down, a missing driver, a bad record, a file of
    another application.
    """
    where = "the run history"
    try:
        url = resolve_url(store)
        if url is None:
            return None
        where = shown(url)
        record_run(url, run, teachers)
        return None
    except StoreError as exc:
        detail = str(exc)
    except Exception as exc:  # noqa: BLE001 — by design: the plan is already written and must stay so
        detail = f"store {where}: {reason(exc)}"
    return f"this run was not recorded ({detail}); the plan is not affected."


def list_runs(store: URL | str | None = None, limit: int = 20) -> list[dict]:
    """The last `limit` runs, newest first (by start time, then by id); [] for an empty or absent store."""
    url = store_url(store)
    with _reading(url) as (conn, version):
        if version is None:
            return []
        query = (sa.select(*columns(runs, version)).order_by(runs.c.started.desc(), runs.c.id.desc())
                 .limit(max(int(limit), 0)))
        return [_plain(row) for row in conn.execute(query)]


def count_runs(store: URL | str | None = None) -> int:
    """How many runs the store holds (0 for an empty or absent store)."""
    url = store_url(store)
    with _reading(url) as (conn, version):
        return 0 if version is None else conn.execute(sa.select(sa.func.count()).select_from(runs)).scalar_one()


def teacher_trail(store: URL | str | None, teacher_id: str) -> list[dict]:
    """One teacher's rows across runs, night by night (oldest first): the run's when/what, then the teacher's."""
    url = store_url(store)
    with _reading(url) as (conn, version):
        if version is None:
            return []
        run_cols = [runs.c.id.label("run_id")] + [runs.c[name] for name in TRAIL_RUN_COLUMNS]
        teacher_cols = [c for c in columns(run_teachers, version) if c.name != "run_id"]
        query = (sa.select(*run_cols, *teacher_cols).join_from(runs, run_teachers)
                 .where(run_teachers.c.teacher_id == teacher_id.strip())
                 .order_by(runs.c.started, runs.c.id))
        return [_plain(row) for row in conn.execute(query)]


@contextmanager
def _reading(url: URL) -> Iterator[tuple[sa.Connection | None, int | None]]:
    """A read-only look at the store with its schema version; (None, None) when an SQLite file is absent."""
    path = sqlite_file(url)
    if path is not None and not path.is_file():
        if path.exists():
            raise StoreError(f"store {shown(url)}: {path} is not a file")
        if _loops(path):  # an audit's `ln -s h.db h.db` read as an empty history
            raise StoreError(f"store {shown(url)}: {path} is a symbolic link that leads back to itself (a loop)")
        yield None, None
        return
    with _translated(url):
        engine = open_engine(url, write=False)
        try:
            with engine.connect() as conn:
                yield conn, readable_version(conn)
        finally:
            engine.dispose()


def _loops(path: Path) -> bool:
    """Whether PATH is a loop of symbolic links (a link to a missing file is not: that store has no run yet)."""
    try:
        path.resolve(strict=True)
    except FileNotFoundError:
        return False
    except (RuntimeError, OSError):  # Python 3.11: RuntimeError on a loop; later ones OSError (ELOOP)
        return True
    return False


@contextmanager
def _translated(url: URL) -> Iterator[None]:
    """Database, file-system and driver failures as one StoreError line naming the store (password hidden)."""
    try:
        yield
    except StoreError as exc:
        raise StoreError(f"store {shown(url)}: {exc}") from None
    except (SQLAlchemyError, OSError, ImportError) as exc:
        raise StoreError(f"store {shown(url)}: {reason(exc)}") from None


def reason(exc: BaseException) -> str:
    """The first line of what went wrong, without SQLAlchemy's SQL echo and links."""
    if isinstance(exc, DBAPIError) and exc.orig is not None:
        exc = exc.orig
    if isinstance(exc, ModuleNotFoundError):
        return f"the database driver is not installed ({exc})"
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    return lines[0] if lines else type(exc).__name__


def _plain(row: sa.Row) -> dict:
    record = dict(row._mapping)
    if record.get("changes") is not None:
        record["changes"] = json.loads(record["changes"])
    return record
