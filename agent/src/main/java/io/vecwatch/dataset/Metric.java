package io.vecwatch.dataset;

import java.util.Locale;
import java.util.Optional;

/**
 * Similarity metric of a dataset or index. Every metric is expressed as a <em>distance</em>:
 * smaller is closer, which is how ground truth is ordered and how the ann-benchmarks distance-based
 * recall compares results.
 *
 * <ul>
 *   <li>{@link #L2}: Euclidean distance (not squared).
 *   <li>{@link #IP}: negative inner product, {@code -dot(a, b)}.
 *   <li>{@link #COSINE}: {@code 1 - cos(a, b)}.
 * </ul>
 */
public enum Metric {
  L2("l2"),
  IP("ip"),
  COSINE("cosine");

  private final String id;

  Metric(String id) {
    this.id = id;
  }

  /** The lower-case name used in config files, CLI flags and metric labels. */
  public String id() {
    return id;
  }

  /**
   * Parses {@code l2|ip|cosine}, also the ann-benchmarks names {@code euclidean}, {@code angular},
   * {@code dot}.
   */
  public static Optional<Metric> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    return switch (text.trim().toLowerCase(Locale.ROOT)) {
      case "l2", "euclidean" -> Optional.of(L2);
      case "ip", "dot", "inner_product" -> Optional.of(IP);
      case "cosine", "angular" -> Optional.of(COSINE);
      default -> Optional.empty();
    };
  }

  /** The distance between two vectors of equal length, as defined above. Scalar reference code. */
  public double distance(float[] a, float[] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException("vectors of dimension " + a.length + " and " + b.length);
    }
    return distance(a, 0, b, 0, a.length);
  }

  /**
   * The distance between {@code a[aOffset..aOffset+dim)} and {@code b[bOffset..bOffset+dim)},
   * accumulated in double precision in index order. This is the definition exact k-NN reports and
   * ranks by; keep it simple.
   */
  public double distance(float[] a, int aOffset, float[] b, int bOffset, int dim) {
    return switch (this) {
      case L2 -> {
        double s = 0;
        for (int i = 0; i < dim; i++) {
          double d = (double) a[aOffset + i] - b[bOffset + i];
          s += d * d;
        }
        yield Math.sqrt(s);
      }
      case IP -> {
        double s = 0;
        for (int i = 0; i < dim; i++) {
          s += (double) a[aOffset + i] * b[bOffset + i];
        }
        yield -s;
      }
      case COSINE -> {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < dim; i++) {
          double x = a[aOffset + i];
          double y = b[bOffset + i];
          dot += x * y;
          na += x * x;
          nb += y * y;
        }
        double denom = Math.sqrt(na) * Math.sqrt(nb);
        yield denom == 0 ? 1.0 : 1.0 - dot / denom;
      }
    };
  }
}
