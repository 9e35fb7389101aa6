#!/usr/bin/env bash
# Check an OTLP JSON Lines export line by line with the strict checker the real-clients
# run uses (../shared/tools/otlp_check.py: opentelemetry-proto's JSON parser, unknown
# fields fail, plus trace-structure checks). Each line must be a complete
# ExportTraceServiceRequest on its own, and a trace must not be split across lines.
#
#   tools/otlp-lines-check.sh FILE.jsonl
#   tools/otlp-lines-check.sh MODEL.ron [EXPORT ARGS...]   # exports it first (BIN)
#
# BIN: the eventscape binary (default target/release/eventscape). CHECK: the checker
# (default /work/shared/tools/otlp_check.py). CLIENTS: where real-clients.sh put its
# Python venv (default ~/.cache/eventscape-clients). Exit 1 on any failed line.
set -u
BIN=${BIN:-target/release/eventscape}
CHECK=${CHECK:-/work/shared/tools/otlp_check.py}
CLIENTS=${CLIENTS:-$HOME/.cache/eventscape-clients}
PY="$CLIENTS/venv/bin/python"
[ $# -ge 1 ] || { sed -n '2,12p' "$0"; exit 2; }
[ -x "$PY" ] || { echo "no venv at $CLIENTS/venv: run ../shared/tools/real-clients.sh once"; exit 2; }
[ -f "$CHECK" ] || { echo "no checker at $CHECK"; exit 2; }
WORK=$(mktemp -d); trap 'rm -rf "$WORK"' EXIT
IN=$1; shift
if [[ "$IN" == *.ron ]]; then
  [ -x "$BIN" ] || { echo "no binary at $BIN (cargo build --release first)"; exit 2; }
  "$BIN" export "$IN" --format otlp -o "$WORK/export.jsonl" "$@" >/dev/null 2>"$WORK/err" ||
    { echo "export failed: $(tail -1 "$WORK/err")"; exit 1; }
  IN="$WORK/export.jsonl"
fi
lines=0; fails=0; traces=0; spans=0
while IFS= read -r line || [ -n "$line" ]; do
  lines=$((lines + 1))
  printf '%s' "$line" > "$WORK/line.json"
  msg=$("$PY" "$CHECK" "$WORK/line.json" 2>&1); rc=$?
  if [ $rc != 0 ]; then fails=$((fails + 1)); echo "line $lines: FAIL $msg"; fi
  # "N traces, M spans; structure ok"
  t=${msg%% traces*}; s=${msg#*traces, }; s=${s%% spans*}
  [[ "$t" =~ ^[0-9]+$ ]] && traces=$((traces + t)); [[ "$s" =~ ^[0-9]+$ ]] && spans=$((spans + s))
done < "$IN"
[ $lines -gt 0 ] || { echo "no lines in $IN"; exit 1; }
echo "$lines lines, $traces traces, $spans spans; $fails failed lines"
[ $fails = 0 ]
