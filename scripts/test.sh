#!/usr/bin/env bash
# The whole test suite (what CI runs).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# one test process per core (pytest-xdist); VASTAFF_TEST_PROCESSES=0 runs them all in this process
exec .venv/bin/python -m pytest -n "${VASTAFF_TEST_PROCESSES:-auto}" "$@"
