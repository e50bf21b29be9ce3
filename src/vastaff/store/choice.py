"""Which run history a command uses, as given (`--store` > VASTAFF_STORE > the default file), read without SQLAlchemy:
`vastaff solve --store off` then starts no history at all (vastaff.cli.recorder), where the history's imports alone
take 0.17-0.2 s."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Mapping

ENV_VAR = "VASTAFF_STORE"
OFF = "off"


def chosen(store: str | None, env: Mapping[str, str] | None = None) -> str | None:
    """The store's value: `--store`, else the VASTAFF_STORE environment variable, stripped; None when both are unset
    or empty (the default file)."""
    env = os.environ if env is None else env
    return next((v.strip() for v in (store, env.get(ENV_VAR)) if v is not None and v.strip()), None)


def is_off(store: str | None, env: Mapping[str, str] | None = None) -> bool:
    """Whether the run history is off (`off`, in any case): nothing is recorded."""
    value = chosen(store, env)
    return value is not None and value.lower() == OFF


def store_file(store: str | None, env: Mapping[str, str] | None = None) -> Path | None:
    """The SQLite file the run history is kept in, read as `store.connect.resolve_url` reads the value but without
    SQLAlchemy (an output path is checked against it before anything loads): a path, or `sqlite:///FILE`; the
    default `runs/vastaff.db`; None when off or a server (PostgreSQL)."""
    value = chosen(store, env)
    if value is None:
        return Path("runs") / "vastaff.db"
    if value.lower() == OFF:
        return None
    if "://" not in value:
        return Path(value).expanduser()
    scheme, _, rest = value.partition("://")
    path = rest.split("?", 1)[0][1:]  # sqlite:///relative/file, sqlite:////absolute/file
    return Path(path).expanduser() if scheme.split("+")[0] == "sqlite" and rest.startswith("/") and path else None
