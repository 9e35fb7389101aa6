#!/usr/bin/env bash
# Idle CPU of the app: start it under Xvfb at 1280×800 on a model (default: the
# built-in example), let it settle, then read its CPU time from /proc over a window
# nobody touches. Prints the share of one core.
#
#   tools/idle-cpu.sh [BIN] [MODEL.ron] [SECONDS]
#   KEYS="ctrl+f p42-s5 Return slash" tools/idle-cpu.sh BIN MODEL   (after a search and a focus)
# BIN defaults to target/release/eventscape (cargo build --release first).
# Needs xvfb (apt-get install xvfb libgl1-mesa-dri). SHOT=file.png saves a screenshot.
set -eu
BIN=${1:-target/release/eventscape}; MODEL=${2:-}; SECS=${3:-10}
[ -x "$BIN" ] || { echo "no binary at $BIN (cargo build --release first)"; exit 2; }
command -v Xvfb >/dev/null || { echo "Xvfb is missing: apt-get install xvfb libgl1-mesa-dri"; exit 2; }
DISPLAY_NUM=:$((90 + RANDOM % 100))
Xvfb "$DISPLAY_NUM" -screen 0 1280x800x24 >/dev/null 2>&1 & XVFB=$!
trap 'kill $APP $XVFB 2>/dev/null || true' EXIT
sleep 1
# A fresh config dir: no remembered window state or recent files.
export XDG_CONFIG_HOME=$(mktemp -d) XDG_DATA_HOME=$(mktemp -d)
DISPLAY=$DISPLAY_NUM "$BIN" $MODEL >/dev/null 2>&1 & APP=$!
sleep 5
kill -0 $APP 2>/dev/null || { echo "the app did not start"; exit 1; }
# KEYS="ctrl+f p42-s5 Return slash" types into the window first (xdotool: words of
# letters are typed, anything else is a key), then lets it settle again.
if [ -n "${KEYS:-}" ]; then
  command -v xdotool >/dev/null || { echo "xdotool is missing: apt-get install xdotool"; exit 2; }
  export DISPLAY=$DISPLAY_NUM
  win=$(xdotool search --pid $APP 2>/dev/null | head -1 || true)
  [ -z "$win" ] || xdotool windowfocus "$win" 2>/dev/null || true
  xdotool mousemove 600 400; sleep 0.3
  for k in $KEYS; do
    case $k in
      *+*|Return|Escape|slash|Up|Down) xdotool key "$k" ;;
      *) xdotool type --delay 50 "$k" ;;
    esac
    sleep 0.5
  done
  sleep 3
fi
ticks() { awk '{print $14 + $15}' "/proc/$APP/stat"; }
hz=$(getconf CLK_TCK)
t0=$(ticks); sleep "$SECS"; t1=$(ticks)
# SHOT=file.png also saves what the window showed (ImageMagick's import).
[ -z "${SHOT:-}" ] || DISPLAY=$DISPLAY_NUM import -window root "$SHOT"
awk -v d=$((t1 - t0)) -v hz="$hz" -v s="$SECS" \
  'BEGIN { printf "idle CPU over %ss: %.1f%% of one core\n", s, 100 * d / hz / s }'
