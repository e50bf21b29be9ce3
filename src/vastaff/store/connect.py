"""Where the run history lives and how to reach it (docs/history.md, "Where the store is").

The URL is the `--store` value, else the `VASTAFF_STORE` environment variable, else the SQLite file
`runs/vastaff.db` under the working directory. A value without `://` is a file path (an SQLite store);
`off` records nothing. Only SQLite and PostgreSQL are accepted: the two engines the tests run against.

Every connection is bounded: SQLite waits at most BUSY_SECONDS for another writer, PostgreSQL at most
CONNECT_SECONDS to connect and LOCK_SECONDS / STATEMENT_SECONDS per lock and statement, so a dead or jammed
store delays a nightly plan by seconds, never hangs it.
"""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path
from typing import Mapping
from urllib.parse import unquote

import sqlalchemy as sa
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.pool import NullPool

from vastaff.store.choice import OFF, chosen

DEFAULT_FILE = Path("runs") / "vastaff.db"
BUSY_SECONDS = 20  # two nightly runs finishing together: the second waits for the first one's transaction
CONNECT_SECONDS = 5
LOCK_SECONDS = 10
STATEMENT_SECONDS = 60
ACCEPTED = "an SQLite file path, sqlite:///FILE, postgresql://USER@HOST/DB or off"


class StoreError(Exception):
    """The store cannot be used: one line, password never shown."""


def resolve_url(store: str | None = None, env: Mapping[str, str] | None = None,
                cwd: Path | None = None) -> URL | None:
    """The store's URL: `--store` > VASTAFF_STORE > `<cwd>/runs/vastaff.db`; None when the value is `off`.

    An empty value counts as unset. A relative SQLite path is made absolute against `cwd`.
    """
    cwd = Path.cwd() if cwd is None else cwd
    value = chosen(store, env)
    if value is None:
        return _sqlite(cwd / DEFAULT_FILE)
    if value.lower() == OFF:
        return None
    if "://" not in value:
        return _sqlite(cwd / Path(value).expanduser())
    return _parsed(value, cwd)


def _parsed(value: str, cwd: Path) -> URL:
    """A URL given as text, checked: SQLite with a file, or PostgreSQL (`postgres://` read as `postgresql://`)."""
    if value.startswith("postgres://"):
        value = "postgresql://" + value[len("postgres://"):]
    try:
        url = make_url(value)
    except (ArgumentError, ValueError) as exc:
        raise StoreError(f"store URL {_redacted(value)!r} is not a URL ({exc}); expected {ACCEPTED}") from None
    if url.get_backend_name() == "postgresql":
        return url
    if url.get_backend_name() != "sqlite":
        raise StoreError(f"store URL {_redacted(value)} is neither SQLite nor PostgreSQL; expected {ACCEPTED}")
    if not url.database or url.database == ":memory:":
        raise StoreError(f"store URL {_redacted(value)} names no file (an in-memory store keeps nothing); "
                         f"expected {ACCEPTED}")
    if url.database.startswith("file:"):
        raise StoreError(f"store URL {_redacted(value)} is an SQLite URI filename; give the file's path instead")
    return _sqlite(cwd / Path(url.database).expanduser(), url.drivername)


def _sqlite(path: Path, drivername: str = "sqlite") -> URL:
    return URL.create(drivername, database=os.path.abspath(path))


def _redacted(value: str) -> str:
    """A URL text with what looks like a password (`user:secret@`) replaced by ***."""
    head, sep, tail = value.partition("://")
    creds, at, rest = tail.rpartition("@")
    if not sep or not at or ":" not in creds:
        return value
    return f"{head}://{creds.split(':', 1)[0]}:***@{rest}"


def shown(url: URL) -> str:
    """The store as messages print it: an SQLite store's file path; a server's URL with the password hidden and
    the query unescaped (`?host=/run/postgresql`)."""
    if url.get_backend_name() == "sqlite" and url.database:
        return url.database
    return unquote(url.render_as_string(hide_password=True))


def sqlite_file(url: URL) -> Path | None:
    """The file of an SQLite store; None for a server."""
    return Path(url.database) if url.get_backend_name() == "sqlite" and url.database else None


def open_engine(url: URL, write: bool) -> Engine:
    """An engine for one command's use (no pool kept): bounded waits on both engines.

    SQLite: WAL journal so readers never block the writer, `BEGIN IMMEDIATE` for writers so two runs that
    finish together queue on the busy timeout instead of failing on a lock upgrade.
    """
    if url.get_backend_name() == "sqlite":
        return _sqlite_engine(url, write)
    args = {}
    if url.get_driver_name() in ("psycopg", "psycopg2"):
        args = {"connect_timeout": CONNECT_SECONDS, "application_name": "vastaff",
                "options": f"-c lock_timeout={LOCK_SECONDS}s -c statement_timeout={STATEMENT_SECONDS}s"}
        args = {k: v for k, v in args.items() if k not in url.query}
    return sa.create_engine(url, poolclass=NullPool, connect_args=args)


def _wal(cursor) -> None:
    """Switch the file to WAL once. The switch needs the file to itself and SQLite does not wait for it on the busy
    timeout: a second run opening the new file while the first one writes retries until BUSY_SECONDS (the file is
    usually WAL by then, which needs no switch)."""
    deadline = time.monotonic() + BUSY_SECONDS
    while True:
        try:
            if cursor.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                cursor.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def _sqlite_engine(url: URL, write: bool) -> Engine:
    engine = sa.create_engine(url, poolclass=NullPool, connect_args={"timeout": BUSY_SECONDS})

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:
        dbapi_connection.isolation_level = None  # the driver's own BEGIN off: ours below (SQLAlchemy's recipe)
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        if write:
            _wal(cursor)
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine
