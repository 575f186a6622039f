package io.vecwatch.knn;

import io.vecwatch.dataset.Metric;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * SIMD kernel on the Java Vector API over the caller's row-major vectors, read in place (block
 * width 1): no second, blocked copy of the base, which halves the memory of an exact index that
 * answers one query at a time (a flat target). Loaded by name only when {@code
 * jdk.incubator.vector} is in the boot layer (see {@link ExactKnn}).
 *
 * <p>Four base rows are scanned together so each query register is loaded once for four FMAs; each
 * row's lanes are summed once at its end. Keys are those of {@link PlainKernel}: {@code |q - b|^2}
 * for L2, {@code beta * dot(q, b)} otherwise.
 */
final class RowVectorKernel implements Kernel {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

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
    return "Vector API row kernel (" + S.vectorBitSize() + "-bit, base read in place)";
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
    int bound = S.loopBound(dim);
    for (int r = 0; r < nq; r++) {
      TopK heap = heaps[h0 + r];
      int qo = (q0 + r) * dim;
      int i = blockFrom;
      for (; i + 3 < blockTo; i += 4) {
        int b0 = i * dim;
        int b1 = b0 + dim;
        int b2 = b1 + dim;
        int b3 = b2 + dim;
        FloatVector a0 = FloatVector.zero(S);
        FloatVector a1 = FloatVector.zero(S);
        FloatVector a2 = FloatVector.zero(S);
        FloatVector a3 = FloatVector.zero(S);
        int d = 0;
        if (l2) {
          for (; d < bound; d += S.length()) {
            FloatVector q = FloatVector.fromArray(S, queries, qo + d);
            FloatVector x0 = q.sub(FloatVector.fromArray(S, data, b0 + d));
            FloatVector x1 = q.sub(FloatVector.fromArray(S, data, b1 + d));
            FloatVector x2 = q.sub(FloatVector.fromArray(S, data, b2 + d));
            FloatVector x3 = q.sub(FloatVector.fromArray(S, data, b3 + d));
            a0 = x0.fma(x0, a0);
            a1 = x1.fma(x1, a1);
            a2 = x2.fma(x2, a2);
            a3 = x3.fma(x3, a3);
          }
        } else {
          for (; d < bound; d += S.length()) {
            FloatVector q = FloatVector.fromArray(S, queries, qo + d);
            a0 = q.fma(FloatVector.fromArray(S, data, b0 + d), a0);
            a1 = q.fma(FloatVector.fromArray(S, data, b1 + d), a1);
            a2 = q.fma(FloatVector.fromArray(S, data, b2 + d), a2);
            a3 = q.fma(FloatVector.fromArray(S, data, b3 + d), a3);
          }
        }
        offer(
            heap, l2, beta, i, a0.reduceLanes(VectorOperators.ADD), queries, qo, data, b0, d, dim);
        offer(
            heap,
            l2,
            beta,
            i + 1,
            a1.reduceLanes(VectorOperators.ADD),
            queries,
            qo,
            data,
            b1,
            d,
            dim);
        offer(
            heap,
            l2,
            beta,
            i + 2,
            a2.reduceLanes(VectorOperators.ADD),
            queries,
            qo,
            data,
            b2,
            d,
            dim);
        offer(
            heap,
            l2,
            beta,
            i + 3,
            a3.reduceLanes(VectorOperators.ADD),
            queries,
            qo,
            data,
            b3,
            d,
            dim);
      }
      for (; i < blockTo; i++) {
        int bo = i * dim;
        FloatVector a = FloatVector.zero(S);
        int d = 0;
        for (; d < bound; d += S.length()) {
          FloatVector q = FloatVector.fromArray(S, queries, qo + d);
          FloatVector b = FloatVector.fromArray(S, data, bo + d);
          if (l2) {
            FloatVector x = q.sub(b);
            a = x.fma(x, a);
          } else {
            a = q.fma(b, a);
          }
        }
        offer(heap, l2, beta, i, a.reduceLanes(VectorOperators.ADD), queries, qo, data, bo, d, dim);
      }
    }
  }

  /** Adds the dimensions past the last full register, then offers row {@code i}'s key. */
  private static void offer(
      TopK heap,
      boolean l2,
      float[] beta,
      int i,
      float partial,
      float[] queries,
      int qo,
      float[] data,
      int bo,
      int from,
      int dim) {
    float s = partial;
    for (int d = from; d < dim; d++) {
      if (l2) {
        float x = queries[qo + d] - data[bo + d];
        s += x * x;
      } else {
        s += queries[qo + d] * data[bo + d];
      }
    }
    float key = l2 ? s : beta[i] * s;
    if (key <= heap.threshold()) {
      heap.offer(key, i);
    }
  }
}
