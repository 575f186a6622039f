package io.vecwatch.knn;

import io.vecwatch.dataset.Metric;
import io.vecwatch.dataset.Vectors;

/**
 * Turns a heap of candidates ranked by fast float keys into the final answer: recomputes each
 * candidate's distance exactly ({@link Metric#distance(float[], int, float[], int, int)}, double
 * precision), sorts by (distance, position) and keeps the first k. The fast keys are float and the
 * L2 key {@code |b|^2 - 2 q.b} loses digits to cancellation, so near-ties could swap: the heap
 * keeps a margin of extra candidates, and an error bound proves the margin was enough (else an
 * exact scan decides).
 */
final class Rerank {
  private Rerank() {}

  /**
   * Extra candidates kept beyond k so rounding in the fast keys cannot push a true neighbour out.
   */
  static int capacity(int k, int n) {
    return (int) Math.min(n, (long) k + Math.max(16, k / 8));
  }

  /**
   * Writes the k nearest of {@code heap}'s candidates, by exact distance, to {@code outIds}/{@code
   * outDistances}. When {@link PreparedBase#separated} cannot prove that nothing outside the heap
   * beats the k-th candidate (degenerate data: masses of equal distances, values near float
   * overflow), scans every base vector exactly.
   *
   * @param prepared the query as the kernel saw it (for the error bound)
   * @return whether the exact scan was needed
   */
  static boolean finish(
      TopK heap,
      PreparedBase base,
      float[] queries,
      int queryOffset,
      float[] prepared,
      int preparedOffset,
      int k,
      int[] outIds,
      float[] outDistances) {
    Metric metric = base.metric();
    Vectors rows = base.rows();
    double[] dist = new double[heap.capacity()];
    int[] pos = new int[heap.capacity()];
    int m = 0;
    for (int i = 0; i < heap.capacity(); i++) {
      int p = heap.position(i);
      if (p != TopK.NONE) {
        pos[m] = p;
        dist[m++] = metric.distance(queries, queryOffset, rows.data(), rows.offset(p), rows.dim());
      }
    }
    sort(dist, pos, m);
    boolean complete =
        m == rows.count()
            || (m >= k
                && heap.full()
                && base.separated(heap.worstKey(), dist[k - 1], prepared, preparedOffset));
    if (!complete) {
      dist = new double[rows.count()];
      pos = new int[rows.count()];
      for (int i = 0; i < pos.length; i++) {
        pos[i] = i;
        dist[i] = metric.distance(queries, queryOffset, rows.data(), rows.offset(i), rows.dim());
      }
      sort(dist, pos, pos.length);
    }
    for (int i = 0; i < k; i++) {
      outIds[i] = pos[i];
      outDistances[i] = (float) dist[i];
    }
    return !complete;
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
