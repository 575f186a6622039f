"""Exact k-NN with numpy or faiss-cpu: the reference implementations vecwatch's exact k-NN is measured against
(bench/compare.sh, `vecwatch bench groundtruth`). Reads base and queries as .fvecs, writes the neighbour ids as
.ivecs, nearest first, and prints one line "seconds=<search time>" (the whole process is timed by the caller).

  python knn_reference.py numpy|faiss l2|ip|cosine base.fvecs queries.fvecs K out.ivecs

numpy: float32 matrix products (BLAS sgemm) over blocks of the base rank candidates, and the best K + 16 per query
are re-ranked by their exact distance in double precision, ties by lower id: the same answer vecwatch computes.
faiss: IndexFlatL2 / IndexFlatIP (cosine: IndexFlatIP over L2-normalised copies) as a user would call it; its
order is float32's, so near-ties can differ from the exact answer (the caller reports how many ids agree).
Distances: l2 = Euclidean, ip = -inner product, cosine = 1 - cosine similarity (smaller is nearer).
"""

import sys
import time

import numpy as np


def read_fvecs(path):
    raw = np.fromfile(path, dtype="<i4")
    dim = int(raw[0])
    return raw.reshape(-1, dim + 1)[:, 1:].view("<f4")


def write_ivecs(path, ids):
    n, k = ids.shape
    out = np.empty((n, k + 1), dtype="<i4")
    out[:, 0] = k
    out[:, 1:] = ids
    out.tofile(path)


def exact_distances(metric, q, b):
    """Double-precision distances of one query (float64 row) to candidate rows (float64)."""
    if metric == "l2":
        return np.sqrt(((b - q) ** 2).sum(axis=1))
    dots = b @ q
    if metric == "ip":
        return -dots
    norms = np.sqrt((b * b).sum(axis=1)) * np.sqrt(q @ q)
    with np.errstate(invalid="ignore", divide="ignore"):
        cos = np.where(norms == 0, 0.0, dots / norms)
    return 1.0 - cos


def numpy_knn(metric, base, queries, k):
    margin = k + 16
    nq = queries.shape[0]
    if metric == "cosine":
        norms = np.sqrt((base.astype(np.float64) ** 2).sum(axis=1)).astype(np.float32)
        scale = np.where(norms == 0, 0, 1 / np.where(norms == 0, 1, norms)).astype(np.float32)
        alpha, beta = None, scale
    elif metric == "l2":
        alpha, beta = (base * base).sum(axis=1), None
    else:
        alpha, beta = None, None
    best_keys = np.full((nq, 0), np.inf, dtype=np.float32)
    best_ids = np.zeros((nq, 0), dtype=np.int64)
    block = 65536
    for start in range(0, base.shape[0], block):
        b = base[start:start + block]
        keys = -(queries @ b.T)  # (nq, block) float32 sgemm
        if metric == "l2":
            keys *= 2
            keys += alpha[start:start + block]
        elif metric == "cosine":
            keys *= beta[start:start + block]
        m = min(margin, keys.shape[1])
        part = np.argpartition(keys, m - 1, axis=1)[:, :m]
        keys = np.take_along_axis(keys, part, axis=1)
        ids = part + start
        best_keys = np.concatenate([best_keys, keys], axis=1)
        best_ids = np.concatenate([best_ids, ids], axis=1)
        if best_keys.shape[1] > margin:
            part = np.argpartition(best_keys, margin - 1, axis=1)[:, :margin]
            best_keys = np.take_along_axis(best_keys, part, axis=1)
            best_ids = np.take_along_axis(best_ids, part, axis=1)
    out = np.empty((nq, k), dtype=np.int64)
    for i in range(nq):
        cand = best_ids[i]
        d = exact_distances(metric, queries[i].astype(np.float64), base[cand].astype(np.float64))
        order = np.lexsort((cand, d))[:k]
        out[i] = cand[order]
    return out


def faiss_knn(metric, base, queries, k):
    import faiss

    if metric == "cosine":
        base = base.copy()
        queries = queries.copy()
        faiss.normalize_L2(base)
        faiss.normalize_L2(queries)
    index = faiss.IndexFlatL2(base.shape[1]) if metric == "l2" else faiss.IndexFlatIP(base.shape[1])
    index.add(base)
    _, ids = index.search(queries, k)
    return ids


def main(argv):
    tool, metric, base_path, queries_path, k, out = argv[1:7]
    k = int(k)
    base = np.ascontiguousarray(read_fvecs(base_path))
    queries = np.ascontiguousarray(read_fvecs(queries_path))
    start = time.perf_counter()
    ids = (numpy_knn if tool == "numpy" else faiss_knn)(metric, base, queries, k)
    seconds = time.perf_counter() - start
    write_ivecs(out, ids)
    print(f"seconds={seconds:.4f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
