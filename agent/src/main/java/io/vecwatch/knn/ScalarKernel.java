package io.vecwatch.knn;

/**
 * Portable kernel in plain Java for when the Vector API module is absent: blocks of 8 base vectors
 * laid out dimension-major, two queries at a time, so 16 independent accumulators keep the FPU busy
 * instead of one serial sum per pair.
 */
final class ScalarKernel implements Kernel {
  static final int WIDTH = 8;

  @Override
  public int blockWidth() {
    return WIDTH;
  }

  @Override
  public int queryTile() {
    return 2;
  }

  @Override
  public String describe() {
    return "scalar blocked kernel (8 lanes, 2 queries)";
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
    int r = 0;
    for (; r + 1 < nq; r += 2) {
      scanPair(base, queries, q0 + r, heaps[h0 + r], heaps[h0 + r + 1], blockFrom, blockTo);
    }
    if (r < nq) {
      scanPair(base, queries, q0 + r, heaps[h0 + r], null, blockFrom, blockTo);
    }
  }

  /**
   * Two queries (the second may be absent: then the first is computed twice and the copy dropped).
   */
  private static void scanPair(
      PreparedBase base,
      float[] queries,
      int q,
      TopK heapA,
      TopK heapB,
      int blockFrom,
      int blockTo) {
    int dim = base.dim();
    float[] data = base.data();
    float[] alpha = base.alpha();
    float[] beta = base.beta();
    int qa = q * dim;
    int qb = heapB == null ? qa : qa + dim;
    float[] keys = new float[WIDTH];
    for (int j = blockFrom; j < blockTo; j++) {
      float a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0;
      float b0 = 0, b1 = 0, b2 = 0, b3 = 0, b4 = 0, b5 = 0, b6 = 0, b7 = 0;
      int o = j * dim * WIDTH;
      for (int d = 0; d < dim; d++, o += WIDTH) {
        float x = queries[qa + d];
        float y = queries[qb + d];
        float v0 = data[o], v1 = data[o + 1], v2 = data[o + 2], v3 = data[o + 3];
        float v4 = data[o + 4], v5 = data[o + 5], v6 = data[o + 6], v7 = data[o + 7];
        a0 += x * v0;
        a1 += x * v1;
        a2 += x * v2;
        a3 += x * v3;
        a4 += x * v4;
        a5 += x * v5;
        a6 += x * v6;
        a7 += x * v7;
        b0 += y * v0;
        b1 += y * v1;
        b2 += y * v2;
        b3 += y * v3;
        b4 += y * v4;
        b5 += y * v5;
        b6 += y * v6;
        b7 += y * v7;
      }
      int p = j * WIDTH;
      offer(heapA, keys, p, alpha, beta, a0, a1, a2, a3, a4, a5, a6, a7);
      if (heapB != null) {
        offer(heapB, keys, p, alpha, beta, b0, b1, b2, b3, b4, b5, b6, b7);
      }
    }
  }

  private static void offer(
      TopK heap,
      float[] keys,
      int p,
      float[] alpha,
      float[] beta,
      float d0,
      float d1,
      float d2,
      float d3,
      float d4,
      float d5,
      float d6,
      float d7) {
    keys[0] = alpha[p] + beta[p] * d0;
    keys[1] = alpha[p + 1] + beta[p + 1] * d1;
    keys[2] = alpha[p + 2] + beta[p + 2] * d2;
    keys[3] = alpha[p + 3] + beta[p + 3] * d3;
    keys[4] = alpha[p + 4] + beta[p + 4] * d4;
    keys[5] = alpha[p + 5] + beta[p + 5] * d5;
    keys[6] = alpha[p + 6] + beta[p + 6] * d6;
    keys[7] = alpha[p + 7] + beta[p + 7] * d7;
    float t = heap.threshold();
    for (int l = 0; l < WIDTH; l++) {
      // NaN keys (padding lanes) never pass
      if (keys[l] <= t) {
        heap.offer(keys[l], p + l);
        t = heap.threshold();
      }
    }
  }
}
