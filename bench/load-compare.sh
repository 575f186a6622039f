#!/usr/bin/env bash
# Head-to-head of `vecwatch bench load` (closed loop) against VectorDBBench 2.0.0's MultiProcessingSearchRunner and
# a plain multi-process pymilvus client, on the same Milvus collection, same queries, k, ef and concurrency levels.
#
#   bench/load-compare.sh                 # Milvus Lite 3.2.2 (one Python process; GIL-bound)
#   SERVER=milvus23 bench/load-compare.sh # the real Milvus 2.3 standalone (PyPI `milvus`)
#
# Needs: agent/target/vecwatch.jar (./mvnw -DskipTests package), a venv with vectordb-bench==2.0.0
# ($VDBB_VENV, default ~/.cache/vecwatch-peers/vdbbench; created here if missing, ~1.3 GB), Milvus Lite
# (~/.cache/vecwatch-peers/milvus-lite, .ci/peers.sh install) or milvus-server ($MILVUS23, default
# ~/.cache/vecwatch-peers/milvus-server/bin/milvus-server). Milvus 2.3 binds fixed internal ports (2379, 19529,
# 53100, ...): hold the integration-test lock while it runs (flock /tmp/vecwatch-it.lock bench/load-compare.sh).
# Knobs: LEVELS (1,5,10,20), DURATION per level in seconds (10), WARMUP (2), N (20000), DIM (128), EF (128), PORT.
set -euo pipefail
cd "$(dirname "$0")/.."
PEERS=${VECWATCH_PEERS_HOME:-$HOME/.cache/vecwatch-peers}
VDBB_VENV=${VDBB_VENV:-$PEERS/vdbbench}
SERVER=${SERVER:-lite}
LEVELS=${LEVELS:-1,5,10,20}
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-2}
N=${N:-20000}
DIM=${DIM:-128}
EF=${EF:-128}
PORT=${PORT:-29571}
WORK=$(mktemp -d /tmp/vecwatch-load-compare.XXXXXX)
URI=http://127.0.0.1:$PORT
COLLECTION=vdbbench_cmp
PY=$VDBB_VENV/bin/python

if [ ! -x "$VDBB_VENV/bin/vectordbbench" ]; then
  python3 -m venv "$VDBB_VENV"
  "$VDBB_VENV/bin/pip" install -q --disable-pip-version-check 'vectordb-bench==2.0.0' pymilvus
fi

server_pid=
cleanup() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$WORK/data"; }
trap cleanup EXIT
case $SERVER in
  lite)
    "$PEERS/milvus-lite/bin/milvus-lite" server --data-dir "$WORK/data" --host 127.0.0.1 --port "$PORT" \
      >"$WORK/server.log" 2>&1 &
    server_pid=$! ;;
  milvus23)
    "${MILVUS23:-$PEERS/milvus-server/bin/milvus-server}" --data "$WORK/data" --proxy-port "$PORT" \
      >"$WORK/server.log" 2>&1 &
    server_pid=$! ;;
  *) echo "SERVER must be lite or milvus23" >&2; exit 2 ;;
esac
for _ in $(seq 1 240); do (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break; sleep 0.5; done

echo "== preparing $COLLECTION ($N x $DIM, HNSW M=16 efConstruction=128) on $SERVER at $URI"
"$PY" bench/load_compare.py prepare --uri "$URI" --collection "$COLLECTION" --n "$N" --dim "$DIM" --out "$WORK"

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

# A fresh index is still settling (Milvus Lite builds FAISS structures after load): one untimed pass first, so
# no tool pays for it.
echo "== settling: ${DURATION}s of searches, not compared"
"$PY" bench/load_compare.py pymilvus --uri "$URI" --collection "$COLLECTION" --data "$WORK" --levels 2 \
  --duration "$DURATION" --warmup 0 --ef "$EF" >/dev/null
echo "== vecwatch bench load (closed loop, warm-up ${WARMUP}s excluded, ${DURATION}s per level)"
java -jar "${VECWATCH_JAR:-agent/target/vecwatch.jar}" bench load --config "$WORK/vecwatch.yml" --target cmp --out "$WORK/vecwatch" \
  --phases closed --levels "$LEVELS" --warmup "${WARMUP}s" --step "${DURATION}s" | tee "$WORK/vecwatch.txt"
echo "== plain multi-process pymilvus (warm-up ${WARMUP}s excluded)"
"$PY" bench/load_compare.py pymilvus --uri "$URI" --collection "$COLLECTION" --data "$WORK" --levels "$LEVELS" \
  --duration "$DURATION" --warmup "$WARMUP" --ef "$EF" | tee "$WORK/pymilvus.jsonl"
echo "== VectorDBBench 2.0.0 MultiProcessingSearchRunner (its own timing: connect and first searches included)"
"$PY" bench/load_compare.py vdbbench --uri "$URI" --collection "$COLLECTION" --data "$WORK" --levels "$LEVELS" \
  --duration "$DURATION" --ef "$EF" --tmp "$WORK" 2>"$WORK/vdbbench.err" | tee "$WORK/vdbbench.jsonl"

"$PY" - "$WORK" <<'PYTHON'
import json, sys
w = sys.argv[1]
vw = json.load(open(f"{w}/vecwatch/report.json"))
rows = {}
for s in vw["steps"]:
    rows.setdefault(s["concurrency"], {})["vecwatch"] = (s["achieved_rps"], s["p99_seconds"])
for tool in ("pymilvus", "vdbbench"):
    for line in open(f"{w}/{tool}.jsonl"):
        r = json.loads(line)
        rows.setdefault(r["concurrency"], {})[tool] = (r["qps"], r["p99_s"])
print("| concurrency | vecwatch QPS | vecwatch P99 ms | pymilvus QPS | pymilvus P99 ms | VectorDBBench QPS | VectorDBBench P99 ms |")
print("|---:|---:|---:|---:|---:|---:|---:|")
for c in sorted(rows):
    cells = []
    for tool in ("vecwatch", "pymilvus", "vdbbench"):
        q, p = rows[c].get(tool, (float("nan"), float("nan")))
        cells += [f"{q:.1f}", f"{p * 1e3:.1f}"]
    print(f"| {c} | " + " | ".join(cells) + " |")
g = vw.get("generator") or {}
print(f"\nvecwatch generator against a no-op target: {g.get('noop_rps', 0):.0f} req/s with {g.get('threads')} threads, "
      f"{g.get('cpu_microseconds_per_request', 0):.1f} us CPU per request ({g.get('rps_per_core', 0):.0f} req/s per core)")
print(f"recall@10 / @100 at each level: " + ", ".join(
    f"c={s['concurrency']}: {s['recall'].get('10', 0):.3f}/{s['recall'].get('100', 0):.3f}" for s in vw["steps"]))
PYTHON
echo "(work files in $WORK)"
