package io.vecwatch.testing;

import io.vecwatch.dataset.Dataset;
import io.vecwatch.dataset.Metric;
import io.vecwatch.dataset.Vectors;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * Small random L2 datasets for tests, with ground truth computed here by a plain sort over squared
 * distances (an implementation independent of the production code).
 */
public final class TestDatasets {
  private TestDatasets() {}

  /** Uniform random base and query vectors; exact L2 ground truth {@code depth} deep. */
  public static Dataset random(
      String name, int count, int dim, int queries, int depth, long seed, long[] baseIds) {
    Random rnd = new Random(seed);
    float[][] base = new float[count][dim];
    float[][] qs = new float[queries][dim];
    for (float[] v : base) {
      fill(v, rnd);
    }
    for (float[] v : qs) {
      fill(v, rnd);
    }
    int[][] gt = new int[queries][];
    float[][] dist = new float[queries][];
    for (int q = 0; q < queries; q++) {
      gt[q] = nearest(base, qs[q], depth);
      dist[q] = new float[depth];
      for (int j = 0; j < depth; j++) {
        dist[q][j] = (float) Math.sqrt(squaredL2(base[gt[q][j]], qs[q]));
      }
    }
    Dataset.Builder b =
        Dataset.builder(name, Metric.L2)
            .base(Vectors.of(base))
            .queries(Vectors.of(qs))
            .groundTruth(gt, dist);
    if (baseIds != null) {
      b.baseIds(baseIds);
    }
    return b.build();
  }

  /**
   * Positions of the {@code k} nearest rows of {@code base} to {@code q} by squared L2, nearest
   * first.
   */
  public static int[] nearest(float[][] base, float[] q, int k) {
    List<Integer> idx = new ArrayList<>();
    for (int i = 0; i < base.length; i++) {
      idx.add(i);
    }
    idx.sort(Comparator.comparingDouble(i -> squaredL2(base[i], q)));
    return idx.subList(0, k).stream().mapToInt(Integer::intValue).toArray();
  }

  public static double squaredL2(float[] a, float[] b) {
    double s = 0;
    for (int i = a.length - 1; i >= 0; i--) {
      s += (a[i] - b[i]) * (double) (a[i] - b[i]);
    }
    return s;
  }

  private static void fill(float[] v, Random rnd) {
    for (int i = 0; i < v.length; i++) {
      v[i] = rnd.nextFloat() * 2 - 1;
    }
  }
}
