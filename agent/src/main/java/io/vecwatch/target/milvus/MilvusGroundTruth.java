package io.vecwatch.target.milvus;

import io.vecwatch.dataset.Metric;
import io.vecwatch.dataset.Vectors;
import io.vecwatch.knn.ExactKnn;
import io.vecwatch.knn.KnnResult;
import java.util.Arrays;
import java.util.function.LongConsumer;

/**
 * Exact ground truth over a collection too large to hold: vectors arrive in pages (see {@link CollectionReader}),
 * are gathered into chunks of {@code chunkSize}, each chunk is searched exactly with {@link ExactKnn}, and the
 * per-chunk neighbours are merged into each query's running top k. The global top k is in the union of the
 * chunks' top k, so the result is exact; memory is one chunk plus {@code queries x k}.
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
  private final float[][] bestDistances;
  private final int[] bestCount;
  private final LongConsumer progress;

  /**
   * @param chunkSize vectors searched per exact pass (memory: chunkSize x dim x 4 bytes)
   * @param progress told the number of collection rows consumed so far, after each page
   */
  public MilvusGroundTruth(Vectors queries, Metric metric, int k, int chunkSize, int threads, LongConsumer progress) {
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
    this.bestDistances = new float[queries.count()][k];
    this.bestCount = new int[queries.count()];
    this.progress = progress;
  }

  /** Takes one page of (key, vector) rows. */
  public void add(long[] keys, float[][] vectors) {
    for (int i = 0; i < keys.length; i++) {
      if (vectors[i].length != dim) {
        throw new IllegalArgumentException("vector of key " + keys[i] + " has dimension " + vectors[i].length
            + " but the queries have " + dim);
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
    Vectors base = Vectors.wrap(Arrays.copyOf(chunk, filled * dim), filled, dim);
    KnnResult r = ExactKnn.builder(base, metric).threads(threads).build().search(queries, Math.min(k, filled));
    for (int q = 0; q < queries.count(); q++) {
      merge(q, r.ids(q), r.distances(q));
    }
    filled = 0;
  }

  /** Merges a chunk's sorted neighbours into query q's sorted running top k. */
  private void merge(int q, int[] ids, float[] distances) {
    int n = bestCount[q];
    long[] keys = new long[k];
    float[] dist = new float[k];
    int a = 0;
    int b = 0;
    int out = 0;
    while (out < k && (a < n || b < ids.length)) {
      boolean takeOld = b >= ids.length || (a < n && (bestDistances[q][a] < distances[b]
          || (bestDistances[q][a] == distances[b] && bestKeys[q][a] <= chunkKeys[ids[b]])));
      if (takeOld) {
        keys[out] = bestKeys[q][a];
        dist[out++] = bestDistances[q][a++];
      } else {
        keys[out] = chunkKeys[ids[b]];
        dist[out++] = distances[b++];
      }
    }
    bestKeys[q] = keys;
    bestDistances[q] = dist;
    bestCount[q] = out;
  }

  /** The neighbours' keys per query, nearest first; rows are shorter than k if the collection is smaller. */
  public long[][] keys() {
    long[][] out = new long[bestKeys.length][];
    for (int q = 0; q < out.length; q++) {
      out[q] = Arrays.copyOf(bestKeys[q], bestCount[q]);
    }
    return out;
  }

  /** Their distances under the metric, as {@link Metric} defines them. */
  public float[][] distances() {
    float[][] out = new float[bestDistances.length][];
    for (int q = 0; q < out.length; q++) {
      out[q] = Arrays.copyOf(bestDistances[q], bestCount[q]);
    }
    return out;
  }
}
