#!/usr/bin/env bash
# The main job on the bundled example data (Kota Medan): set up, then validate.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/bootstrap.sh
source "$ROOT/scripts/bootstrap.sh"
cd "$ROOT"
satudata validate harvest_configs/data/medan --profile sdi-dasar "$@"
