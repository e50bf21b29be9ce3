#!/usr/bin/env bash
# The main job on the committed sample district: tonight's plan, then the independent contract check.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/vastaff solve data/sample --out plans/sample "$@"
.venv/bin/vastaff check data/sample plans/sample
