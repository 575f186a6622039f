#!/usr/bin/env bash
# Footprint of the agent on its default command (agent/target/bin/vecwatch, as the README runs it) beside
# blackbox_exporter as the anchor, measured in the same run on the same machine:
#   1. start -> first /metrics 200, alternating vecwatch and blackbox_exporter STARTS times each (min, median),
#      and the CPU time the process had used by then (user + system, all threads: the start-up work, which a
#      loaded machine stretches much less than the wall time);
#   2. both running side by side for DURATION seconds, each at 10 probes/s: RSS at the end, peak RSS, threads and
#      CPU (utime + stime from /proc, % of one core). vecwatch runs its embedded demo (a flat and a Lucene HNSW
#      target, 5 probes/s each, recall@10 and @100) or, with TARGET=milvus, one Milvus target at 10 probes/s
#      against a Milvus Lite started here (the database's CPU is not counted: only the agent's process).
#      blackbox_exporter gets 10 http_2xx probes/s of vecwatch's /-/healthy from a driver loop (not counted).
#
#   .ci/measure-demo.sh                       # demo, 120 s, 5 starts each
#   TARGET=milvus DURATION=60 .ci/measure-demo.sh
# Env: DURATION (120), STARTS (5), TARGET (demo|milvus), PORT (19478), VECWATCH (agent/target/bin/vecwatch),
#      VECWATCH_JAVA_OPTS (passed on to bin/vecwatch), BLACKBOX (prometheus-blackbox-exporter or
#      blackbox_exporter on the PATH; Debian: apt-get install prometheus-blackbox-exporter),
#      MILVUS_LITE (default ~/.cache/vecwatch-peers/milvus-lite, as .ci/peers.sh installs it).
set -euo pipefail
cd "$(dirname "$0")/.."
VECWATCH=${VECWATCH:-agent/target/bin/vecwatch}
PORT=${PORT:-19478}
BB_PORT=$((PORT + 1))
MILVUS_PORT=$((PORT + 2))
DURATION=${DURATION:-120}
STARTS=${STARTS:-5}
TARGET=${TARGET:-demo}
MILVUS_LITE=${MILVUS_LITE:-$HOME/.cache/vecwatch-peers/milvus-lite}
BLACKBOX=${BLACKBOX:-$(command -v prometheus-blackbox-exporter || command -v blackbox_exporter || true)}
[ -n "$BLACKBOX" ] || { echo "blackbox_exporter not found (apt-get install prometheus-blackbox-exporter)" >&2; exit 1; }
[ -x "$VECWATCH" ] || { echo "$VECWATCH not found: build first (./mvnw -B -q -DskipTests package)" >&2; exit 1; }
HZ=$(getconf CLK_TCK)
WORK=$(mktemp -d /tmp/vecwatch-measure.XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

cat >"$WORK/blackbox.yml" <<'YML'
modules:
  http_2xx:
    prober: http
    timeout: 1s
YML
blackbox() { exec "$BLACKBOX" --config.file="$WORK/blackbox.yml" --web.listen-address="127.0.0.1:$BB_PORT" \
  --log.level=warn; }

vecwatch_args=(run --web.listen-address "127.0.0.1:$PORT")
if [ "$TARGET" = milvus ]; then
  mkdir -p "$WORK/milvus-data" "$WORK/demo"
  "$MILVUS_LITE/bin/milvus-lite" server --data-dir "$WORK/milvus-data" --host 127.0.0.1 --port "$MILVUS_PORT" \
    >"$WORK/milvus.log" 2>&1 &
  pids+=($!)
  until (exec 3<>"/dev/tcp/127.0.0.1/$MILVUS_PORT") 2>/dev/null; do sleep 0.5; done
  MILVUS_URI="http://127.0.0.1:$MILVUS_PORT" DEMO_DIR="$WORK/demo" \
    "$MILVUS_LITE/bin/python" docs/deploy/compose/load-demo-collection.py
  cat >"$WORK/vecwatch.yml" <<YML
datasets:
  - name: demo-milvus
    metric: l2
    files:
      base: $WORK/demo/base.fvecs
      queries: $WORK/demo/queries.fvecs
targets:
  - name: milvus
    kind: milvus
    uri: http://127.0.0.1:$MILVUS_PORT
    collection: demo
    vector_field: embedding
    metric_type: l2
    dataset: demo-milvus
    search_params:
      ef: 64
probes:
  - target: milvus
    rate: 10
    concurrency: 4
    timeout: 1s
    recall_k: [10, 100]
YML
  vecwatch_args+=(--config "$WORK/vecwatch.yml")
fi

now_ms() { echo $(($(date +%s%N) / 1000000)); }
# start -> first /metrics 200 of a command started in the background; prints milliseconds, then the CPU
# milliseconds the process used until then
first_scrape_ms() {
  local port=$1
  shift
  local t0
  t0=$(now_ms)
  "$@" >"$WORK/start.log" 2>&1 &
  local p=$!
  until curl -sf -o /dev/null "http://127.0.0.1:$port/metrics"; do
    kill -0 "$p" 2>/dev/null || { cat "$WORK/start.log" >&2; exit 1; }
    sleep 0.002
  done
  echo "$(($(now_ms) - t0)) $(awk -v hz="$HZ" '{print int(($14 + $15) * 1000 / hz)}' "/proc/$p/stat")"
  kill "$p"
  wait "$p" 2>/dev/null || true
}
stats() { sort -n | awk '{v[NR] = $1} END {printf "min %d ms, median %d ms (%d starts)", v[1], v[int((NR + 1) / 2)], NR}'; }
cpu_stats() { awk '{print $2}' | sort -n | awk '{v[NR] = $1} END {printf "%d / %d ms", v[1], v[int((NR + 1) / 2)]}'; }

: >"$WORK/vw.ms"
: >"$WORK/bb.ms"
for _ in $(seq "$STARTS"); do
  first_scrape_ms "$PORT" "$VECWATCH" "${vecwatch_args[@]}" >>"$WORK/vw.ms"
  first_scrape_ms "$BB_PORT" blackbox >>"$WORK/bb.ms"
done

# both side by side under the same load
"$VECWATCH" "${vecwatch_args[@]}" >"$WORK/vecwatch.log" 2>&1 &
vw=$!
pids+=("$vw")
blackbox >"$WORK/blackbox.log" 2>&1 &
bb=$!
pids+=("$bb")
until curl -sf -o /dev/null "http://127.0.0.1:$PORT/-/ready"; do
  kill -0 "$vw" 2>/dev/null || { cat "$WORK/vecwatch.log" >&2; exit 1; }
  sleep 0.5
done
# 10 probes/s on a fixed schedule from one long-lived process (a curl per probe would cost more than the probes)
python3 - "http://127.0.0.1:$BB_PORT/probe?module=http_2xx&target=http://127.0.0.1:$PORT/-/healthy" \
  "$WORK/bb.probes" <<'PY' &
import os, sys, time, urllib.request
url, counter = sys.argv[1], sys.argv[2]
start, n = time.monotonic(), 0
while True:
    urllib.request.urlopen(url, timeout=5).read()
    n += 1
    with open(counter + ".tmp", "w") as f:
        f.write(str(n))
    os.replace(counter + ".tmp", counter)
    time.sleep(max(0.0, start + n * 0.1 - time.monotonic()))
PY
pids+=($!)
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
kib() { awk -v k="$2" '$1 == k":" {print int($2 / 1024)}' "/proc/$1/status"; }
threads() { awk '$1 == "Threads:" {print $2}' "/proc/$1/status"; }
vw0=$(ticks "$vw") bb0=$(ticks "$bb") load0=$(cut -d' ' -f1-3 /proc/loadavg)
sleep "$DURATION"
vw1=$(ticks "$vw") bb1=$(ticks "$bb") load1=$(cut -d' ' -f1-3 /proc/loadavg)
cpu() { echo "($2 - $1) * 100 / $HZ / $DURATION" | bc -l; }
metrics=$(curl -s "http://127.0.0.1:$PORT/metrics")
rates=$(awk '/^vecwatch_probe_window_requests_per_second/ {printf "%s ", $2}' <<<"$metrics")
recall=$(awk '/^vecwatch_recall_ratio.*k="10"/ {printf "%s ", $2}' <<<"$metrics")

printf 'machine: %s, %s cores; load average at start %s, at end %s\n' \
  "$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)" "$(nproc)" "$load0" "$load1"
printf 'vecwatch: %s %s (JVM options: %s)\n' "$VECWATCH" "${vecwatch_args[*]}" "${VECWATCH_JAVA_OPTS:-launcher defaults}"
printf '%-18s %-40s %-18s %12s %10s %8s %14s\n' "" "start -> first /metrics 200" "CPU until then" "RSS after" \
  "peak RSS" threads "CPU (1 core)"
printf '%-18s %-40s %-18s %8d MiB %6d MiB %8d %13.2f%%\n' vecwatch "$(stats <"$WORK/vw.ms")" \
  "$(cpu_stats <"$WORK/vw.ms")" "$(kib "$vw" VmRSS)" "$(kib "$vw" VmHWM)" "$(threads "$vw")" "$(cpu "$vw0" "$vw1")"
printf '%-18s %-40s %-18s %8d MiB %6d MiB %8d %13.2f%%\n' blackbox_exporter "$(stats <"$WORK/bb.ms")" \
  "$(cpu_stats <"$WORK/bb.ms")" "$(kib "$bb" VmRSS)" "$(kib "$bb" VmHWM)" "$(threads "$bb")" "$(cpu "$bb0" "$bb1")"
printf 'over %d s: vecwatch window rates %s/s, recall@10 %s; blackbox_exporter probes %s\n' "$DURATION" \
  "$rates" "$recall" "$(cat "$WORK/bb.probes" 2>/dev/null || echo 0)"
grep -E "ERROR|WARN" "$WORK/vecwatch.log" | tail -3 || true
