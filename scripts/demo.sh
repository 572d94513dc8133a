#!/usr/bin/env bash
# The main job on the bundled example data (Kota Medan): set up, check the metadata
# files, harvest the example source into the catalogue, and show what it holds.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/bootstrap.sh
source "$ROOT/scripts/bootstrap.sh"
cd "$ROOT"
export SATUDATA_DB="${SATUDATA_DB:-$ROOT/satudata.db}"
satudata validate harvest_configs/data/medan --profile sdi-dasar "$@"
satudata harvest --all
satudata catalog stats
