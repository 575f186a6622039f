package io.vecwatch.knn;

import io.vecwatch.dataset.Metric;

/**
 * The textbook loop: one query, one base vector at a time, distance accumulated in float over a
 * row-major layout. Not used for real work; it is the baseline {@code vecwatch bench groundtruth}
 * compares against.
 */
final class PlainKernel implements Kernel {
  @Override
  public int blockWidth() {
    return 1;
  }

  @Override
  public int queryTile() {
    return 1;
  }

  @Override
  public String describe() {
    return "plain scalar loop";
  }

  @Override
  public void scan(
      PreparedBase base,
      float[] queries,
      int q0,
      int nq,
      TopK[] heaps,
      int h0,
      int blockFrom,
      int blockTo) {
    int dim = base.dim();
    float[] data = base.data();
    float[] beta = base.beta();
    boolean l2 = base.metric() == Metric.L2;
    for (int r = 0; r < nq; r++) {
      TopK heap = heaps[h0 + r];
      int qo = (q0 + r) * dim;
      for (int i = blockFrom; i < blockTo; i++) {
        int bo = i * dim;
        float key;
        if (l2) {
          float s = 0;
          for (int d = 0; d < dim; d++) {
            float diff = queries[qo + d] - data[bo + d];
            s += diff * diff;
          }
          key = s;
        } else {
          float s = 0;
          for (int d = 0; d < dim; d++) {
            s += queries[qo + d] * data[bo + d];
          }
          key = beta[i] * s;
        }
        if (key <= heap.threshold()) {
          heap.offer(key, i);
        }
      }
    }
  }
}
