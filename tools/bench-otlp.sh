#!/usr/bin/env bash
# Peak memory (RSS, from /usr/bin/time -v) and wall time of `export --format otlp`
# (JSON Lines, streamed) against `simulate --trace` and plain `simulate` of the same
# model, seed and duration, release build.
#
#   cargo build --release && tools/bench-otlp.sh [MODEL.ron] [DURATION ...]
#
# Defaults: models/order-saga.ron over 10m and 8h. Output goes to /dev/null (an 8h
# export is tens of GB); SINK=DIR writes the files into DIR and prints their sizes.
# BIN: the binary (default target/release/eventscape). Prints a Markdown table:
# the OTLP time as a multiple of `simulate --trace`, and the OTLP export's memory
# above `simulate --trace` (the engine's own memory is the plain `simulate` row).
set -u
BIN=${BIN:-target/release/eventscape}
MODEL=${1:-models/order-saga.ron}; shift || true
DURATIONS=("$@"); [ ${#DURATIONS[@]} -gt 0 ] || DURATIONS=(10m 8h)
SINK=${SINK:-}
[ -x "$BIN" ] || { echo "no binary at $BIN (cargo build --release first)"; exit 2; }
[ -x /usr/bin/time ] || { echo "needs GNU time at /usr/bin/time (apt-get install time)"; exit 2; }
LOG=$(mktemp); trap 'rm -f "$LOG"' EXIT

# measure NAME CMD...: runs CMD, sets SECS and MB (exit codes 0 and 1 are fine:
# `simulate` exits 1 when an assertion of the model fails).
measure() {
  /usr/bin/time -v "$@" >/dev/null 2>"$LOG"; rc=$?
  [ $rc -le 1 ] || { echo "failed ($rc): $*"; tail -3 "$LOG"; exit 1; }
  local wall; wall=$(grep 'Elapsed (wall clock)' "$LOG" | awk '{print $NF}')
  SECS=$(echo "$wall" | awk -F: '{ if (NF == 3) print $1*3600 + $2*60 + $3; else print $1*60 + $2 }')
  MB=$(grep 'Maximum resident set size' "$LOG" | awk '{printf "%.1f", $NF / 1024}')
}
out() { if [ -n "$SINK" ]; then mkdir -p "$SINK"; echo "$SINK/$1"; else echo /dev/null; fi; }

echo "model: $MODEL ($($BIN --version 2>/dev/null)), $(nproc) cores, output to ${SINK:-/dev/null}"
echo
echo "| simulated | simulate | simulate --trace | export --format otlp | otlp / trace time | otlp − trace memory |"
echo "|---|---|---|---|---|---|"
for d in "${DURATIONS[@]}"; do
  measure "$BIN" simulate "$MODEL" --duration "$d"; s_secs=$SECS; s_mb=$MB
  trace=$(out "trace-$d.jsonl")
  measure "$BIN" simulate "$MODEL" --duration "$d" --trace "$trace"; t_secs=$SECS; t_mb=$MB
  otlp=$(out "otlp-$d.jsonl")
  measure "$BIN" export "$MODEL" --format otlp --duration "$d" -o "$otlp"; o_secs=$SECS; o_mb=$MB
  ratio=$(awk -v a="$o_secs" -v b="$t_secs" 'BEGIN { printf "%.2f×", (b > 0 ? a / b : 0) }')
  extra=$(awk -v a="$o_mb" -v b="$t_mb" 'BEGIN { printf "%+.1f MB", a - b }')
  echo "| $d | ${s_secs}s, ${s_mb} MB | ${t_secs}s, ${t_mb} MB | ${o_secs}s, ${o_mb} MB | $ratio | $extra |"
  if [ -n "$SINK" ]; then
    echo "|  | | $(du -h "$trace" | cut -f1) | $(du -h "$otlp" | cut -f1), $(wc -l < "$otlp") lines | | |"
  fi
done
