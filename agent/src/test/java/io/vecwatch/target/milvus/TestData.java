package io.vecwatch.target.milvus;

import io.vecwatch.dataset.Dataset;
import io.vecwatch.dataset.Metric;
import io.vecwatch.dataset.Vectors;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.function.IntToLongFunction;

/**
 * A seeded Gaussian-mixture dataset generated in the test, with exact ground truth computed here by
 * brute force, so recall is checked against an independent computation. Keys map base positions to
 * primary keys ({@code key(i)}), to prove keys (not positions) flow through.
 */
final class TestData {
  final String name;
  final Metric metric;
  final float[][] base;
  final float[][] queries;
  final long[] keys;
  final int[][] groundTruth;
  final float[][] groundTruthDistances;
  final Dataset dataset;

  private TestData(
      String name, Metric metric, float[][] base, float[][] queries, long[] keys, int gtK) {
    this.name = name;
    this.metric = metric;
    this.base = base;
    this.queries = queries;
    this.keys = keys;
    this.groundTruth = new int[queries.length][];
    this.groundTruthDistances = new float[queries.length][];
    for (int q = 0; q < queries.length; q++) {
      bruteForce(q, gtK);
    }
    this.dataset =
        Dataset.builder(name, metric)
            .base(Vectors.of(base))
            .queries(Vectors.of(queries))
            .groundTruth(groundTruth, groundTruthDistances)
            .baseIds(keys)
            .build();
  }

  static TestData generate(
      String name,
      Metric metric,
      int count,
      int dim,
      int queryCount,
      int clusters,
      long seed,
      int gtK,
      IntToLongFunction key) {
    Random r = new Random(seed);
    float[][] centers = new float[clusters][dim];
    for (float[] c : centers) {
      for (int d = 0; d < dim; d++) {
        c[d] = (float) r.nextGaussian();
      }
    }
    float[][] base = new float[count][];
    for (int i = 0; i < count; i++) {
      base[i] = point(centers[r.nextInt(clusters)], r);
    }
    float[][] queries = new float[queryCount][];
    for (int i = 0; i < queryCount; i++) {
      queries[i] = point(centers[r.nextInt(clusters)], r);
    }
    long[] keys = new long[count];
    for (int i = 0; i < count; i++) {
      keys[i] = key.applyAsLong(i);
    }
    return new TestData(name, metric, base, queries, keys, gtK);
  }

  private static float[] point(float[] center, Random r) {
    float[] p = new float[center.length];
    for (int d = 0; d < p.length; d++) {
      p[d] = center[d] + 0.35f * (float) r.nextGaussian();
    }
    return p;
  }

  private void bruteForce(int q, int k) {
    Integer[] order = new Integer[base.length];
    double[] dist = new double[base.length];
    for (int i = 0; i < base.length; i++) {
      order[i] = i;
      dist[i] = metric.distance(queries[q], base[i]);
    }
    Arrays.sort(order, (a, b) -> Double.compare(dist[a], dist[b]));
    groundTruth[q] = new int[k];
    groundTruthDistances[q] = new float[k];
    for (int j = 0; j < k; j++) {
      groundTruth[q][j] = order[j];
      groundTruthDistances[q][j] = (float) dist[order[j]];
    }
  }

  int dim() {
    return base[0].length;
  }

  /** Position of {@code key} in the base vectors. */
  int positionOf(long key) {
    for (int i = 0; i < keys.length; i++) {
      if (keys[i] == key) {
        return i;
      }
    }
    throw new IllegalArgumentException("no key " + key);
  }

  /** VectorDBBench recall@k: |returned[:k] ∩ ground-truth keys[:k]| / k. */
  double recall(int q, long[] returned, int k) {
    Set<Long> truth = new HashSet<>();
    for (int j = 0; j < k; j++) {
      truth.add(keys[groundTruth[q][j]]);
    }
    int hits = 0;
    for (int j = 0; j < Math.min(k, returned.length); j++) {
      if (truth.contains(returned[j])) {
        hits++;
      }
    }
    return (double) hits / k;
  }

  /**
   * Writes the base and query vectors as Texmex files ({@code base.fvecs}, {@code queries.fvecs})
   * and the keys as {@code ids.txt}: a {@code files:} dataset for an agent run as its own process,
   * which computes its own ground truth from them.
   */
  void writeTexmex(Path dir) throws IOException {
    writeFvecs(dir.resolve("base.fvecs"), base);
    writeFvecs(dir.resolve("queries.fvecs"), queries);
    StringBuilder ids = new StringBuilder();
    for (long k : keys) {
      ids.append(k).append('\n');
    }
    Files.writeString(dir.resolve("ids.txt"), ids);
  }

  private static void writeFvecs(Path file, float[][] rows) throws IOException {
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
      for (float[] row : rows) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * row.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(row.length);
        for (float f : row) {
          b.putFloat(f);
        }
        out.write(b.array());
      }
    }
  }
}
