"""Helpers for bench/load-compare.sh: prepare a Milvus collection in VectorDBBench's layout, run one concurrency
level with VectorDBBench's own MultiProcessingSearchRunner or with a plain multi-process pymilvus client, and
build the comparison table.

Steady state, the same for every tool: each search's start and end are stamped with time.perf_counter (the
system-wide monotonic clock, comparable across processes). The measured window opens `warmup` seconds after the
last worker sent its first search (so every worker is connected and warm) and closes when the first worker sent
its last one (so every worker is still sending). QPS = searches that ended in the window / window length; the
percentiles are over searches that started in it. VectorDBBench's own figures (QPS over the time from its start
signal, connect included; P99 over every search of every worker) are kept beside.

Run with the python of a venv that has `vectordb-bench==2.0.0` (which brings pymilvus and numpy).
"""
import argparse
import glob
import json
import multiprocessing as mp
import os
import struct
import sys
import time

import numpy as np

COLLECTION_PK = "pk"  # VectorDBBench's primary key field


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

    c = MilvusClient(uri=a.uri, timeout=60)
    if c.has_collection(a.collection):
        c.drop_collection(a.collection)
    # The schema and collection options VectorDBBench's Milvus client creates itself (pk primary, id, vector;
    # one shard; Session consistency), so it takes the collection as its own. pk = row number = the dataset key.
    schema = MilvusClient.create_schema()
    schema.add_field(COLLECTION_PK, DataType.INT64, is_primary=True)
    schema.add_field("id", DataType.INT64)
    schema.add_field("vector", DataType.FLOAT_VECTOR, dim=a.dim)
    c.create_collection(a.collection, schema=schema, num_shards=1, consistency_level="Session")
    for s in range(0, a.n, 2000):
        rows = [{COLLECTION_PK: i, "id": i, "vector": base[i].tolist()} for i in range(s, min(s + 2000, a.n))]
        c.insert(a.collection, rows)
    c.flush(a.collection)
    ip = c.prepare_index_params()
    ip.add_index(field_name="vector", index_type="HNSW", metric_type="L2", index_name="vector_idx",
                 params={"M": 16, "efConstruction": 128})
    c.create_index(a.collection, ip)
    deadline = time.time() + 300
    while time.time() < deadline:  # the real server builds the index in the background
        info = c.describe_index(a.collection, "vector_idx")
        if info.get("pending_index_rows", 0) == 0 and info.get("indexed_rows", a.n) >= a.n:
            break
        time.sleep(1)
    c.load_collection(a.collection)
    print(json.dumps({"prepared": a.collection, "n": a.n, "dim": a.dim, "queries": a.queries,
                      "server": c.get_server_version()}), flush=True)


def steady(stamps, warmup):
    """stamps: per worker an (n, 2) array of (start, end). Returns (qps, p50, p99, searches, window_seconds)."""
    stamps = [s for s in stamps if len(s)]
    if not stamps:
        return float("nan"), float("nan"), float("nan"), 0, 0.0
    opens = max(s[0, 0] for s in stamps) + warmup
    closes = min(s[-1, 0] for s in stamps)
    if closes <= opens:
        return float("nan"), float("nan"), float("nan"), 0, 0.0
    allst = np.concatenate(stamps)
    ended = np.count_nonzero((allst[:, 1] >= opens) & (allst[:, 1] < closes))
    started = allst[(allst[:, 0] >= opens) & (allst[:, 0] < closes)]
    lat = started[:, 1] - started[:, 0]
    return (ended / (closes - opens), float(np.percentile(lat, 50)), float(np.percentile(lat, 99)), int(len(lat)),
            float(closes - opens))


# ---------------------------------------------------------------------------------------------- VectorDBBench

def vdbbench_check(a):
    import load_compare_vdbb

    load_compare_vdbb.check(a)


def vdbbench(a):
    import load_compare_vdbb

    load_compare_vdbb.level(a, steady)


# ---------------------------------------------------------------------------------------------- plain pymilvus

def _worker(uri, collection, queries, k, ef, warmup, duration, barrier, out):
    from pymilvus import MilvusClient

    c = MilvusClient(uri=uri)
    stamps, errors = [], 0
    i = os.getpid() % len(queries)
    params = {"metric_type": "L2", "params": {"ef": ef}}
    barrier.wait()  # every process starts together, connected and idle
    end = time.perf_counter() + warmup + duration
    while True:
        s = time.perf_counter()
        if s >= end:
            break
        try:
            c.search(collection, data=[queries[i]], anns_field="vector", limit=k, search_params=params)
            stamps.append((s, time.perf_counter()))
        except Exception:  # noqa: BLE001 counted, as VectorDBBench does
            errors += 1
        i = (i + 1) % len(queries)
    out.put((np.asarray(stamps).reshape(-1, 2), errors))


def pymilvus_level(a):
    import pymilvus  # noqa: F401 imported once here: the forked workers inherit it instead of each importing it

    queries = np.load(os.path.join(a.data, "queries.npy")).tolist()
    c = a.level
    out = mp.Queue()
    barrier = mp.Barrier(c)
    t0 = time.perf_counter()
    ps = [mp.Process(target=_worker, args=(a.uri, a.collection, queries, a.k, a.ef, a.warmup, a.duration, barrier,
                                           out)) for _ in range(c)]
    for p in ps:
        p.start()
    results = [out.get(timeout=a.warmup + a.duration + 300) for _ in ps]
    for p in ps:
        p.join()
    wall = time.perf_counter() - t0
    qps, p50, p99, n, window = steady([r[0] for r in results], a.warmup)
    print(json.dumps({"tool": "pymilvus", "concurrency": c, "qps": qps, "p50_s": p50, "p99_s": p99, "searches": n,
                      "window_s": window, "errors": sum(r[1] for r in results), "wall_s": wall}), flush=True)


# ---------------------------------------------------------------------------------------------- vecwatch

def vecwatch_row(a):
    """The closed-loop step of a `vecwatch bench load` report as one result line."""
    r = json.load(open(a.report))
    s = [s for s in r["steps"] if s["mode"] == "closed"][0]
    print(json.dumps({"tool": "vecwatch", "concurrency": s["concurrency"], "qps": s["achieved_rps"],
                      "p50_s": s["p50_seconds"], "p99_s": s["p99_seconds"], "searches": s["requests"],
                      "window_s": s.get("duration_seconds"), "errors": round(s["error_ratio"] * s["requests"]),
                      "recall": s["recall"], "client_limits": s.get("client_limits", []),
                      "generator": r.get("generator")}), flush=True)


# ---------------------------------------------------------------------------------------------- table

def table(a):
    rows = [json.loads(line) for line in open(a.results) if line.startswith("{")]
    servers = []
    for r in rows:
        if r.get("server") not in servers:
            servers.append(r.get("server"))

    def fmt(v, scale=1.0):
        return "–" if v is None or v != v else f"{v * scale:.1f}"

    for server in servers:
        by = {}
        loads = []
        for r in rows:
            if r.get("server") == server:
                by.setdefault(r["concurrency"], {})[r["tool"]] = r
                loads.append(r.get("load1", float("nan")))
        print(f"\n{server} — load average (1 min) before each run: {min(loads):.1f}–{max(loads):.1f}\n")
        print("| concurrency | vecwatch QPS | vecwatch P99 ms | pymilvus QPS | pymilvus P99 ms "
              "| VectorDBBench QPS | VectorDBBench P99 ms | VectorDBBench own QPS | VectorDBBench own P99 ms "
              "| vecwatch QPS ÷ best other | vecwatch P99 ÷ best other |")
        print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for c in sorted(by):
            t = by[c]
            v, p, d = t.get("vecwatch", {}), t.get("pymilvus", {}), t.get("vdbbench", {})
            others = [x for x in (p, d) if x.get("qps") == x.get("qps") and x.get("qps")]
            q_ratio = v.get("qps", float("nan")) / max(x["qps"] for x in others) if others and v else float("nan")
            p_ratio = v.get("p99_s", float("nan")) / min(x["p99_s"] for x in others) if others and v else float("nan")
            err = ""
            if any(x.get("errors") for x in (v, p, d)):
                err = " (errors: " + ", ".join(f"{x['tool']} {x['errors']}" for x in (v, p, d) if x.get("errors")) + ")"
            print(f"| {c}{err} | {fmt(v.get('qps'))} | {fmt(v.get('p99_s'), 1e3)} | {fmt(p.get('qps'))} | "
                  f"{fmt(p.get('p99_s'), 1e3)} | {fmt(d.get('qps'))} | {fmt(d.get('p99_s'), 1e3)} | "
                  f"{fmt(d.get('own_qps'))} | {fmt(d.get('own_p99_s'), 1e3)} | {q_ratio:.2f} | {p_ratio:.2f} |")
        g = next((t["vecwatch"].get("generator") for t in by.values() if t.get("vecwatch", {}).get("generator")),
                 None)
        if g:
            print(f"\nvecwatch generator against a no-op target: {g.get('noop_rps', 0):.0f} req/s with "
                  f"{g.get('threads')} threads, {g.get('cpu_microseconds_per_request', 0):.1f} µs CPU per request")
        rec = [f"c={c}: {t['vecwatch']['recall'].get('10', 0):.3f}/{t['vecwatch']['recall'].get('100', 0):.3f}"
               for c, t in sorted(by.items()) if t.get("vecwatch", {}).get("recall")]
        if rec:
            print("vecwatch recall@10 / @100: " + ", ".join(rec))


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
    for name in ("vdbbench", "pymilvus", "vdbbench-check"):
        s = sub.add_parser(name)
        s.add_argument("--uri", required=True)
        s.add_argument("--collection", required=True)
        s.add_argument("--data", required=True)
        s.add_argument("--level", type=int, default=1)
        s.add_argument("--duration", type=float, default=10)
        s.add_argument("--warmup", type=float, default=2)
        s.add_argument("--k", type=int, default=100)
        s.add_argument("--ef", type=int, default=128)
        s.add_argument("--tmp", default="/tmp")
    v = sub.add_parser("vecwatch-row")
    v.add_argument("--report", required=True)
    t = sub.add_parser("table")
    t.add_argument("--results", required=True)
    a = p.parse_args()
    {"prepare": prepare, "vdbbench": vdbbench, "vdbbench-check": vdbbench_check, "pymilvus": pymilvus_level,
     "vecwatch-row": vecwatch_row, "table": table}[a.cmd](a)


if __name__ == "__main__":
    sys.exit(main())
