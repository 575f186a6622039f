package io.vecwatch.stats;

/**
 * Latency quantiles of successful searches over a window, in seconds; {@code NaN} when the window
 * holds none. Values come from an HdrHistogram with 3 significant digits, so each is within 0.1% of
 * the exact sample.
 */
public record LatencyQuantiles(double p50, double p95, double p99, double p999) {
  /** The quantiles exported as {@code quantile} label values, in this order. */
  public static final double[] QUANTILES = {0.5, 0.95, 0.99, 0.999};

  public static final LatencyQuantiles NONE =
      new LatencyQuantiles(Double.NaN, Double.NaN, Double.NaN, Double.NaN);

  /** The value for one of {@link #QUANTILES}. */
  public double at(double quantile) {
    if (quantile == 0.5) {
      return p50;
    } else if (quantile == 0.95) {
      return p95;
    } else if (quantile == 0.99) {
      return p99;
    } else if (quantile == 0.999) {
      return p999;
    }
    throw new IllegalArgumentException("not an exported quantile: " + quantile);
  }
}
