#!/usr/bin/env bash
# Frame time of the app while a model plays: start it under Xvfb at 1280×800 with
# EVENTSCAPE_FRAME_STATS=1, press ] (faster) and click Play, and print
# the frame-time lines the app writes to stderr over the window measured.
#
#   tools/frame-time.sh [BIN] [MODEL.ron] [SECONDS] [FASTER]
# BIN defaults to target/release/eventscape (cargo build --release first), MODEL to
# models/bench/large.ron, SECONDS to 15, FASTER (presses of ]) to 1 (×10 → ×30: the
# large model's 10 minutes last 20 s; at ×100 only 6 s, too few frames for the
# app's 200-frame summary).
# Needs xvfb and xdotool (apt-get install xvfb libgl1-mesa-dri xdotool).
set -eu
BIN=${1:-target/release/eventscape}; MODEL=${2:-models/bench/large.ron}
SECS=${3:-15}; FASTER=${4:-1}
[ -x "$BIN" ] || { echo "no binary at $BIN (cargo build --release first)"; exit 2; }
for t in Xvfb xdotool; do
  command -v $t >/dev/null || { echo "$t is missing: apt-get install xvfb xdotool"; exit 2; }
done
DISPLAY_NUM=:$((90 + RANDOM % 100))
Xvfb "$DISPLAY_NUM" -screen 0 1280x800x24 >/dev/null 2>&1 & XVFB=$!
LOG=$(mktemp)
trap 'kill $APP $XVFB 2>/dev/null || true; rm -f "$LOG"' EXIT
sleep 1
export XDG_CONFIG_HOME=$(mktemp -d) XDG_DATA_HOME=$(mktemp -d)
DISPLAY=$DISPLAY_NUM EVENTSCAPE_FRAME_STATS=1 "$BIN" "$MODEL" >/dev/null 2>"$LOG" & APP=$!
sleep 5
kill -0 $APP 2>/dev/null || { echo "the app did not start"; cat "$LOG"; exit 1; }
export DISPLAY=$DISPLAY_NUM
# No window manager gives the window the keyboard: give it explicitly.
win=$(xdotool search --pid $APP 2>/dev/null | head -1 || true)
[ -z "$win" ] || xdotool windowfocus "$win" 2>/dev/null || true
# Without a window manager the keys go to the window under the pointer: click the
# diagram's empty top-right corner (nothing selected, no widget has the keyboard),
# press ] to play faster, then click Play (the toolbar's first button).
xdotool mousemove 960 130 click 1; sleep 0.5
for _ in $(seq "$FASTER"); do xdotool key bracketright; sleep 0.2; done
xdotool mousemove 215 36 click 1
sleep "$SECS"
# SHOT=file.png also saves what the window showed at the end (ImageMagick's import).
[ -z "${SHOT:-}" ] || import -window root "$SHOT"
echo "frame times while playing $(basename "$MODEL") for ${SECS}s (×10 then $FASTER× faster):"
grep -i "frame" "$LOG" || { echo "no frame statistics written"; exit 1; }
