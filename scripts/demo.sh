#!/usr/bin/env bash
# The main job on the bundled example data (Kota Medan): set up, check the metadata
# files, harvest the example source into the catalogue, show what it holds, count the
# links a link check would fetch, and report compliance, freshness and links per agency
# (also as an HTML page next to the catalogue).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/bootstrap.sh
source "$ROOT/scripts/bootstrap.sh"
cd "$ROOT"
export SATUDATA_DB="${SATUDATA_DB:-$ROOT/satudata.db}"
satudata validate harvest_configs/data/medan --profile sdi-dasar "$@"
satudata harvest --all
satudata catalog stats
# the link check without requests: the example links point at the real Medan portal,
# which a demo should not probe, and the demo works offline (README, step 4)
satudata links check --dry-run
satudata report compliance
satudata report links
satudata report freshness
satudata report compliance --format html --output "${SATUDATA_DB%.db}-kepatuhan.html"
