"""VectorDBBench 2.0.0 for bench/load_compare.py: its stock Milvus client and MultiProcessingSearchRunner, with a
start/end stamp per search so the steady state can be cut out the same way as for the other clients.

A module of its own because VectorDBBench's workers are spawned processes: they unpickle the runner, so its
class (and the primary-key fallback below) must be importable by name.
"""
import glob
import json
import os
import time

import numpy as np
from vectordb_bench.backend.runner.mp_runner import MultiProcessingSearchRunner

COLLECTION_PK = "pk"  # VectorDBBench's primary key field
FALLBACK_ENV = "LOAD_COMPARE_PK_FALLBACK"


def pk_fallback():
    """VectorDBBench 2.0.0 reads each hit's id as `hit["pk"]`. pymilvus keys a hit by the primary field name the
    server reports in SearchResultData.primary_field_name and falls back to "id" when the server leaves it empty,
    which a Milvus 2.3 server does (the field came with 2.4): then every search of the stock client ends in
    KeyError('pk'), whatever the collection's schema. This fills the name in, as a 2.4+ server does, when the
    server left it empty; the request, the response and everything VectorDBBench times stay as they are.
    Applied in the spawned workers too: they import this module to unpickle the runner, and inherit the
    environment variable."""
    from pymilvus.client.search_result import SearchResult

    if getattr(SearchResult, "_load_compare_pk_fallback", False):
        return
    original = SearchResult._parse_search_result_data

    def parse(self, res, round_decimal):
        if not res.primary_field_name:
            res.primary_field_name = COLLECTION_PK
        return original(self, res, round_decimal)

    SearchResult._parse_search_result_data = parse
    SearchResult._load_compare_pk_fallback = True


if os.environ.get(FALLBACK_ENV) == "1":
    pk_fallback()


class StampedRunner(MultiProcessingSearchRunner):
    """VectorDBBench's runner unchanged, plus a (start, end) stamp per successful search, saved per worker."""

    stamp_dir = "/tmp"

    def _search_once(self, query, tenant_rng=None):
        s = time.perf_counter()
        try:
            r = super()._search_once(query, tenant_rng=tenant_rng)
        except Exception:
            self._errors += 1
            raise
        self._stamps.append((s, time.perf_counter()))
        return r

    def search(self, test_data, q, cond):
        self._stamps, self._errors = [], 0
        r = super().search(test_data, q, cond)
        np.save(os.path.join(self.stamp_dir, f"w{os.getpid()}.npy"), np.asarray(self._stamps).reshape(-1, 2))
        with open(os.path.join(self.stamp_dir, f"w{os.getpid()}.err"), "w") as f:
            f.write(str(self._errors))
        return r


def _db(a, dim):
    os.environ.setdefault("LOG_FILE", os.path.join(a.tmp, "vdbbench.log"))
    os.environ.setdefault("RESULTS_LOCAL_DIR", os.path.join(a.tmp, "vdbbench-results"))
    from vectordb_bench.backend.clients.api import MetricType
    from vectordb_bench.backend.clients.milvus.config import HNSWConfig
    from vectordb_bench.backend.clients.milvus.milvus import Milvus

    return Milvus(dim, {"uri": a.uri, "user": "", "password": ""},
                  HNSWConfig(M=16, efConstruction=128, ef=a.ef, metric_type=MetricType.L2),
                  collection_name=a.collection, drop_old=False)


def check(a):
    """One search through the stock client: prints whether this server needs the primary-key fallback."""
    from vectordb_bench.backend.filter import non_filter

    queries = np.load(os.path.join(a.data, "queries.npy"))
    db = _db(a, queries.shape[1])
    with db.init():
        db.prepare_filter(non_filter)
        try:
            ids = db.search_embedding(queries[0].tolist(), a.k)
            print(json.dumps({"pk_fallback": False, "hits": len(ids)}), flush=True)
            return
        except KeyError as e:
            stock_error = f"KeyError({e})"
        pk_fallback()
        ids = db.search_embedding(queries[0].tolist(), a.k)
        print(json.dumps({"pk_fallback": True, "stock_error": stock_error, "hits": len(ids)}), flush=True)


def level(a, steady):
    queries = np.load(os.path.join(a.data, "queries.npy"))
    db = _db(a, queries.shape[1])
    stamp_dir = os.path.join(a.tmp, f"vdbb-c{a.level}")
    os.makedirs(stamp_dir, exist_ok=True)
    for f in glob.glob(os.path.join(stamp_dir, "w*")):
        os.remove(f)
    # its duration covers our warm-up too, so the steady window is about `duration` long
    runner = StampedRunner(db, queries.tolist(), k=a.k, concurrencies=[a.level],
                           duration=int(round(a.duration + a.warmup)))
    runner.stamp_dir = stamp_dir
    t0 = time.perf_counter()
    _max_qps, _conc, qps, p99, _p95, _avg, p50 = runner.run()
    wall = time.perf_counter() - t0
    stamps = [np.load(f) for f in sorted(glob.glob(os.path.join(stamp_dir, "w*.npy")))]
    errors = sum(int(open(f).read()) for f in glob.glob(os.path.join(stamp_dir, "w*.err")))
    s_qps, s_p50, s_p99, n, window = steady(stamps, a.warmup)
    print(json.dumps({"tool": "vdbbench", "concurrency": a.level, "qps": s_qps, "p50_s": s_p50, "p99_s": s_p99,
                      "searches": n, "window_s": window, "errors": errors, "own_qps": qps[0],
                      "own_p50_s": p50[0], "own_p99_s": p99[0], "wall_s": wall}), flush=True)
