package io.vecwatch.knn;

import io.vecwatch.dataset.Metric;
import io.vecwatch.dataset.Vectors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Base vectors laid out for a kernel, with the per-vector terms that turn a dot product into a
 * ranking key {@code key = alpha + beta * dot(q, b)}, which for a fixed query ranks like the
 * distance:
 *
 * <ul>
 *   <li>L2: {@code alpha = |b|^2, beta = -2}, i.e. {@code |q - b|^2 - |q|^2}. Base and queries are
 *       first centred on the base mean (distances do not change), so the cancellation in this
 *       expansion stays small for data far from the origin.
 *   <li>IP: {@code alpha = 0, beta = -1}.
 *   <li>cosine: {@code alpha = 0, beta = -1 / |b|} (0 for a zero vector, whose cosine distance is
 *       1), i.e. {@code -cos * |q|}.
 * </ul>
 *
 * <p>With {@code width == 1} ({@link PlainKernel}) the data is the caller's row-major array itself
 * and the L2 key is {@code |q - b|^2} computed directly. With {@code width > 1} base vectors are
 * grouped in blocks of {@code width}, stored dimension-major inside a block (element {@code (d,
 * lane)} of block {@code j} at {@code (j * dim + d) * width + lane}), so a SIMD register holds one
 * dimension of {@code width} base vectors and no horizontal sums are needed. The last block is
 * padded with zeros and {@code alpha = NaN}, a key that never passes a threshold.
 *
 * <p>{@link #separated} bounds the float error of these keys, so the re-ranking step can prove that
 * no vector outside the candidate heap belongs in the top k (or fall back to an exact scan when it
 * cannot).
 */
final class PreparedBase {
  /** Unit roundoff of float32. */
  private static final double U = 0x1.0p-24;

  private final Metric metric;
  private final Vectors rows;
  private final int width;
  private final int blocks;
  private final float[] data;
  private final float[] alpha;
  private final float[] beta;

  /** The base mean subtracted from base and queries (expanded L2 only), else null. */
  private final float[] center;

  /** Largest norm of a (centred) base vector. */
  private final double maxNorm;

  private PreparedBase(
      Metric metric,
      Vectors rows,
      int width,
      int blocks,
      float[] data,
      float[] alpha,
      float[] beta,
      float[] center,
      double maxNorm) {
    this.metric = metric;
    this.rows = rows;
    this.width = width;
    this.blocks = blocks;
    this.data = data;
    this.alpha = alpha;
    this.beta = beta;
    this.center = center;
    this.maxNorm = maxNorm;
  }

  /** Lays out {@code rows} in blocks of {@code width}, on {@code workers}. */
  static PreparedBase build(Vectors rows, Metric metric, int width, Workers workers) {
    int n = rows.count();
    int dim = rows.dim();
    int blocks = (n + width - 1) / width;
    boolean blocked = width > 1;
    float[] center = blocked && metric == Metric.L2 ? mean(rows) : null;
    float[] data =
        blocked
            ? new float[Math.multiplyExact(Math.multiplyExact(blocks, width), dim)]
            : rows.data();
    float[] alpha = new float[blocks * width];
    float[] beta = new float[blocks * width];
    float[] src = rows.data();
    double[] maxSq = new double[workers.threads()];
    AtomicInteger slot = new AtomicInteger();
    workers.forEachRange(
        blocks,
        (from, to) -> {
          float[] v = new float[dim];
          double localMax = 0;
          for (int j = from; j < to; j++) {
            for (int lane = 0; lane < width; lane++) {
              int i = j * width + lane;
              if (i >= n) {
                alpha[i] = Float.NaN;
                continue;
              }
              int so = rows.offset(i);
              double sq = 0;
              for (int d = 0; d < dim; d++) {
                v[d] = center == null ? src[so + d] : src[so + d] - center[d];
                sq += (double) v[d] * v[d];
              }
              localMax = Math.max(localMax, sq);
              if (blocked) {
                int to0 = j * dim * width + lane;
                for (int d = 0; d < dim; d++) {
                  data[to0 + d * width] = v[d];
                }
              }
              switch (metric) {
                case L2 -> {
                  alpha[i] = (float) sq;
                  beta[i] = -2f;
                }
                case IP -> beta[i] = -1f;
                case COSINE -> beta[i] = sq == 0 ? 0f : (float) (-1.0 / Math.sqrt(sq));
              }
            }
          }
          maxSq[slot.getAndIncrement()] = localMax;
        });
    double max = 0;
    for (double m : maxSq) {
      max = Math.max(max, m);
    }
    return new PreparedBase(metric, rows, width, blocks, data, alpha, beta, center, Math.sqrt(max));
  }

  private static float[] mean(Vectors rows) {
    int dim = rows.dim();
    double[] sum = new double[dim];
    float[] src = rows.data();
    for (int i = 0; i < rows.count(); i++) {
      int o = rows.offset(i);
      for (int d = 0; d < dim; d++) {
        sum[d] += src[o + d];
      }
    }
    float[] mean = new float[dim];
    for (int d = 0; d < dim; d++) {
      mean[d] = (float) (sum[d] / rows.count());
    }
    return mean;
  }

  /** Queries as the kernel must see them: centred like the base, or the array itself. */
  float[] prepareQueries(float[] queries) {
    if (center == null) {
      return queries;
    }
    int dim = center.length;
    float[] out = new float[queries.length];
    for (int i = 0; i < queries.length; i++) {
      out[i] = queries[i] - center[i % dim];
    }
    return out;
  }

  /**
   * Whether every vector outside a full candidate heap is provably farther than the k-th candidate:
   * each outside vector's fast key is at least {@code worstKey}, so its true key is at least {@code
   * worstKey - E} where E bounds the float error of a key; if that is still above the k-th true
   * key, nothing outside can beat the k-th candidate. False for a non-finite key (overflow) or when
   * the bound is too loose.
   *
   * @param preparedQuery the query as the kernel saw it (centred for L2)
   * @param kthDistance the exact distance of the k-th candidate
   */
  boolean separated(float worstKey, double kthDistance, float[] preparedQuery, int offset) {
    if (!Float.isFinite(worstKey)) {
      return false;
    }
    int dim = rows.dim();
    double qSq = 0;
    for (int d = 0; d < dim; d++) {
      double x = preparedQuery[offset + d];
      qSq += x * x;
    }
    double q = Math.sqrt(qSq);
    double b = maxNorm;
    if (!((q + b) * (q + b) < 1e37)) {
      // keys of this magnitude may overflow float (inf - inf = NaN never enters a heap): prove
      // nothing
      return false;
    }
    // gamma_n = n u / (1 - n u) bounds the relative error of an n-term float sum of products
    double gamma = (dim + 2) * U / (1 - (dim + 2) * U);
    double trueKth;
    double error;
    switch (metric) {
      case L2 -> {
        if (width == 1) {
          trueKth = kthDistance * kthDistance;
          error = gamma * (q + b) * (q + b);
        } else {
          trueKth = kthDistance * kthDistance - qSq;
          error = gamma * 2 * q * b + U * b * b + U * (b * b + 2 * q * b);
        }
      }
      case IP -> {
        trueKth = kthDistance;
        error = (gamma + U) * q * b;
      }
      default -> {
        trueKth = (kthDistance - 1) * q;
        error = (gamma + 3 * U) * q;
      }
    }
    // twice the bound, plus slack for the double arithmetic of the exact side
    double slack = 1e-12 * (qSq + b * b + Math.abs(trueKth));
    return worstKey - 2 * error > trueKth + slack;
  }

  Metric metric() {
    return metric;
  }

  /** The original row-major vectors (for exact re-ranking). */
  Vectors rows() {
    return rows;
  }

  int count() {
    return rows.count();
  }

  int dim() {
    return rows.dim();
  }

  int width() {
    return width;
  }

  int blocks() {
    return blocks;
  }

  float[] data() {
    return data;
  }

  float[] alpha() {
    return alpha;
  }

  float[] beta() {
    return beta;
  }
}
