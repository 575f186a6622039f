#!/usr/bin/env bash
# Head-to-head of `vecwatch bench load` (closed loop) against VectorDBBench 2.0.0's MultiProcessingSearchRunner and
# a plain multi-process pymilvus client: same Milvus collection, same queries, k = 100, ef, concurrency levels.
#
#   bench/load-compare.sh                    # the real Milvus 2.3 server, then Milvus Lite 3.2.2; about 10 minutes
#   QUICK=1 bench/load-compare.sh            # 5,000 vectors, concurrency 5 only, 4 s per level; about 3 minutes
#   SERVERS=lite bench/load-compare.sh       # one server only (lite or milvus23)
#
# For each server: start it on a private port, build one collection in VectorDBBench's own layout (pk, id, vector;
# 20,000 x 128, HNSW M=16 efConstruction=128, L2), settle it with an untimed pass, then for each concurrency level
# run the three clients one after another, rotating which goes first, printing the load average before each run.
# Every client is compared in steady state: WARMUP seconds after its last worker started are excluded and the
# window ends when its first worker stops (bench/load_compare.py says exactly how). vecwatch excludes its own
# --warmup, and a fresh JVM runs each level, so it also sends FIRST_WARMUP seconds of untimed searches first (the
# JVM compiles the client's code paths during its first thousands of searches; Python's gRPC client is compiled
# C). VectorDBBench's own figures, whose timing includes its workers' connect and first searches, are kept in
# extra columns.
#
# Milvus 2.3 binds fixed internal ports (2379, 19529, 53100, ...): the script takes /tmp/vecwatch-it.lock (the
# integration tests' lock) around that part itself, waiting up to LOCK_WAIT seconds; do not wrap it in flock.
#
# Needs: agent/target/bin/vecwatch, the launcher users run, with its JVM settings (./mvnw -B -q -DskipTests package); a venv with vectordb-bench==2.0.0
# ($VDBB_VENV, default ~/.cache/vecwatch-peers/vdbbench; created if missing, ~1.3 GB); Milvus Lite
# (~/.cache/vecwatch-peers/milvus-lite, .ci/peers.sh install) and the Milvus 2.3 wheel's milvus-server ($MILVUS23,
# default ~/.cache/vecwatch-peers/milvus-server/bin/milvus-server).
# Knobs: SERVERS, LEVELS, DURATION (measured seconds per level), WARMUP, FIRST_WARMUP, N, DIM, EF, PORT, OUT, and
# BUDGET (seconds, 600; QUICK 180): a run that would end past it is skipped and said so, so the script finishes
# unattended in about that time (waiting for the lock not counted) even when VectorDBBench's worker start-up is
# slow on a busy machine.
set -uo pipefail
cd "$(dirname "$0")/.."
PEERS=${VECWATCH_PEERS_HOME:-$HOME/.cache/vecwatch-peers}
VDBB_VENV=${VDBB_VENV:-$PEERS/vdbbench}
MILVUS23=${MILVUS23:-$PEERS/milvus-server/bin/milvus-server}
VECWATCH=${VECWATCH:-agent/target/bin/vecwatch}
SERVERS=${SERVERS:-milvus23 lite}
if [ "${QUICK:-0}" = 1 ]; then
  LEVELS=${LEVELS:-5}; DURATION=${DURATION:-4}; N=${N:-5000}; FIRST_WARMUP=${FIRST_WARMUP:-5}; BUDGET=${BUDGET:-180}
fi
BUDGET=${BUDGET:-600}
LEVELS=${LEVELS:-1,5,20}
DURATION=${DURATION:-8}
WARMUP=${WARMUP:-2}
FIRST_WARMUP=${FIRST_WARMUP:-10}
N=${N:-20000}
DIM=${DIM:-128}
EF=${EF:-128}
PORT=${PORT:-$((29500 + RANDOM % 400))}
LOCK_WAIT=${LOCK_WAIT:-1200}
WORK=$(mktemp -d /tmp/vecwatch-load-compare.XXXXXX)
OUT=${OUT:-$WORK}
mkdir -p "$OUT"
RESULTS=$OUT/results.jsonl
COLLECTION=vdbbench_cmp
PY=$VDBB_VENV/bin/python
HELPER=bench/load_compare.py
T0=$(date +%s)

say() { printf '[%4ds] %s\n' $(($(date +%s) - T0)) "$*"; }
load1() { cut -d' ' -f1 /proc/loadavg; }

[ -x "$VECWATCH" ] || { echo "load-compare: $VECWATCH not found; build it first: ./mvnw -B -q -DskipTests package" >&2; exit 2; }
if [ ! -x "$VDBB_VENV/bin/vectordbbench" ]; then
  say "installing vectordb-bench 2.0.0 into $VDBB_VENV"
  python3 -m venv "$VDBB_VENV" &&
    "$VDBB_VENV/bin/pip" install -q --disable-pip-version-check 'vectordb-bench==2.0.0' pymilvus ||
    { echo "load-compare: could not install vectordb-bench into $VDBB_VENV" >&2; exit 2; }
fi

server_pid=
stop_server() {
  if [ -n "$server_pid" ]; then
    # the server runs in its own process group: milvus-server's wrapper and the milvus binary it starts
    kill -- -"$server_pid" 2>/dev/null
    for _ in $(seq 1 60); do kill -0 -- -"$server_pid" 2>/dev/null || break; sleep 0.5; done
    kill -9 -- -"$server_pid" 2>/dev/null
    wait "$server_pid" 2>/dev/null
    server_pid=
  fi
}
trap 'stop_server; rm -rf "$WORK"/data-*' EXIT
trap 'say "interrupted"; exit 130' INT TERM

start_server() { # $1 = lite | milvus23
  local data=$WORK/data-$1
  rm -rf "$data"
  case $1 in
    lite) setsid "$PEERS/milvus-lite/bin/milvus-lite" server --data-dir "$data" --host 127.0.0.1 --port "$PORT" \
            >"$WORK/server-$1.log" 2>&1 & ;;
    milvus23) setsid "$MILVUS23" --data "$data" --proxy-port "$PORT" >"$WORK/server-$1.log" 2>&1 & ;;
  esac
  server_pid=$!
  for _ in $(seq 1 400); do
    (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && return 0
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.5
  done
  say "$1 did not start on 127.0.0.1:$PORT (log: $WORK/server-$1.log)"
  return 1
}

# Appends one result line, tagged with the server and the load average taken before the run.
record() { # $1 = server, $2 = load1, stdin = the helper's output
  local line
  line=$(grep '^{' | tail -1)
  if [ -n "$line" ]; then
    echo "{\"server\": \"$1\", \"load1\": $2, ${line#\{}" >>"$RESULTS"
    echo "    $line"
  else
    say "    no result (see $WORK/*.err)"
  fi
}

elapsed() { echo $(($(date +%s) - T0 - LOCK_WAITED)); }
LOCK_WAITED=0

run_tool() { # $1 = server, $2 = tool, $3 = concurrency
  local l limit=$((4 * (DURATION + WARMUP) + 180))
  if [ "$(elapsed)" -gt $((BUDGET - DURATION - WARMUP - 15)) ]; then
    say "  $2 c=$3 skipped: the ${BUDGET}s budget is spent"
    return
  fi
  l=$(load1)
  say "  $2 c=$3 (load average $l)"
  case $2 in
    vecwatch)
      rm -rf "$WORK/vecwatch-c$3"
      timeout "$limit" "$VECWATCH" bench load --config "$WORK/vecwatch.yml" --target cmp \
        --out "$WORK/vecwatch-c$3" --phases closed --levels "$3" --warmup "${WARMUP}s" --first-warmup "${FIRST_WARMUP}s" \
        --step "${DURATION}s" \
        >"$WORK/vecwatch-c$3.log" 2>"$WORK/vecwatch-c$3.err" &&
        "$PY" "$HELPER" vecwatch-row --report "$WORK/vecwatch-c$3/report.json" | record "$1" "$l" ;;
    pymilvus|vdbbench)
      timeout "$limit" "$PY" "$HELPER" "$2" --uri "$URI" --collection "$COLLECTION" --data "$WORK" --level "$3" \
        --duration "$DURATION" --warmup "$WARMUP" --ef "$EF" --tmp "$WORK" 2>"$WORK/$2-c$3.err" |
        record "$1" "$l" ;;
  esac
}

sweep() { # $1 = server
  local server=$1 i=0
  URI=http://127.0.0.1:$PORT
  if [ "$(elapsed)" -gt $((BUDGET - 60)) ]; then say "== $server skipped: the ${BUDGET}s budget is spent"; return 1; fi
  say "== $server: starting on 127.0.0.1:$PORT"
  start_server "$server" || return 1
  say "== $server: preparing $COLLECTION ($N x $DIM, HNSW M=16 efConstruction=128, L2)"
  "$PY" "$HELPER" prepare --uri "$URI" --collection "$COLLECTION" --n "$N" --dim "$DIM" --out "$WORK" \
    2>"$WORK/prepare-$server.err" || { say "prepare failed: $(tail -1 "$WORK/prepare-$server.err")"; return 1; }
  cat >"$WORK/vecwatch.yml" <<YAML
datasets:
  - name: cmp
    metric: l2
    files: {base: base.fvecs, queries: queries.fvecs, groundtruth: gt.ivecs}
targets:
  - name: cmp
    kind: milvus
    dataset: cmp
    uri: $URI
    collection: $COLLECTION
    vector_field: vector
    search_params: {ef: $EF}
    self_recall: {sample_size: 0}
    call_timeout: 30s
probes:
  - target: cmp
    recall_k: [10, 100]
    timeout: 30s
YAML
  # VectorDBBench's stock client must accept the collection before anything is timed
  local check
  check=$(unset LOAD_COMPARE_PK_FALLBACK; "$PY" "$HELPER" vdbbench-check --uri "$URI" --collection "$COLLECTION" \
    --data "$WORK" --ef "$EF" --tmp "$WORK" 2>"$WORK/check-$server.err" | grep '^{')
  say "   VectorDBBench's client on $server: ${check:-failed: $(tail -1 "$WORK/check-$server.err")}"
  case $check in
    *'"pk_fallback": true'*) export LOAD_COMPARE_PK_FALLBACK=1 ;;
    *) unset LOAD_COMPARE_PK_FALLBACK ;;
  esac
  # A fresh index is still settling (Milvus Lite builds FAISS structures on first use): an untimed pass first.
  say "== $server: settling, $((DURATION / 2 + 1))s of searches at concurrency 2, not compared"
  "$PY" "$HELPER" pymilvus --uri "$URI" --collection "$COLLECTION" --data "$WORK" --level 2 \
    --duration $((DURATION / 2 + 1)) \
    --warmup 0 --ef "$EF" >/dev/null 2>"$WORK/settle-$server.err"
  local tools=(vecwatch pymilvus vdbbench)
  for c in ${LEVELS//,/ }; do
    for j in 0 1 2; do
      if ! kill -0 "$server_pid" 2>/dev/null; then say "$server exited (log: $WORK/server-$server.log)"; return 1; fi
      run_tool "$server" "${tools[$(((i + j) % 3))]}" "$c"
    done
    i=$((i + 1))
  done
  stop_server
}

say "levels $LEVELS, ${DURATION}s measured + ${WARMUP}s warm-up per level and client, k=100, ef=$EF; results in $OUT"
for s in $SERVERS; do
  case $s in
    lite) sweep lite ;;
    milvus23)
      if [ "${LOAD_COMPARE_LOCK:-1}" = 1 ]; then
        exec 9>/tmp/vecwatch-it.lock
        say "== milvus23: waiting for /tmp/vecwatch-it.lock (fixed internal ports)"
        w0=$(date +%s)
        if flock -w "$LOCK_WAIT" 9; then
          LOCK_WAITED=$((LOCK_WAITED + $(date +%s) - w0))
          sweep milvus23
        else say "lock not free after ${LOCK_WAIT}s: milvus23 skipped"; fi
        stop_server
        exec 9>&-
      else
        sweep milvus23
      fi ;;
    *) echo "load-compare: SERVERS takes lite and/or milvus23, not $s" >&2; exit 2 ;;
  esac
done

{
  echo "Measured $(date -u '+%Y-%m-%d %H:%M UTC') on $(nproc) cores; load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)."
  echo "$N x $DIM, HNSW M=16 efConstruction=128, L2, k=100, ef=$EF; ${DURATION}s steady state per level after ${WARMUP}s warm-up (vecwatch: after at least ${FIRST_WARMUP}s, longer while its JIT compiler is busy, + ${WARMUP}s)."
  "$PY" "$HELPER" table --results "$RESULTS"
} | tee "$OUT/table.md"
say "done; work files in $WORK"
