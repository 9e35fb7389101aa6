#!/usr/bin/env bash
# Startup time of the app: from launching it to its window being up and drawn (the
# screen under Xvfb stops being blank), on the built-in example or a model.
#
#   tools/startup-time.sh [BIN] [MODEL.ron]
# BIN defaults to target/release/eventscape. Needs xvfb and ImageMagick (import).
# The screen is sampled as fast as `import` allows (~every 50–100 ms), so the figure
# is an upper bound by about that much.
set -eu
BIN=${1:-target/release/eventscape}; MODEL=${2:-}
[ -x "$BIN" ] || { echo "no binary at $BIN (cargo build --release first)"; exit 2; }
command -v Xvfb >/dev/null && command -v import >/dev/null ||
  { echo "needs Xvfb and ImageMagick: apt-get install xvfb imagemagick"; exit 2; }
DISPLAY_NUM=:$((190 + RANDOM % 100))
Xvfb "$DISPLAY_NUM" -screen 0 1280x800x24 >/dev/null 2>&1 & XVFB=$!
APP=
trap 'kill $APP $XVFB 2>/dev/null || true' EXIT
sleep 1
export XDG_CONFIG_HOME=$(mktemp -d) XDG_DATA_HOME=$(mktemp -d)
mean() { DISPLAY=$DISPLAY_NUM import -window root png:- 2>/dev/null | convert - -format '%[fx:mean]' info: 2>/dev/null || echo 0; }
start=$(date +%s%N)
DISPLAY=$DISPLAY_NUM "$BIN" $MODEL >/dev/null 2>&1 & APP=$!
while :; do
  m=$(mean)
  now=$(date +%s%N)
  if awk -v m="$m" 'BEGIN { exit !(m > 0.02) }'; then break; fi
  if [ $(( (now - start) / 1000000 )) -gt 20000 ]; then echo "no window after 20 s"; exit 1; fi
done
echo "window up and drawn after $(( (now - start) / 1000000 )) ms"
