#!/usr/bin/env bash
# Load Eventscape's XES and OCEL event logs with PM4Py and compare its directly-follows
# graph with the miner's (see pm4py-check.py for the arguments):
#   tools/pm4py-check.sh LOG.xes LOG.ocel.json [PROCESS.json]
# The first run makes a venv with PM4Py under $CLIENTS/pm4py (default
# ~/.cache/eventscape-clients); later runs reuse it. PM4Py is AGPL: an external checker,
# never a dependency. Every model: cargo test --test integration pm4py -- --ignored
set -eu
CLIENTS=${CLIENTS:-$HOME/.cache/eventscape-clients}
VENV="$CLIENTS/pm4py"
HERE=$(cd "$(dirname "$0")" && pwd)
if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c 'import pm4py' >/dev/null 2>&1; then
  mkdir -p "$CLIENTS"
  python3 -m venv "$VENV" && "$VENV/bin/pip" install -q pm4py >/dev/null \
    || { echo "pip install pm4py failed"; exit 2; }
fi
exec "$VENV/bin/python" "$HERE/pm4py-check.py" "$@" 2>/dev/null
