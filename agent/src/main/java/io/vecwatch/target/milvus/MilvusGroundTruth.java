package io.vecwatch.target.milvus;

import io.vecwatch.dataset.Metric;
import io.vecwatch.dataset.Vectors;
import io.vecwatch.knn.ExactKnn;
import io.vecwatch.knn.KnnResult;
import java.util.Arrays;
import java.util.function.LongConsumer;

/**
 * Exact ground truth over a collection too large to hold: vectors arrive in pages (see {@link
 * CollectionReader}), are gathered into chunks of {@code chunkSize}, each chunk is searched exactly
 * with {@link ExactKnn}, and the per-chunk neighbours are merged into each query's running top k.
 * The global top k is in the union of the chunks' top k, so the result is exact; memory is one
 * chunk plus {@code queries x k}. Distances are kept in double precision through the merge and ties
 * are broken by key (each chunk is searched in key order), so the result is the full sort by
 * (distance, key) whatever the chunk and page sizes: float-rounded distances would let two
 * neighbours whose distances differ in the ninth digit swap when a chunk boundary falls between
 * them.
 *
 * <pre>{@code
 * MilvusGroundTruth gt = new MilvusGroundTruth(queries, Metric.L2, 100, 200_000, threads);
 * reader.read(gt::add);
 * gt.finish();
 * long[][] keys = gt.keys();
 * }</pre>
 */
public final class MilvusGroundTruth {
  private final Vectors queries;
  private final Metric metric;
  private final int k;
  private final int threads;
  private final int dim;
  private final float[] chunk;
  private final long[] chunkKeys;
  private int filled;
  private long seen;
  private final long[][] bestKeys;
  private final double[][] bestDistances;
  private final int[] bestCount;
  private final LongConsumer progress;

  /**
   * @param chunkSize vectors searched per exact pass (memory: chunkSize x dim x 4 bytes)
   * @param progress told the number of collection rows consumed so far, after each page
   */
  public MilvusGroundTruth(
      Vectors queries, Metric metric, int k, int chunkSize, int threads, LongConsumer progress) {
    if (k < 1) {
      throw new IllegalArgumentException("k must be at least 1, got " + k);
    }
    if (chunkSize < 1) {
      throw new IllegalArgumentException("chunk size must be at least 1, got " + chunkSize);
    }
    this.queries = queries;
    this.metric = metric;
    this.k = k;
    this.threads = threads;
    this.dim = queries.dim();
    this.chunk = new float[Math.multiplyExact(chunkSize, dim)];
    this.chunkKeys = new long[chunkSize];
    this.bestKeys = new long[queries.count()][k];
    this.bestDistances = new double[queries.count()][k];
    this.bestCount = new int[queries.count()];
    this.progress = progress;
  }

  /** Takes one page of (key, vector) rows. */
  public void add(long[] keys, float[][] vectors) {
    for (int i = 0; i < keys.length; i++) {
      if (vectors[i].length != dim) {
        throw new IllegalArgumentException(
            "vector of key "
                + keys[i]
                + " has dimension "
                + vectors[i].length
                + " but the queries have "
                + dim);
      }
      System.arraycopy(vectors[i], 0, chunk, filled * dim, dim);
      chunkKeys[filled++] = keys[i];
      if (filled == chunkKeys.length) {
        flush();
      }
    }
    seen += keys.length;
    progress.accept(seen);
  }

  /** Searches what is left in the last, partial chunk. Call once, after the last page. */
  public void finish() {
    if (filled > 0) {
      flush();
    }
  }

  /** Rows consumed so far. */
  public long rows() {
    return seen;
  }

  private void flush() {
    // search the chunk in key order, so the exact search's tie-break (lower position first) is by
    // key
    Integer[] order = new Integer[filled];
    for (int i = 0; i < filled; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (x, y) -> Long.compare(chunkKeys[x], chunkKeys[y]));
    float[] sorted = new float[filled * dim];
    long[] sortedKeys = new long[filled];
    for (int i = 0; i < filled; i++) {
      System.arraycopy(chunk, order[i] * dim, sorted, i * dim, dim);
      sortedKeys[i] = chunkKeys[order[i]];
    }
    Vectors base = Vectors.wrap(sorted, filled, dim);
    KnnResult r =
        ExactKnn.builder(base, metric)
            .threads(threads)
            .build()
            .search(queries, Math.min(k, filled));
    float[] queryData = queries.data();
    for (int q = 0; q < queries.count(); q++) {
      int[] ids = r.ids(q);
      double[] distances = new double[ids.length];
      for (int j = 0; j < ids.length; j++) {
        // the result's distances are rounded to float; the merge needs the exact ones
        distances[j] = metric.distance(queryData, queries.offset(q), sorted, ids[j] * dim, dim);
      }
      merge(q, ids, sortedKeys, distances);
    }
    filled = 0;
  }

  /** Merges a chunk's sorted neighbours into query q's sorted running top k, by (distance, key). */
  private void merge(int q, int[] ids, long[] keysOf, double[] distances) {
    int n = bestCount[q];
    long[] keys = new long[k];
    double[] dist = new double[k];
    int a = 0;
    int b = 0;
    int out = 0;
    while (out < k && (a < n || b < ids.length)) {
      boolean takeOld =
          b >= ids.length
              || (a < n
                  && (bestDistances[q][a] < distances[b]
                      || (bestDistances[q][a] == distances[b]
                          && bestKeys[q][a] <= keysOf[ids[b]])));
      if (takeOld) {
        keys[out] = bestKeys[q][a];
        dist[out++] = bestDistances[q][a++];
      } else {
        keys[out] = keysOf[ids[b]];
        dist[out++] = distances[b++];
      }
    }
    bestKeys[q] = keys;
    bestDistances[q] = dist;
    bestCount[q] = out;
  }

  /**
   * The neighbours' keys per query, nearest first; rows are shorter than k if the collection is
   * smaller.
   */
  public long[][] keys() {
    long[][] out = new long[bestKeys.length][];
    for (int q = 0; q < out.length; q++) {
      out[q] = Arrays.copyOf(bestKeys[q], bestCount[q]);
    }
    return out;
  }

  /**
   * Their distances under the metric, as {@link Metric} defines them, rounded to float (as .fvecs
   * stores them).
   */
  public float[][] distances() {
    float[][] out = new float[bestDistances.length][];
    for (int q = 0; q < out.length; q++) {
      out[q] = new float[bestCount[q]];
      for (int j = 0; j < bestCount[q]; j++) {
        out[q][j] = (float) bestDistances[q][j];
      }
    }
    return out;
  }
}
