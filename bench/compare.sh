#!/usr/bin/env bash
# Exact k-NN, whole process, vecwatch (bin/vecwatch groundtruth, the default command) against numpy and faiss-cpu
# on the same files, interleaved, with the machine's sgemm peak and load average. Installs numpy, faiss-cpu and
# threadpoolctl from PyPI into a throwaway virtualenv (VENV to reuse one).
#
#   ./mvnw -B -q -DskipTests package && bench/compare.sh            # 1M x 128 base, 1,000 queries, k = 100
#   BASE=100000 TRIALS=5 METRICS="l2" bench/compare.sh
# Env: BASE (1000000), DIM (128), QUERIES (1000), K (100), TRIALS (3), METRICS ("l2 ip cosine"),
#      VENV (default: a new one under WORK), WORK (default: a temp dir, removed at the end; its inputs are reused
#      when you set it).
# faiss-cpu's bundled OpenBLAS picks its kernels by CPU model and takes AVX-512 Xeons it does not know for an old
# core: faiss runs with OPENBLAS_CORETYPE=SkylakeX (its best here); numpy's own OpenBLAS runs as installed.
# Each run is printed on stderr as it finishes (metric, tool, whole-process ms, search s); the table follows at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
BASE=${BASE:-1000000} DIM=${DIM:-128} QUERIES=${QUERIES:-1000} K=${K:-100} TRIALS=${TRIALS:-3}
METRICS=${METRICS:-l2 ip cosine}
VECWATCH=agent/target/bin/vecwatch
REF=agent/src/main/resources/io/vecwatch/bench/knn_reference.py
[ -x "$VECWATCH" ] || { echo "$VECWATCH not found: build first (./mvnw -B -q -DskipTests package)" >&2; exit 1; }
if [ -z "${WORK:-}" ]; then
  WORK=$(mktemp -d /tmp/vecwatch-compare.XXXXXX)
  trap 'rm -rf "$WORK"' EXIT
fi
mkdir -p "$WORK"
VENV=${VENV:-$WORK/venv}
if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c 'import numpy, faiss, threadpoolctl' 2>/dev/null; then
  echo "installing numpy, faiss-cpu, threadpoolctl into $VENV" >&2
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q --disable-pip-version-check numpy faiss-cpu threadpoolctl
fi
PY=$VENV/bin/python

base=$WORK/base-$BASE-$DIM.fvecs queries=$WORK/queries-$QUERIES-$DIM.fvecs
if [ ! -f "$base" ] || [ ! -f "$queries" ]; then
  # clustered like real embeddings: 100 Gaussian blobs
  "$PY" - "$BASE" "$DIM" "$QUERIES" "$base" "$queries" <<'PY'
import sys
import numpy as np
n, dim, nq, bpath, qpath = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5]
rng = np.random.default_rng(42)
centers = rng.normal(size=(100, dim)).astype(np.float32)
def write(path, count):
    out = np.empty((count, dim + 1), dtype="<f4")
    out[:, 0] = np.array([dim], dtype="<i4").view("<f4")[0]
    for s in range(0, count, 100000):
        e = min(count, s + 100000)
        out[s:e, 1:] = centers[rng.integers(0, 100, e - s)] + 0.5 * rng.normal(size=(e - s, dim)).astype(np.float32)
    out.tofile(path)
write(bpath, n)
write(qpath, nq)
PY
fi

# sgemm peak of this machine: numpy 2000^3 float32, best of 5
peak=$("$PY" - <<'PY'
import time
import numpy as np
a = np.random.default_rng(1).random((2000, 2000), dtype=np.float32)
b = a.copy()
a @ b
best = min((lambda t: (a @ b, time.perf_counter() - t)[1])(time.perf_counter()) for _ in range(5))
print(f"{2 * 2000 ** 3 / best / 1e9:.1f}")
PY
)
blas=$("$PY" -c 'import threadpoolctl, numpy; i = [x for x in threadpoolctl.threadpool_info() if x["user_api"] == "blas"][0]; print(i["internal_api"], i.get("version"), i.get("architecture"), i["num_threads"], "threads")')
gflop=$(echo "2 * $BASE * $QUERIES * $DIM / 10^9" | bc -l)
load0=$(cut -d' ' -f1-3 /proc/loadavg)

now() { date +%s%N; }
: >"$WORK/times"
for trial in $(seq "$TRIALS"); do
  for metric in $METRICS; do
    t0=$(now)
    out=$("$VECWATCH" groundtruth --base "$base" --queries "$queries" --k "$K" --metric "$metric" \
      --out "$WORK/vecwatch-$metric.ivecs" 2>/dev/null)
    t1=$(now)
    echo "$metric vecwatch $(((t1 - t0) / 1000000)) $(sed -n 's/.* in \([0-9.]*\) s$/\1/p' <<<"$out")" | tee -a "$WORK/times" >&2
    t0=$(now)
    s=$(env -u OPENBLAS_CORETYPE "$PY" "$REF" numpy "$metric" "$base" "$queries" "$K" "$WORK/numpy-$metric.ivecs")
    t1=$(now)
    echo "$metric numpy $(((t1 - t0) / 1000000)) ${s#seconds=}" | tee -a "$WORK/times" >&2
    t0=$(now)
    s=$(OPENBLAS_CORETYPE=SkylakeX "$PY" "$REF" faiss "$metric" "$base" "$queries" "$K" "$WORK/faiss-$metric.ivecs")
    t1=$(now)
    echo "$metric faiss $(((t1 - t0) / 1000000)) ${s#seconds=}" | tee -a "$WORK/times" >&2
  done
done
load1=$(cut -d' ' -f1-3 /proc/loadavg)

echo "exact k-NN: base $BASE x $DIM, $QUERIES queries, k = $K; $TRIALS interleaved trials; $(nproc) cores" \
  "($(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)); $(date -u +%Y-%m-%d)"
echo "load average at start $load0, at end $load1"
echo "sgemm peak (numpy 2000^3 float32): $peak GFLOP/s; numpy's BLAS: $blas; work: $(printf %.0f "$gflop") GFLOP per run"
echo "whole process = start to exit (JVM or Python start, reading the files, the search, writing the ids)"
for metric in $METRICS; do
  echo
  printf '%-7s %-9s %24s %24s %12s %10s\n' "$metric" tool "whole process min / med" "search min / med" \
    "GFLOP/s" "vs vecwatch"
  vw_min=$(awk -v m="$metric" '$1 == m && $2 == "vecwatch" {print $3}' "$WORK/times" | sort -n | head -1)
  for tool in vecwatch numpy faiss; do
    awk -v m="$metric" -v t="$tool" -v g="$gflop" -v p="$peak" -v vw="$vw_min" '
      $1 == m && $2 == t {w[++n] = $3; s[n] = $4}
      function med(a, n,   i, j, x) { for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) {x = a[i]; a[i] = a[j]; a[j] = x}; return a[int((n + 1) / 2)] }
      function mn(a, n,   i, x) { x = a[1]; for (i = 2; i <= n; i++) if (a[i] < x) x = a[i]; return x }
      END {
        wmin = mn(w, n); smin = mn(s, n)
        printf "%-7s %-9s %11.2f / %6.2f s %11.2f / %6.2f s %5.0f (%3.0f%%) %9.2fx\n", "", t, wmin / 1000, med(w, n) / 1000,
          smin, med(s, n), g / smin, 100 * g / smin / p, wmin / vw
      }' "$WORK/times"
  done
  "$PY" - "$WORK" "$metric" "$K" <<'PY'
import sys
import numpy as np
work, metric, k = sys.argv[1], sys.argv[2], int(sys.argv[3])
read = lambda t: np.fromfile(f"{work}/{t}-{metric}.ivecs", dtype="<i4").reshape(-1, k + 1)[:, 1:]
v, n, f = read("vecwatch"), read("numpy"), read("faiss")
print(f"        ids: vecwatch = numpy (exact, double-precision re-rank, ties by id) in {(v == n).all(axis=1).sum()}"
      f" of {len(v)} queries; vecwatch = faiss (float32 order) in {(v == f).all(axis=1).sum()},"
      f" same sets in {sum(set(a) == set(b) for a, b in zip(v, f))}")
PY
done
echo
echo "GFLOP/s: 2 x base x queries x dim over the search time (percent of the sgemm peak); 'vs vecwatch': whole-process" \
  "minimum over vecwatch's (above 1: slower than vecwatch)."
