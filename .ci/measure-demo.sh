#!/usr/bin/env bash
# Measures the embedded demo's memory and CPU with the given JVM flags: starts the shaded jar, waits until
# /-/ready, lets it run DURATION seconds (default 120) at the demo's 10 probes/s, then reads /proc.
#   .ci/measure-demo.sh -Xmx96m -XX:+UseSerialGC ...
# Env: PORT (default 19478), DURATION (default 120), JAR (default agent/target/vecwatch.jar).
set -euo pipefail
cd "$(dirname "$0")/.."
JAR=${JAR:-agent/target/vecwatch.jar}
PORT=${PORT:-19478}
DURATION=${DURATION:-120}
LOG=$(mktemp /tmp/vecwatch-measure.XXXXXX)
HZ=$(getconf CLK_TCK)

java "$@" -jar "$JAR" run --web.listen-address "127.0.0.1:$PORT" >"$LOG" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -f "$LOG"' EXIT

ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }  # utime + stime
kib() { awk -v k="$1" '$1 == k":" {print $2}' "/proc/$pid/status"; }

start=$(date +%s.%N)
until curl -sf "http://127.0.0.1:$PORT/-/ready" >/dev/null; do
  kill -0 "$pid" 2>/dev/null || { echo "agent exited:"; cat "$LOG"; exit 1; }
  sleep 0.5
done
ready=$(date +%s.%N)
t0=$(ticks)
rss_ready=$(kib VmRSS)
sleep "$DURATION"
t1=$(ticks)
rss=$(kib VmRSS)
hwm=$(kib VmHWM)
threads=$(kib Threads)
rates=$(curl -s "http://127.0.0.1:$PORT/metrics" | awk '/^vecwatch_probe_window_requests_per_second/ {printf "%s ", $2}')
recall=$(curl -s "http://127.0.0.1:$PORT/metrics" | awk '/^vecwatch_recall_ratio.*k="10"/ {printf "%s ", $2}')
kill -TERM "$pid"
wait "$pid" 2>/dev/null || true
printf 'flags: %s\n' "$*"
printf 'ready after %.1f s; then %d s at the demo load\n' "$(echo "$ready - $start" | bc)" "$DURATION"
printf 'RSS at ready %d MiB, after %d s %d MiB, peak (VmHWM) %d MiB; threads %d\n' \
  $((rss_ready / 1024)) "$DURATION" $((rss / 1024)) $((hwm / 1024)) "$threads"
printf 'CPU over the %d s: %.1f%% of one core\n' "$DURATION" "$(echo "($t1 - $t0) * 100 / $HZ / $DURATION" | bc -l)"
printf 'window rates (demo-flat, demo-hnsw): %s/s; recall@10 (demo-flat, demo-hnsw): %s\n' "$rates" "$recall"
grep -E "stopped|ERROR|WARN" "$LOG" | tail -3 || true
