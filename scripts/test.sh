#!/usr/bin/env bash
# Set up, then run every check: ruff, mypy --strict, and the whole pytest suite.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/bootstrap.sh
source "$ROOT/scripts/bootstrap.sh"
cd "$ROOT"
echo "== ruff" >&2
ruff check satudata_cli tests benchmarks
ruff format --check satudata_cli tests benchmarks
echo "== mypy --strict" >&2
mypy --strict satudata_cli
echo "== pytest" >&2
pytest "$@"
