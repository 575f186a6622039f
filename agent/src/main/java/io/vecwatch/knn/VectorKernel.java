package io.vecwatch.knn;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * SIMD kernel on the Java Vector API. Loaded by name only when {@code jdk.incubator.vector} is in
 * the boot layer (see {@link ExactKnn}), so nothing else ever links against the incubator module.
 *
 * <p>Base blocks hold one dimension of {@code WIDTH} base vectors per register. Tiles of 8 queries
 * x 2 blocks (16 accumulators: each loaded base register feeds 8 FMAs, halving the cache traffic
 * per FMA of the 4 x 2 tile) run first; the 4 x 2 tile (4 queries, 2 blocks) keeps 8 accumulators
 * live: per dimension it loads 2 base registers, broadcasts 4 query scalars and issues 8 FMAs, so
 * loads stay well below the FMA rate. Each finished register of keys is compared against the
 * query's heap threshold at once; only the rare lanes that pass reach the scalar heap.
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
    return 8;
  }

  @Override
  public String describe() {
    return "Vector API kernel ("
        + S.vectorBitSize()
        + "-bit, "
        + WIDTH
        + " lanes, 8 or 4 queries x 2 blocks)";
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
    for (; r + 7 < nq; r += 8) {
      scan8(base, queries, q0 + r, heaps, h0 + r, blockFrom, blockTo, scratch);
    }
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

  /** Eight queries x two blocks: 16 accumulators, each base register feeds 8 FMAs. */
  private static void scan8(
      PreparedBase base,
      float[] qs,
      int q,
      TopK[] heaps,
      int h,
      int blockFrom,
      int blockTo,
      float[] scratch) {
    final int dim = base.dim();
    final float[] data = base.data();
    final int stride = dim * WIDTH;
    final int q0 = q * dim;
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
      FloatVector e0 = a0;
      FloatVector e1 = a0;
      FloatVector f0 = a0;
      FloatVector f1 = a0;
      FloatVector g0 = a0;
      FloatVector g1 = a0;
      FloatVector h0 = a0;
      FloatVector h1 = a0;
      for (int d = 0, p = o0; d < dim; d++, p += WIDTH) {
        FloatVector v0 = FloatVector.fromArray(S, data, p);
        FloatVector v1 = FloatVector.fromArray(S, data, p + stride);
        FloatVector xa = FloatVector.broadcast(S, qs[q0 + 0 * dim + d]);
        a0 = xa.fma(v0, a0);
        a1 = xa.fma(v1, a1);
        FloatVector xb = FloatVector.broadcast(S, qs[q0 + 1 * dim + d]);
        b0 = xb.fma(v0, b0);
        b1 = xb.fma(v1, b1);
        FloatVector xc = FloatVector.broadcast(S, qs[q0 + 2 * dim + d]);
        c0 = xc.fma(v0, c0);
        c1 = xc.fma(v1, c1);
        FloatVector xd = FloatVector.broadcast(S, qs[q0 + 3 * dim + d]);
        d0 = xd.fma(v0, d0);
        d1 = xd.fma(v1, d1);
        FloatVector xe = FloatVector.broadcast(S, qs[q0 + 4 * dim + d]);
        e0 = xe.fma(v0, e0);
        e1 = xe.fma(v1, e1);
        FloatVector xf = FloatVector.broadcast(S, qs[q0 + 5 * dim + d]);
        f0 = xf.fma(v0, f0);
        f1 = xf.fma(v1, f1);
        FloatVector xg = FloatVector.broadcast(S, qs[q0 + 6 * dim + d]);
        g0 = xg.fma(v0, g0);
        g1 = xg.fma(v1, g1);
        FloatVector xh = FloatVector.broadcast(S, qs[q0 + 7 * dim + d]);
        h0 = xh.fma(v0, h0);
        h1 = xh.fma(v1, h1);
      }
      a0.intoArray(scratch, 0);
      offer(base, j, heaps[h + 0], scratch);
      a1.intoArray(scratch, 0);
      offer(base, j + 1, heaps[h + 0], scratch);
      b0.intoArray(scratch, 0);
      offer(base, j, heaps[h + 1], scratch);
      b1.intoArray(scratch, 0);
      offer(base, j + 1, heaps[h + 1], scratch);
      c0.intoArray(scratch, 0);
      offer(base, j, heaps[h + 2], scratch);
      c1.intoArray(scratch, 0);
      offer(base, j + 1, heaps[h + 2], scratch);
      d0.intoArray(scratch, 0);
      offer(base, j, heaps[h + 3], scratch);
      d1.intoArray(scratch, 0);
      offer(base, j + 1, heaps[h + 3], scratch);
      e0.intoArray(scratch, 0);
      offer(base, j, heaps[h + 4], scratch);
      e1.intoArray(scratch, 0);
      offer(base, j + 1, heaps[h + 4], scratch);
      f0.intoArray(scratch, 0);
      offer(base, j, heaps[h + 5], scratch);
      f1.intoArray(scratch, 0);
      offer(base, j + 1, heaps[h + 5], scratch);
      g0.intoArray(scratch, 0);
      offer(base, j, heaps[h + 6], scratch);
      g1.intoArray(scratch, 0);
      offer(base, j + 1, heaps[h + 6], scratch);
      h0.intoArray(scratch, 0);
      offer(base, j, heaps[h + 7], scratch);
      h1.intoArray(scratch, 0);
      offer(base, j + 1, heaps[h + 7], scratch);
    }
    if (j < blockTo) {
      scan4(base, qs, q, heaps[h], heaps[h + 1], heaps[h + 2], heaps[h + 3], j, blockTo, scratch);
      scan4(
          base,
          qs,
          q + 4,
          heaps[h + 4],
          heaps[h + 5],
          heaps[h + 6],
          heaps[h + 7],
          j,
          blockTo,
          scratch);
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
      a0.intoArray(scratch, 0);
      offer(base, j, ha, scratch);
      a1.intoArray(scratch, 0);
      offer(base, j + 1, ha, scratch);
      b0.intoArray(scratch, 0);
      offer(base, j, hb, scratch);
      b1.intoArray(scratch, 0);
      offer(base, j + 1, hb, scratch);
      c0.intoArray(scratch, 0);
      offer(base, j, hc, scratch);
      c1.intoArray(scratch, 0);
      offer(base, j + 1, hc, scratch);
      d0.intoArray(scratch, 0);
      offer(base, j, hd, scratch);
      d1.intoArray(scratch, 0);
      offer(base, j + 1, hd, scratch);
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
      a0.intoArray(scratch, 0);
      offer(base, j, ha, scratch);
      b0.intoArray(scratch, 0);
      offer(base, j, hb, scratch);
      c0.intoArray(scratch, 0);
      offer(base, j, hc, scratch);
      d0.intoArray(scratch, 0);
      offer(base, j, hd, scratch);
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
      a0.intoArray(scratch, 0);
      offer(base, j, heap, scratch);
      a1.intoArray(scratch, 0);
      offer(base, j + 1, heap, scratch);
      a2.intoArray(scratch, 0);
      offer(base, j + 2, heap, scratch);
      a3.intoArray(scratch, 0);
      offer(base, j + 3, heap, scratch);
    }
    for (; j < blockTo; j++) {
      int o0 = j * stride;
      FloatVector a0 = FloatVector.zero(S);
      for (int d = 0, p = o0; d < dim; d++, p += WIDTH) {
        a0 = FloatVector.broadcast(S, qs[qo + d]).fma(FloatVector.fromArray(S, data, p), a0);
      }
      a0.intoArray(scratch, 0);
      offer(base, j, heap, scratch);
    }
  }

  /**
   * Turns block {@code j}'s dot products into keys and offers those at or below the heap's
   * threshold.
   */
  private static void offer(PreparedBase base, int j, TopK heap, float[] scratch) {
    // The dot products arrive in scratch, not as a vector argument: the compiler cannot inline
    // every one of the tile's calls, and a vector passed to a call it did not inline is boxed (an
    // allocation and a slow path per call), while one loaded here stays in registers.
    int p = j * WIDTH;
    FloatVector keys =
        FloatVector.fromArray(S, scratch, 0)
            .fma(
                FloatVector.fromArray(S, base.beta(), p),
                FloatVector.fromArray(S, base.alpha(), p));
    VectorMask<Float> pass = keys.compare(VectorOperators.LE, heap.threshold());
    if (pass.anyTrue()) {
      keys.intoArray(scratch, 0);
      admit(pass.toLong(), p, heap, scratch);
    }
  }

  private static void admit(long bits, int p, TopK heap, float[] scratch) {
    while (bits != 0) {
      int lane = Long.numberOfTrailingZeros(bits);
      bits &= bits - 1;
      if (scratch[lane] <= heap.threshold()) {
        heap.offer(scratch[lane], p + lane);
      }
    }
  }
}
