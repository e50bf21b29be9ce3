#!/usr/bin/env bash
# Create .venv with the locked dependencies and vastaff itself (idempotent; re-installs when the lock changes).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-$(command -v python3.11 || command -v python3)}
"$PY" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null || {
  echo "setup: vastaff needs Python 3.11 or newer; ${PY:-python3} is $("$PY" -V 2>&1 || echo missing)." \
       "Give one: PYTHON=/path/to/python3.11 $0" >&2
  exit 2
}
stamp=".venv/.lock-$(sha256sum requirements.lock pyproject.toml | sha256sum | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  [ -x .venv/bin/python ] || "$PY" -m venv .venv
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
  rm -f .venv/.lock-* && touch "$stamp"
fi
# vastaff's bytecode, fresh: an editable install leaves it to the first import, and where PYTHONDONTWRITEBYTECODE is
# set (CI, containers) every command would compile the package again (0.5-0.9 s of each `vastaff` run)
.venv/bin/python -m compileall -q src >/dev/null || true  # a read-only tree only loses the speed-up
