package io.vecwatch.serverside;

import java.util.Arrays;

/**
 * A cumulative histogram: counts of observations at or below each upper bound, bounds ascending,
 * the last one {@code +Inf}. Immutable. Units are whatever the source used (Milvus: milliseconds).
 */
public record Buckets(double[] upperBounds, double[] cumulativeCounts) {
  static final Buckets EMPTY = new Buckets(new double[0], new double[0]);

  public Buckets {
    if (upperBounds.length != cumulativeCounts.length) {
      throw new IllegalArgumentException("bounds and counts differ in length");
    }
    upperBounds = upperBounds.clone();
    cumulativeCounts = cumulativeCounts.clone();
  }

  public double count() {
    return cumulativeCounts.length == 0 ? 0 : cumulativeCounts[cumulativeCounts.length - 1];
  }

  boolean sameBounds(Buckets o) {
    return Arrays.equals(upperBounds, o.upperBounds);
  }

  /**
   * This minus an earlier reading; null when a count went down (the server restarted) or bounds
   * changed.
   */
  Buckets minus(Buckets earlier) {
    if (!sameBounds(earlier)) {
      return null;
    }
    double[] d = new double[cumulativeCounts.length];
    for (int i = 0; i < d.length; i++) {
      d[i] = cumulativeCounts[i] - earlier.cumulativeCounts[i];
      if (d[i] < 0) {
        return null;
      }
    }
    return new Buckets(upperBounds, d);
  }

  /**
   * The {@code q}-quantile with Prometheus's {@code histogram_quantile} rules: linear interpolation
   * inside the bucket holding rank q·count, the first bucket starting at 0, the {@code +Inf} bucket
   * answering with the highest finite bound. NaN when empty.
   */
  double quantile(double q) {
    double total = count();
    if (total <= 0
        || upperBounds.length < 2
        || !Double.isInfinite(upperBounds[upperBounds.length - 1])) {
      return Double.NaN;
    }
    double rank = q * total;
    int b = 0;
    while (b < cumulativeCounts.length - 1 && cumulativeCounts[b] < rank) {
      b++;
    }
    if (b == upperBounds.length - 1) {
      return upperBounds[upperBounds.length - 2];
    }
    if (b == 0 && upperBounds[0] <= 0) {
      return upperBounds[0];
    }
    double start = b == 0 ? 0 : upperBounds[b - 1];
    double end = upperBounds[b];
    double below = b == 0 ? 0 : cumulativeCounts[b - 1];
    double inBucket = cumulativeCounts[b] - below;
    return start + (end - start) * ((rank - below) / inBucket);
  }
}
