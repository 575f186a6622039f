#!/usr/bin/env bash
# Start-up of two vecwatch builds, interleaved so both see the same machine load: start -> first /metrics 200
# (wall milliseconds, measured from process start as .ci/measure-demo.sh does) and the CPU time the process had
# used by then (user + system, all threads: the start-up work, which a loaded machine stretches much less than
# the wall time). Prints min and median of each, and the load average.
#
#   .ci/compare-starts.sh /tmp/before/bin/vecwatch agent/target/bin/vecwatch
#   STARTS=10 .ci/compare-starts.sh A B
# Env: STARTS (8, per build), PORT (19481). Each build runs the embedded demo (`run` with no config).
set -euo pipefail
A=$1
B=$2
STARTS=${STARTS:-8}
PORT=${PORT:-19481}
HZ=$(getconf CLK_TCK)
WORK=$(mktemp -d /tmp/vecwatch-starts.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
for v in "$A" "$B"; do
  [ -x "$v" ] || { echo "$v not found or not executable" >&2; exit 1; }
done
one() {
  local t0 p
  t0=$(date +%s%N)
  "$1" run --web.listen-address "127.0.0.1:$PORT" >"$WORK/start.log" 2>&1 &
  p=$!
  until curl -sf -o /dev/null "http://127.0.0.1:$PORT/metrics"; do
    kill -0 "$p" 2>/dev/null || { cat "$WORK/start.log" >&2; exit 1; }
    sleep 0.002
  done
  echo "$((($(date +%s%N) - t0) / 1000000)) $(awk -v hz="$HZ" '{print int(($14 + $15) * 1000 / hz)}' "/proc/$p/stat")"
  kill "$p"
  wait "$p" 2>/dev/null || true
}
load0=$(cut -d' ' -f1-3 /proc/loadavg)
: >"$WORK/a"
: >"$WORK/b"
for _ in $(seq "$STARTS"); do
  one "$A" >>"$WORK/a"
  one "$B" >>"$WORK/b"
done
col() { awk -v c="$2" '{print $c}' "$1" | sort -n | awk '{v[NR] = $1} END {printf "%d / %d ms", v[1], v[int((NR + 1) / 2)]}'; }
printf 'load average at start %s, at end %s; %d starts each, interleaved\n' "$load0" \
  "$(cut -d' ' -f1-3 /proc/loadavg)" "$STARTS"
printf '%-50s %-28s %s\n' "" "first /metrics 200, min / median" "CPU until then, min / median"
printf '%-50s %-28s %s\n' "$A" "$(col "$WORK/a" 1)" "$(col "$WORK/a" 2)"
printf '%-50s %-28s %s\n' "$B" "$(col "$WORK/b" 1)" "$(col "$WORK/b" 2)"
