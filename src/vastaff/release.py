"""Which vastaff this is: the installed release, else the repository's pyproject.toml (a tree run uninstalled)."""

from __future__ import annotations

import tomllib
from importlib import metadata
from pathlib import Path

PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"


def version() -> str:
    """The installed release (package metadata), else the version in the repository's pyproject.toml, else
    "unknown"."""
    try:
        return metadata.version("vastaff")
    except metadata.PackageNotFoundError:
        pass
    try:
        return tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]["version"]
    except (OSError, tomllib.TOMLDecodeError, KeyError):
        return "unknown"
