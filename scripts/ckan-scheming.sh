#!/usr/bin/env bash
# A second real CKAN 2.12, with ckanext-scheming 3.1.0 and the dataset schema that
# `satudata schema export --format ckan-scheming` writes, for the tests of
# tests/e2e/test_publish_scheming.py. It uses the CKAN kit (../shared/ckan or
# SATUDATA_CKAN_KIT) with its own home, ports and database, so it runs next to the
# default CKAN of .ci/run without touching it.
#
#   eval "$(bash scripts/ckan-scheming.sh up)"   # sets CKAN_SCHEMING_URL, CKAN_SCHEMING_API_TOKEN
#   bash scripts/ckan-scheming.sh down           # stops only what `up` started
#
# Settings: CKAN_SCHEMING_HOME [/tmp/satudata-ckan-scheming], CKAN_SCHEMING_PORT [5100],
# CKAN_SCHEMING_SOLR_PORT [8990], CKAN_SCHEMING_DB [ckan_sch] (database and role),
# SATUDATA_SCHEMING_PROFILE [sdi-dasar]. `up` starts from an empty database each time
# (the schema may have changed); stdout carries only the two variable lines.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
KIT="${SATUDATA_CKAN_KIT:-}"
if [[ -z "$KIT" ]]; then
    for candidate in "$ROOT/../shared/ckan" /work/shared/ckan; do
        if [[ -f "$candidate/ckan-up.sh" ]]; then KIT="$candidate"; break; fi
    done
fi
[[ -n "$KIT" ]] || { echo "ckan-scheming: no CKAN kit found (set SATUDATA_CKAN_KIT)" >&2; exit 1; }

export CKAN_HOME="${CKAN_SCHEMING_HOME:-${TMPDIR:-/tmp}/satudata-ckan-scheming}"
export CKAN_PORT="${CKAN_SCHEMING_PORT:-5100}"
export CKAN_SOLR_PORT="${CKAN_SCHEMING_SOLR_PORT:-8990}"
export CKAN_DB_NAME="${CKAN_SCHEMING_DB:-ckan_sch}"
export CKAN_DB_USER="$CKAN_DB_NAME"
SCHEMA="$CKAN_HOME/satudata-scheming.yaml"

case "${1:-}" in
up)
    mkdir -p "$CKAN_HOME"
    # the schema the portal loads is the one satudata exports, never a copy
    VENV="${SATUDATA_VENV:-$ROOT/.venv}"   # scripts/bootstrap.sh made it
    if [[ -x "$VENV/bin/python" ]]; then PY="$VENV/bin/python"; else PY=python3; fi
    (cd "$ROOT" && "$PY" -m satudata_cli schema export --format ckan-scheming \
        --profile "${SATUDATA_SCHEMING_PROFILE:-sdi-dasar}" --output "$SCHEMA")
    echo "== ckan-scheming: schema written to $SCHEMA" >&2
    bash "$KIT/ckan-down.sh" >&2 || true   # a config change reaches CKAN only on a restart
    env_lines="$(CKAN_EXTRA_PIP="ckanext-scheming==3.1.0" \
        CKAN_PLUGINS="activity scheming_datasets" \
        CKAN_EXTRA_CONFIG="scheming.dataset_schemas=file://$SCHEMA" \
        CKAN_FRESH=1 bash "$KIT/ckan-up.sh")"
    url="$(printf '%s\n' "$env_lines" | sed -n 's/^\(export \)\{0,1\}CKAN_URL=//p')"
    token="$(printf '%s\n' "$env_lines" | sed -n 's/^\(export \)\{0,1\}CKAN_API_TOKEN=//p')"
    [[ -n "$url" && -n "$token" ]] || { echo "ckan-scheming: the kit gave no URL/token" >&2; exit 1; }
    echo "CKAN_SCHEMING_URL=$url"
    echo "CKAN_SCHEMING_API_TOKEN=$token"
    ;;
down)
    bash "$KIT/ckan-down.sh"
    ;;
*)
    echo "usage: $0 up|down" >&2
    exit 2
    ;;
esac
