package io.vecwatch.knn;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * SIMD kernel on the Java Vector API. Loaded by name only when {@code jdk.incubator.vector} is in
 * the boot layer (see {@link ExactKnn}), so nothing else ever links against the incubator module.
 *
 * <p>Base blocks hold one dimension of {@code WIDTH} base vectors per register. The 4 x 2 tile (4
 * queries, 2 blocks) keeps 8 accumulators live: per dimension it loads 2 base registers, broadcasts
 * 4 query scalars and issues 8 FMAs, so loads stay well below the FMA rate. Each finished register
 * of keys is compared against the query's heap threshold at once; only the rare lanes that pass
 * reach the scalar heap.
 */
final class VectorKernel implements Kernel {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  static final int WIDTH = S.length();

  @Override
  public int blockWidth() {
    return WIDTH;
  }

  @Override
  public int queryTile() {
    return 4;
  }

  @Override
  public String describe() {
    return "Vector API kernel ("
        + S.vectorBitSize()
        + "-bit, "
        + WIDTH
        + " lanes, 4 queries x 2 blocks)";
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
    float[] scratch = new float[WIDTH];
    int r = 0;
    for (; r + 3 < nq; r += 4) {
      scan4(
          base,
          queries,
          q0 + r,
          heaps[h0 + r],
          heaps[h0 + r + 1],
          heaps[h0 + r + 2],
          heaps[h0 + r + 3],
          blockFrom,
          blockTo,
          scratch);
    }
    for (; r < nq; r++) {
      scan1(base, queries, q0 + r, heaps[h0 + r], blockFrom, blockTo, scratch);
    }
  }

  private static void scan4(
      PreparedBase base,
      float[] qs,
      int q,
      TopK ha,
      TopK hb,
      TopK hc,
      TopK hd,
      int blockFrom,
      int blockTo,
      float[] scratch) {
    final int dim = base.dim();
    final float[] data = base.data();
    final int stride = dim * WIDTH;
    final int qa = q * dim;
    final int qb = qa + dim;
    final int qc = qb + dim;
    final int qd = qc + dim;
    int j = blockFrom;
    for (; j + 1 < blockTo; j += 2) {
      int o0 = j * stride;
      FloatVector a0 = FloatVector.zero(S);
      FloatVector a1 = a0;
      FloatVector b0 = a0;
      FloatVector b1 = a0;
      FloatVector c0 = a0;
      FloatVector c1 = a0;
      FloatVector d0 = a0;
      FloatVector d1 = a0;
      // one induction variable for the base offset: C2 then hoists the loads' range checks
      for (int d = 0, p = o0; d < dim; d++, p += WIDTH) {
        FloatVector v0 = FloatVector.fromArray(S, data, p);
        FloatVector v1 = FloatVector.fromArray(S, data, p + stride);
        FloatVector x = FloatVector.broadcast(S, qs[qa + d]);
        a0 = x.fma(v0, a0);
        a1 = x.fma(v1, a1);
        x = FloatVector.broadcast(S, qs[qb + d]);
        b0 = x.fma(v0, b0);
        b1 = x.fma(v1, b1);
        x = FloatVector.broadcast(S, qs[qc + d]);
        c0 = x.fma(v0, c0);
        c1 = x.fma(v1, c1);
        x = FloatVector.broadcast(S, qs[qd + d]);
        d0 = x.fma(v0, d0);
        d1 = x.fma(v1, d1);
      }
      offer(base, j, a0, ha, scratch);
      offer(base, j + 1, a1, ha, scratch);
      offer(base, j, b0, hb, scratch);
      offer(base, j + 1, b1, hb, scratch);
      offer(base, j, c0, hc, scratch);
      offer(base, j + 1, c1, hc, scratch);
      offer(base, j, d0, hd, scratch);
      offer(base, j + 1, d1, hd, scratch);
    }
    if (j < blockTo) {
      int o0 = j * stride;
      FloatVector a0 = FloatVector.zero(S);
      FloatVector b0 = a0;
      FloatVector c0 = a0;
      FloatVector d0 = a0;
      for (int d = 0, p = o0; d < dim; d++, p += WIDTH) {
        FloatVector v0 = FloatVector.fromArray(S, data, p);
        a0 = FloatVector.broadcast(S, qs[qa + d]).fma(v0, a0);
        b0 = FloatVector.broadcast(S, qs[qb + d]).fma(v0, b0);
        c0 = FloatVector.broadcast(S, qs[qc + d]).fma(v0, c0);
        d0 = FloatVector.broadcast(S, qs[qd + d]).fma(v0, d0);
      }
      offer(base, j, a0, ha, scratch);
      offer(base, j, b0, hb, scratch);
      offer(base, j, c0, hc, scratch);
      offer(base, j, d0, hd, scratch);
    }
  }

  /** One query: 4 blocks at a time for independent accumulators, then single blocks. */
  private static void scan1(
      PreparedBase base,
      float[] qs,
      int q,
      TopK heap,
      int blockFrom,
      int blockTo,
      float[] scratch) {
    final int dim = base.dim();
    final float[] data = base.data();
    final int stride = dim * WIDTH;
    final int qo = q * dim;
    int j = blockFrom;
    for (; j + 3 < blockTo; j += 4) {
      int o0 = j * stride;
      FloatVector a0 = FloatVector.zero(S);
      FloatVector a1 = a0;
      FloatVector a2 = a0;
      FloatVector a3 = a0;
      for (int d = 0, p = o0; d < dim; d++, p += WIDTH) {
        FloatVector x = FloatVector.broadcast(S, qs[qo + d]);
        a0 = x.fma(FloatVector.fromArray(S, data, p), a0);
        a1 = x.fma(FloatVector.fromArray(S, data, p + stride), a1);
        a2 = x.fma(FloatVector.fromArray(S, data, p + 2 * stride), a2);
        a3 = x.fma(FloatVector.fromArray(S, data, p + 3 * stride), a3);
      }
      offer(base, j, a0, heap, scratch);
      offer(base, j + 1, a1, heap, scratch);
      offer(base, j + 2, a2, heap, scratch);
      offer(base, j + 3, a3, heap, scratch);
    }
    for (; j < blockTo; j++) {
      int o0 = j * stride;
      FloatVector a0 = FloatVector.zero(S);
      for (int d = 0, p = o0; d < dim; d++, p += WIDTH) {
        a0 = FloatVector.broadcast(S, qs[qo + d]).fma(FloatVector.fromArray(S, data, p), a0);
      }
      offer(base, j, a0, heap, scratch);
    }
  }

  /**
   * Turns block {@code j}'s dot products into keys and offers those at or below the heap's
   * threshold.
   */
  private static void offer(
      PreparedBase base, int j, FloatVector dots, TopK heap, float[] scratch) {
    int p = j * WIDTH;
    FloatVector keys =
        dots.fma(
            FloatVector.fromArray(S, base.beta(), p), FloatVector.fromArray(S, base.alpha(), p));
    VectorMask<Float> pass = keys.compare(VectorOperators.LE, heap.threshold());
    if (!pass.anyTrue()) {
      return;
    }
    keys.intoArray(scratch, 0);
    long bits = pass.toLong();
    while (bits != 0) {
      int lane = Long.numberOfTrailingZeros(bits);
      bits &= bits - 1;
      if (scratch[lane] <= heap.threshold()) {
        heap.offer(scratch[lane], p + lane);
      }
    }
  }
}
