#!/usr/bin/env bash
# The main job on the bundled example data (Kota Medan): set up, check the metadata
# files, harvest the example source into the catalogue, show what it holds, and report
# compliance and freshness per agency (also as an HTML page next to the catalogue).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/bootstrap.sh
source "$ROOT/scripts/bootstrap.sh"
cd "$ROOT"
export SATUDATA_DB="${SATUDATA_DB:-$ROOT/satudata.db}"
satudata validate harvest_configs/data/medan --profile sdi-dasar "$@"
satudata harvest --all
satudata catalog stats
satudata report compliance
satudata report freshness
satudata report compliance --format html --output "${SATUDATA_DB%.db}-kepatuhan.html"
