package io.vecwatch.knn;

import io.vecwatch.dataset.Metric;
import io.vecwatch.dataset.Vectors;

/**
 * Base vectors laid out for a kernel, with the per-vector terms that turn a dot product into a ranking key:
 * {@code key = alpha + beta * dot(q, b)}, which for a fixed query ranks like the distance.
 *
 * <ul>
 *   <li>L2: {@code alpha = |b|^2, beta = -2} ({@code |q - b|^2 - |q|^2}).
 *   <li>IP: {@code alpha = 0, beta = -1}.
 *   <li>cosine: {@code alpha = 0, beta = -1 / |b|} (0 for a zero vector, whose cosine distance is 1).
 * </ul>
 *
 * <p>With {@code width == 1} the data is the caller's row-major array itself. With {@code width > 1} base vectors
 * are grouped in blocks of {@code width}, stored dimension-major inside a block (element {@code (d, lane)} of
 * block {@code j} at {@code (j * dim + d) * width + lane}), so a SIMD register holds one dimension of
 * {@code width} base vectors and no horizontal sums are needed. The last block is padded with zeros and
 * {@code alpha = NaN}, a key that never compares below a threshold.
 */
final class PreparedBase {
  private final Metric metric;
  private final Vectors rows;
  private final int width;
  private final int blocks;
  private final float[] data;
  private final float[] alpha;
  private final float[] beta;

  private PreparedBase(Metric metric, Vectors rows, int width, int blocks, float[] data, float[] alpha, float[] beta) {
    this.metric = metric;
    this.rows = rows;
    this.width = width;
    this.blocks = blocks;
    this.data = data;
    this.alpha = alpha;
    this.beta = beta;
  }

  /** Lays out {@code rows} in blocks of {@code width}; {@code blocks [from, to)} are filled by one worker each. */
  static PreparedBase build(Vectors rows, Metric metric, int width, Workers workers) {
    int n = rows.count();
    int dim = rows.dim();
    int blocks = (n + width - 1) / width;
    float[] data = width == 1 ? rows.data() : new float[Math.multiplyExact(Math.multiplyExact(blocks, width), dim)];
    float[] alpha = new float[blocks * width];
    float[] beta = new float[blocks * width];
    float[] src = rows.data();
    workers.forEachRange(blocks, (from, to) -> {
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
            float v = src[so + d];
            sq += (double) v * v;
          }
          if (width > 1) {
            int to0 = j * dim * width + lane;
            for (int d = 0; d < dim; d++) {
              data[to0 + d * width] = src[so + d];
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
    });
    return new PreparedBase(metric, rows, width, blocks, data, alpha, beta);
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
