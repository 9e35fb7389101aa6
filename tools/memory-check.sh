#!/usr/bin/env bash
# Peak memory must not grow with simulated time in a steady state: the peak RSS of
# `simulate MODEL --duration LONG` must be within RATIO × that of the model's own
# duration (10 minutes for the saga example).
#
#   tools/memory-check.sh [BIN] [MODEL] [LONG] [RATIO]
#
# BIN defaults to a release build of the headless CLI (built here if missing);
# MODEL to models/order-saga.ron, LONG to 8h, RATIO to 1.5. Needs GNU time
# (/usr/bin/time, Debian package `time`). Exit 0 when within the ratio, 1 when not.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${1:-target/release/eventscape}
MODEL=${2:-models/order-saga.ron}
LONG=${3:-8h}
RATIO=${4:-1.5}
if [ ! -x "$BIN" ]; then
    cargo build --release --no-default-features --bin eventscape >&2
fi
if [ ! -x /usr/bin/time ]; then
    echo "memory-check: needs GNU time at /usr/bin/time (apt-get install time)" >&2
    exit 2
fi

# peak_kib DURATION...: peak resident set size of one run, in KiB.
peak_kib() {
    local log
    log=$(mktemp)
    /usr/bin/time -v "$BIN" simulate "$MODEL" --format json "$@" >/dev/null 2>"$log" || {
        # Exit 1 only means an assertion failed; the memory figure stands.
        [ $? -eq 1 ] || { cat "$log" >&2; rm -f "$log"; exit 2; }
    }
    awk -F': ' '/Maximum resident set size/ { print $2 }' "$log"
    rm -f "$log"
}

short=$(peak_kib)
long=$(peak_kib --duration "$LONG")
echo "peak RSS: $MODEL at its own duration: ${short} KiB; --duration $LONG: ${long} KiB"
if awk -v s="$short" -v l="$long" -v r="$RATIO" 'BEGIN { exit !(l <= s * r) }'; then
    awk -v s="$short" -v l="$long" 'BEGIN { printf "ratio %.2f: ok\n", l / s }'
else
    awk -v s="$short" -v l="$long" -v r="$RATIO" \
        'BEGIN { printf "ratio %.2f is above %s: memory grows with simulated time\n", l / s, r }'
    exit 1
fi
