package io.vecwatch.knn;

import io.vecwatch.dataset.Metric;
import io.vecwatch.dataset.Vectors;

/**
 * Turns a heap of candidates ranked by fast float keys into the final answer: recomputes each candidate's
 * distance exactly ({@link Metric#distance(float[], int, float[], int, int)}, double precision), sorts by
 * (distance, position) and keeps the first k. The fast L2 key {@code |b|^2 - 2 q.b} loses digits to
 * cancellation, so near-ties could swap; the heap keeps a margin of extra candidates for this step.
 */
final class Rerank {
  private Rerank() {}

  /** Extra candidates kept beyond k so rounding in the fast keys cannot push a true neighbour out. */
  static int capacity(int k, int n) {
    return (int) Math.min(n, (long) k + Math.max(16, k / 8));
  }

  static void finish(TopK heap, Metric metric, Vectors base, float[] queries, int queryOffset, int k,
      int[] outIds, float[] outDistances) {
    int m = heap.size();
    double[] dist = new double[m];
    int[] pos = new int[m];
    float[] data = base.data();
    int dim = base.dim();
    for (int i = 0; i < m; i++) {
      pos[i] = heap.position(i);
      dist[i] = metric.distance(queries, queryOffset, data, base.offset(pos[i]), dim);
    }
    sort(dist, pos, m);
    for (int i = 0; i < k; i++) {
      outIds[i] = pos[i];
      outDistances[i] = (float) dist[i];
    }
  }

  /** Sorts both arrays by (distance, position), ascending; a stable merge sort on primitives. */
  static void sort(double[] dist, int[] pos, int n) {
    if (n < 2) {
      return;
    }
    double[] td = new double[n];
    int[] tp = new int[n];
    for (int width = 1; width < n; width *= 2) {
      for (int lo = 0; lo < n; lo += 2 * width) {
        int mid = Math.min(lo + width, n);
        int hi = Math.min(lo + 2 * width, n);
        int a = lo;
        int b = mid;
        int o = lo;
        while (a < mid && b < hi) {
          if (before(dist[b], pos[b], dist[a], pos[a])) {
            td[o] = dist[b];
            tp[o++] = pos[b++];
          } else {
            td[o] = dist[a];
            tp[o++] = pos[a++];
          }
        }
        while (a < mid) {
          td[o] = dist[a];
          tp[o++] = pos[a++];
        }
        while (b < hi) {
          td[o] = dist[b];
          tp[o++] = pos[b++];
        }
      }
      System.arraycopy(td, 0, dist, 0, n);
      System.arraycopy(tp, 0, pos, 0, n);
    }
  }

  private static boolean before(double da, int pa, double db, int pb) {
    int c = Double.compare(da, db);
    return c < 0 || (c == 0 && pa < pb);
  }
}
