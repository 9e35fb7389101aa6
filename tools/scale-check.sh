#!/usr/bin/env bash
# Enterprise-scale costs (issue 17): for models of N services from `eventscape example
# enterprise --services N --domains 20`, the wall time of `check`, the wall time and peak
# memory (RSS, GNU time) of `simulate --duration 1s --format json`, and the size of
# that default (bounded) JSON report and of `--full`. Release headless build:
#
#   cargo build --release --no-default-features && tools/scale-check.sh [N ...]
#
# Defaults: 100 1000 5000 services in 20 domains. Prints a Markdown table. Times are
# of the whole process (parsing included) and move ±30% on a shared machine.
set -u
BIN=${BIN:-target/release/eventscape}
SIZES=("$@"); [ ${#SIZES[@]} -gt 0 ] || SIZES=(100 1000 5000)
[ -x "$BIN" ] || { echo "no binary at $BIN (cargo build --release --no-default-features first)"; exit 2; }
[ -x /usr/bin/time ] || { echo "needs GNU time at /usr/bin/time (apt-get install time)"; exit 2; }
DIR=$(mktemp -d); trap 'rm -rf "$DIR"' EXIT

# measure CMD...: runs CMD with stdout to $DIR/out, sets SECS and MB.
measure() {
  /usr/bin/time -f "%e %M" -o "$DIR/time" "$@" >"$DIR/out" 2>/dev/null; rc=$?
  [ $rc -le 1 ] || { echo "failed ($rc): $*"; exit 1; }
  read -r SECS KB <"$DIR/time"
  MB=$(awk -v k="$KB" 'BEGIN { printf "%.0f", k / 1024 }')
}

echo "| services | check | simulate 1 s | peak memory | JSON report | JSON --full |"
echo "|---|---|---|---|---|---|"
for n in "${SIZES[@]}"; do
  model="$DIR/e$n.ron"
  "$BIN" example enterprise --services "$n" --domains 20 >"$model" || exit 1
  measure "$BIN" check "$model"; check=$SECS
  measure "$BIN" simulate "$model" --duration 1s --format json; sim=$SECS; mem=$MB
  bounded=$(stat -c %s "$DIR/out")
  "$BIN" simulate "$model" --duration 1s --format json --full >"$DIR/out" 2>/dev/null
  full=$(stat -c %s "$DIR/out")
  awk -v n="$n" -v c="$check" -v s="$sim" -v m="$mem" -v b="$bounded" -v f="$full" \
    'BEGIN { printf "| %d | %.2f s | %.2f s | %d MB | %.1f MB | %.1f MB |\n", n, c, s, m, b / 1e6, f / 1e6 }'
done
