"""Head-to-head helpers for bench/load-compare.sh: prepare a Milvus collection in VectorDBBench's layout, then
sweep it with VectorDBBench's own MultiProcessingSearchRunner and with a plain multi-process pymilvus client.

Each sweep prints one JSON line per concurrency level: {"tool", "concurrency", "qps", "p50_s", "p99_s", "searches"}.
Run with the python of a venv that has `vectordb-bench==2.0.0` (which brings pymilvus and numpy).
"""
import argparse
import json
import multiprocessing as mp
import os
import struct
import sys
import time

import numpy as np


def write_vecs(path, rows, fmt):
    """Texmex .fvecs ('f') / .ivecs ('i'): per row an int32 dimension, then the values."""
    with open(path, "wb") as f:
        for row in rows:
            f.write(struct.pack("<i", len(row)))
            f.write(np.asarray(row, dtype="<f4" if fmt == "f" else "<i4").tobytes())


def prepare(a):
    from pymilvus import DataType, MilvusClient

    rng = np.random.default_rng(a.seed)
    centers = rng.normal(size=(64, a.dim)).astype(np.float32)
    base = (centers[rng.integers(0, 64, a.n)] + 0.3 * rng.normal(size=(a.n, a.dim))).astype(np.float32)
    queries = (centers[rng.integers(0, 64, a.queries)] + 0.3 * rng.normal(size=(a.queries, a.dim))).astype(np.float32)
    # exact L2 ground truth, 100 deep (VectorDBBench's k)
    d = (queries ** 2).sum(1)[:, None] - 2 * queries @ base.T + (base ** 2).sum(1)[None, :]
    gt = np.argsort(d, axis=1)[:, :100]
    os.makedirs(a.out, exist_ok=True)
    write_vecs(os.path.join(a.out, "base.fvecs"), base, "f")
    write_vecs(os.path.join(a.out, "queries.fvecs"), queries, "f")
    write_vecs(os.path.join(a.out, "gt.ivecs"), gt, "i")
    np.save(os.path.join(a.out, "queries.npy"), queries)

    c = MilvusClient(uri=a.uri)
    if c.has_collection(a.collection):
        c.drop_collection(a.collection)
    # VectorDBBench's field names: pk (primary), id, vector; pk = row number = the dataset key
    schema = MilvusClient.create_schema()
    schema.add_field("pk", DataType.INT64, is_primary=True)
    schema.add_field("id", DataType.INT64)
    schema.add_field("vector", DataType.FLOAT_VECTOR, dim=a.dim)
    c.create_collection(a.collection, schema=schema)
    for s in range(0, a.n, 2000):
        rows = [{"pk": i, "id": i, "vector": base[i].tolist()} for i in range(s, min(s + 2000, a.n))]
        c.insert(a.collection, rows)
    c.flush(a.collection)
    ip = c.prepare_index_params()
    ip.add_index(field_name="vector", index_type="HNSW", metric_type="L2", index_name="vector_idx",
                 params={"M": 16, "efConstruction": 128})
    c.create_index(a.collection, ip)
    c.load_collection(a.collection)
    print(json.dumps({"prepared": a.collection, "n": a.n, "dim": a.dim, "queries": a.queries}))


def vdbbench(a):
    os.environ.setdefault("LOG_FILE", os.path.join(a.tmp, "vdbbench.log"))
    os.environ.setdefault("RESULTS_LOCAL_DIR", os.path.join(a.tmp, "vdbbench-results"))
    from vectordb_bench.backend.clients.api import MetricType
    from vectordb_bench.backend.clients.milvus.config import HNSWConfig
    from vectordb_bench.backend.clients.milvus.milvus import Milvus
    from vectordb_bench.backend.runner.mp_runner import MultiProcessingSearchRunner

    queries = np.load(os.path.join(a.data, "queries.npy")).tolist()
    db = Milvus(len(queries[0]), {"uri": a.uri, "user": "", "password": ""},
                HNSWConfig(M=16, efConstruction=128, ef=a.ef, metric_type=MetricType.L2),
                collection_name=a.collection, drop_old=False)
    levels = [int(x) for x in a.levels.split(",")]
    r = MultiProcessingSearchRunner(db, queries, k=a.k, concurrencies=levels, duration=a.duration).run()
    _, conc, qps, p99, _p95, _avg, p50 = r
    for i, c in enumerate(conc):
        print(json.dumps({"tool": "vectordbbench", "concurrency": c, "qps": qps[i], "p50_s": p50[i],
                          "p99_s": p99[i]}), flush=True)


def _worker(uri, collection, queries, k, ef, warmup, duration, start_at, out):
    from pymilvus import MilvusClient

    c = MilvusClient(uri=uri)
    lat = []
    i = os.getpid() % len(queries)
    while time.time() < start_at:  # every process starts together, connected and idle
        time.sleep(0.001)
    t0 = time.perf_counter()
    measure_from, end = t0 + warmup, t0 + warmup + duration
    while True:
        s = time.perf_counter()
        if s >= end:
            break
        c.search(collection, data=[queries[i]], anns_field="vector", limit=k,
                 search_params={"metric_type": "L2", "params": {"ef": ef}})
        e = time.perf_counter()
        if s >= measure_from:
            lat.append(e - s)
        i = (i + 1) % len(queries)
    out.put(lat)


def pymilvus_sweep(a):
    queries = np.load(os.path.join(a.data, "queries.npy")).tolist()
    for c in [int(x) for x in a.levels.split(",")]:
        out = mp.Queue()
        start_at = time.time() + 2 + 0.05 * c
        ps = [mp.Process(target=_worker, args=(a.uri, a.collection, queries, a.k, a.ef, a.warmup, a.duration,
                                               start_at, out)) for _ in range(c)]
        for p in ps:
            p.start()
        lat = []
        for _ in ps:
            lat += out.get()
        for p in ps:
            p.join()
        print(json.dumps({"tool": "pymilvus", "concurrency": c, "qps": len(lat) / a.duration,
                          "p50_s": float(np.percentile(lat, 50)), "p99_s": float(np.percentile(lat, 99)),
                          "searches": len(lat)}), flush=True)


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    pr = sub.add_parser("prepare")
    pr.add_argument("--uri", required=True)
    pr.add_argument("--collection", required=True)
    pr.add_argument("--n", type=int, default=20000)
    pr.add_argument("--dim", type=int, default=128)
    pr.add_argument("--queries", type=int, default=1000)
    pr.add_argument("--seed", type=int, default=7)
    pr.add_argument("--out", required=True)
    for name in ("vdbbench", "pymilvus"):
        s = sub.add_parser(name)
        s.add_argument("--uri", required=True)
        s.add_argument("--collection", required=True)
        s.add_argument("--data", required=True)
        s.add_argument("--levels", default="1,5,10,20")
        s.add_argument("--duration", type=int, default=10)
        s.add_argument("--warmup", type=float, default=2)
        s.add_argument("--k", type=int, default=100)
        s.add_argument("--ef", type=int, default=128)
        s.add_argument("--tmp", default="/tmp")
    a = p.parse_args()
    {"prepare": prepare, "vdbbench": vdbbench, "pymilvus": pymilvus_sweep}[a.cmd](a)


if __name__ == "__main__":
    sys.exit(main())
