"""Creates the demo collection the compose stack's vecwatch probes, once, and writes the same vectors as Texmex
files the agent reads as its dataset, so the agent computes exact ground truth and reports real recall@K.

Run by the `milvus-demo-data` service of docker-compose.yml (python image + pymilvus). Idempotent: if the
collection and files are already there it only makes sure the collection is loaded.

Primary keys are the vectors' positions in base.fvecs (0..N-1), the mapping vecwatch assumes by default.
"""
import os
import struct
import sys

import numpy as np
from pymilvus import DataType, MilvusClient

URI = os.environ.get("MILVUS_URI", "http://milvus:19530")
OUT = os.environ.get("DEMO_DIR", "/data/demo")
COLLECTION = os.environ.get("DEMO_COLLECTION", "demo")
N = int(os.environ.get("DEMO_VECTORS", "20000"))
Q = int(os.environ.get("DEMO_QUERIES", "200"))
DIM = int(os.environ.get("DEMO_DIM", "128"))
SEED = 42


def write_fvecs(path, vectors):
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        for v in vectors:
            f.write(struct.pack("<i", len(v)))
            f.write(v.astype("<f4").tobytes())
    os.replace(tmp, path)  # the agent never sees a half-written file


def main():
    rng = np.random.default_rng(SEED)
    # A clustered set (64 Gaussian blobs) so HNSW recall is realistic rather than trivially perfect.
    centers = rng.normal(size=(64, DIM)).astype(np.float32)
    base = centers[rng.integers(0, 64, N)] + 0.35 * rng.normal(size=(N, DIM)).astype(np.float32)
    queries = centers[rng.integers(0, 64, Q)] + 0.35 * rng.normal(size=(Q, DIM)).astype(np.float32)

    os.makedirs(OUT, exist_ok=True)
    if not os.path.exists(os.path.join(OUT, "queries.fvecs")):
        write_fvecs(os.path.join(OUT, "base.fvecs"), base)
        write_fvecs(os.path.join(OUT, "queries.fvecs"), queries)

    client = MilvusClient(uri=URI)
    if not client.has_collection(COLLECTION):
        schema = MilvusClient.create_schema(auto_id=False)
        schema.add_field("id", DataType.INT64, is_primary=True)
        schema.add_field("embedding", DataType.FLOAT_VECTOR, dim=DIM)
        index = client.prepare_index_params()
        index.add_index("embedding", index_type="HNSW", metric_type="L2", params={"M": 16, "efConstruction": 200})
        client.create_collection(COLLECTION, schema=schema, index_params=index)
        for start in range(0, N, 5000):
            rows = [{"id": i, "embedding": base[i].tolist()} for i in range(start, min(N, start + 5000))]
            client.insert(COLLECTION, rows)
        client.flush(COLLECTION)
    client.load_collection(COLLECTION)
    count = client.query(COLLECTION, output_fields=["count(*)"])[0]["count(*)"]
    print(f"collection {COLLECTION}: {count} entities, loaded; dataset files in {OUT}", flush=True)
    return 0 if count == N else 1


if __name__ == "__main__":
    sys.exit(main())
