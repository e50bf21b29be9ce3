"""Which run history a command uses, as given (`--store` > VASTAFF_STORE > the default file), read without SQLAlchemy:
`vastaff solve --store off` then starts no history at all (vastaff.cli.recorder), where the history's imports alone
take 0.17-0.2 s."""

from __future__ import annotations

import os
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
