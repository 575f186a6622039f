package io.vecwatch.capacity;

import java.util.ArrayList;
import java.util.List;

/**
 * The production guide's memory estimate for a vector index: stored vectors + index overhead, plus
 * a safety buffer (20 % by default), times the number of in-memory replicas.
 *
 * <pre>{@code
 * MemoryEstimate e = MemoryEstimate.of(10_000_000, 768, IndexType.HNSW, 16, 0, 0.20, 1);
 * e.totalBytes();   // 38_400_000_000 (35.76 GiB)
 * }</pre>
 *
 * @param vectors number of vectors (entities)
 * @param dim vector dimension
 * @param index index family
 * @param hnswM HNSW {@code M} (only for {@link IndexType#HNSW})
 * @param pqM PQ sub-quantizers {@code m} (only for {@link IndexType#PQ}); must divide {@code dim}
 * @param bufferRatio safety margin added on top, e.g. 0.20
 * @param replicas in-memory replicas (Milvus {@code load(replica_number=...)}); each holds a full
 *     copy
 * @param vectorBytes bytes of stored vectors (or their codes) for one replica
 * @param overheadBytes bytes the index structure adds for one replica
 */
public record MemoryEstimate(
    long vectors,
    int dim,
    IndexType index,
    int hnswM,
    int pqM,
    double bufferRatio,
    int replicas,
    long vectorBytes,
    long overheadBytes) {

  /** Bytes of one float32 component. */
  public static final int FLOAT_BYTES = 4;

  /** Bytes of one HNSW neighbour id. */
  public static final int LINK_BYTES = 4;

  /**
   * Share of the stored vectors the IVF inverted lists add (the production guide's "about 10 %").
   */
  public static final double IVF_OVERHEAD_RATIO = 0.10;

  /** PQ code width: 8 bits per sub-quantizer, so 256 centroids per codebook. */
  public static final int PQ_NBITS = 8;

  public static final double DEFAULT_BUFFER = 0.20;
  public static final int DEFAULT_HNSW_M = 16;

  /** Computes the estimate; throws {@link IllegalArgumentException} naming the first bad input. */
  public static MemoryEstimate of(
      long vectors,
      int dim,
      IndexType index,
      int hnswM,
      int pqM,
      double bufferRatio,
      int replicas) {
    List<String> bad = new ArrayList<>();
    if (vectors < 0) {
      bad.add("vectors must not be negative, got " + vectors);
    }
    if (dim < 1) {
      bad.add("dim must be at least 1, got " + dim);
    }
    if (index == IndexType.HNSW && hnswM < 2) {
      bad.add("HNSW M must be at least 2, got " + hnswM);
    }
    if (index == IndexType.PQ && (pqM < 1 || dim % pqM != 0)) {
      bad.add("PQ m must be a positive divisor of dim " + dim + ", got " + pqM);
    }
    if (!(bufferRatio >= 0 && bufferRatio <= 10)) {
      bad.add("buffer must be between 0 and 10 (a ratio, 0.2 = 20 %), got " + bufferRatio);
    }
    if (replicas < 1) {
      bad.add("replicas must be at least 1, got " + replicas);
    }
    if (!bad.isEmpty()) {
      throw new IllegalArgumentException(bad.get(0));
    }
    long raw = Math.multiplyExact(Math.multiplyExact(vectors, (long) dim), FLOAT_BYTES);
    long stored;
    long overhead;
    switch (index) {
      case FLAT -> {
        stored = raw;
        overhead = 0;
      }
      case HNSW -> {
        stored = raw;
        overhead = Math.multiplyExact(vectors, 2L * hnswM * LINK_BYTES);
      }
      case IVF -> {
        stored = raw;
        overhead = Math.round(stored * IVF_OVERHEAD_RATIO);
      }
      case SQ -> {
        stored = Math.multiplyExact(vectors, (long) dim);
        overhead = Math.round(stored * IVF_OVERHEAD_RATIO);
      }
      case PQ -> {
        stored = Math.multiplyExact(vectors, (long) pqM * PQ_NBITS / 8);
        long codebooks =
            (1L << PQ_NBITS) * dim * FLOAT_BYTES; // m codebooks of 256 × (dim/m) floats
        overhead = Math.round(stored * IVF_OVERHEAD_RATIO) + codebooks;
      }
      default -> throw new AssertionError(index);
    }
    return new MemoryEstimate(
        vectors, dim, index, hnswM, pqM, bufferRatio, replicas, stored, overhead);
  }

  /** Vectors plus index, one replica, before the buffer. */
  public long subtotalBytes() {
    return vectorBytes + overheadBytes;
  }

  /** The safety margin for one replica. */
  public long bufferBytes() {
    return Math.round(subtotalBytes() * bufferRatio);
  }

  /** What one replica needs: subtotal plus buffer. */
  public long perReplicaBytes() {
    return subtotalBytes() + bufferBytes();
  }

  /** What all replicas need together. */
  public long totalBytes() {
    return Math.multiplyExact(perReplicaBytes(), (long) replicas);
  }

  /** Bytes in binary gigabytes (GiB, 1024³), the unit the production guide's formula divides by. */
  public static double gib(long bytes) {
    return bytes / (double) (1L << 30);
  }
}
