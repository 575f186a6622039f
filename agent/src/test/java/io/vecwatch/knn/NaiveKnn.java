package io.vecwatch.knn;

import io.vecwatch.dataset.Metric;
import io.vecwatch.dataset.Vectors;
import java.util.Arrays;
import java.util.Comparator;

/**
 * The reference every kernel is checked against: every distance in double precision ({@link
 * Metric#distance(float[], float[])}, the documented definition), a full sort by (distance,
 * position).
 */
public final class NaiveKnn {
  public final int[][] ids;
  public final double[][] distances;

  private NaiveKnn(int[][] ids, double[][] distances) {
    this.ids = ids;
    this.distances = distances;
  }

  public static NaiveKnn of(Vectors base, Vectors queries, Metric metric, int k) {
    int nq = queries.count();
    int[][] ids = new int[nq][k];
    double[][] dist = new double[nq][k];
    for (int q = 0; q < nq; q++) {
      float[] query = queries.row(q);
      double[] all = new double[base.count()];
      Integer[] order = new Integer[base.count()];
      for (int i = 0; i < all.length; i++) {
        all[i] = metric.distance(query, base.row(i));
        order[i] = i;
      }
      Arrays.sort(order, Comparator.<Integer>comparingDouble(i -> all[i]).thenComparingInt(i -> i));
      for (int j = 0; j < k; j++) {
        ids[q][j] = order[j];
        dist[q][j] = all[order[j]];
      }
    }
    return new NaiveKnn(ids, dist);
  }
}
