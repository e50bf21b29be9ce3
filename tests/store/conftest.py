"""Stores for the run-history tests: an SQLite file in tmp, and a REAL PostgreSQL server started here.

The server is a throwaway cluster (`initdb` + `pg_ctl`) in a temporary folder, listening only on a Unix socket
in that folder, started once per session and stopped at the end; each test gets a fresh database in it.
PostgreSQL refuses to run as root, so under root (CI) the server runs as the `postgres` user (`runuser`, else
`setpriv`) and the folder is handed to that user. Without the binaries (PATH, then /usr/lib/postgresql/*/bin)
the PostgreSQL tests are skipped with the reason — or fail, when VASTAFF_REQUIRE_POSTGRES=1 (CI sets it, so
the PostgreSQL path can never be skipped silently there).
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import URL

PG_USER = "vastaff"
START_SECONDS = 60


@dataclass(frozen=True)
class PgServer:
    socket_dir: Path

    def url(self, database: str = "postgres") -> URL:
        return URL.create("postgresql+psycopg", username=PG_USER, database=database,
                          query={"host": str(self.socket_dir)})

    def fresh_database(self) -> URL:
        """A new empty database on the server: tests never see each other's runs."""
        name = f"t_{uuid.uuid4().hex[:12]}"
        engine = sa.create_engine(self.url(), isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
        engine.dispose()
        return self.url(name)


def pg_bindir() -> Path | None:
    """The folder of initdb and pg_ctl: PATH first, then the newest /usr/lib/postgresql/<version>/bin."""
    on_path = [shutil.which(name) for name in ("initdb", "pg_ctl")]
    if all(on_path):
        return Path(os.path.realpath(on_path[1])).parent
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: _version(p.parent.name))
    found = [p for p in versions if (p / "initdb").is_file() and (p / "pg_ctl").is_file()]
    return found[-1] if found else None


def _version(name: str) -> tuple:
    return tuple(int(p) if p.isdigit() else 0 for p in name.split("."))


def _as_server_user() -> tuple[list[str], tuple[int, int] | None]:
    """The command prefix to run the server, and the (uid, gid) to own its folder when we are root."""
    if os.geteuid() != 0:
        return [], None
    try:
        user = pwd.getpwnam("postgres")
    except KeyError:
        _unavailable("running as root and there is no `postgres` user to run the server as")
    if shutil.which("runuser"):
        return ["runuser", "-u", "postgres", "--"], (user.pw_uid, user.pw_gid)
    return ["setpriv", f"--reuid={user.pw_uid}", f"--regid={user.pw_gid}", "--init-groups"], \
        (user.pw_uid, user.pw_gid)


def _unavailable(reason: str):
    if os.environ.get("VASTAFF_REQUIRE_POSTGRES") == "1":
        pytest.fail(f"PostgreSQL required (VASTAFF_REQUIRE_POSTGRES=1): {reason}")
    pytest.skip(f"PostgreSQL tests skipped: {reason} (.ci/run installs Debian's postgresql package)")


@pytest.fixture(scope="session")
def pg_server():
    """A PostgreSQL server of our own for the session, on a Unix socket in a temporary folder."""
    bindir = pg_bindir()
    if bindir is None:
        _unavailable("no initdb/pg_ctl on PATH nor in /usr/lib/postgresql/*/bin")
    prefix, owner = _as_server_user()
    root = Path(tempfile.mkdtemp(prefix="vastaff-pg-"))  # short: a socket path is limited to ~100 bytes
    if owner is not None:
        os.chown(root, *owner)
    data, log = root / "data", root / "server.log"
    try:
        _run(prefix + [str(bindir / "initdb"), "-D", str(data), "-U", PG_USER, "-A", "trust", "-E", "UTF8",
                       "--locale=C", "--no-sync", "--no-instructions"], root)
        _run(prefix + [str(bindir / "pg_ctl"), "-D", str(data), "-l", str(log), "-w", "-t", str(START_SECONDS),
                       "-o", f"-k \"{root}\" -c listen_addresses='' -c fsync=off -c full_page_writes=off", "start"],
             root, log)
    except BaseException:
        shutil.rmtree(root, ignore_errors=True)
        raise
    try:
        yield PgServer(root)
    finally:
        subprocess.run(prefix + [str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"],
                       capture_output=True, check=False, cwd=root)
        shutil.rmtree(root, ignore_errors=True)


def _run(command: list[str], cwd: Path, log: Path | None = None) -> None:
    """Run a server tool from its own folder (the server's user may not be allowed into ours)."""
    done = subprocess.run(command, capture_output=True, text=True, check=False, cwd=cwd)
    if done.returncode != 0:
        tail = log.read_text(errors="replace")[-2000:] if log is not None and log.is_file() else ""
        raise RuntimeError(f"{' '.join(command)} failed ({done.returncode}):\n{done.stdout}{done.stderr}{tail}")


@pytest.fixture
def pg_url(pg_server) -> URL:
    return pg_server.fresh_database()


@pytest.fixture
def sqlite_url(tmp_path) -> URL:
    return URL.create("sqlite", database=str(tmp_path / "runs" / "vastaff.db"))


@pytest.fixture(params=["sqlite", "postgresql"])
def any_url(request) -> URL:
    """The same test on both engines: the store's code is one, so is its behaviour."""
    return request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "pg_url")
