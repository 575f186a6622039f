package io.vecwatch.rules.promql;

import java.util.Arrays;

/** The arithmetic of the range functions, ported from Prometheus 2.42's {@code promql/functions.go}. */
final class RangeFunctions {
  private RangeFunctions() {}

  /**
   * {@code rate}/{@code increase}: the increase over the samples (counter resets added back), extrapolated towards
   * the range boundaries when the first/last sample is within 1.1 average sample intervals of them (else by half
   * an interval), never below a zero value of the counter.
   */
  static double extrapolatedRate(long[] ts, double[] vs, int n, long rangeStart, long rangeEnd, long rangeMillis,
      boolean isRate) {
    double result = vs[n - 1] - vs[0];
    double prev = vs[0];
    for (int i = 1; i < n; i++) {
      if (vs[i] < prev) {
        result += prev;
      }
      prev = vs[i];
    }
    double durationToStart = (ts[0] - rangeStart) / 1000.0;
    double durationToEnd = (rangeEnd - ts[n - 1]) / 1000.0;
    double sampledInterval = (ts[n - 1] - ts[0]) / 1000.0;
    double averageDurationBetweenSamples = sampledInterval / (n - 1);
    if (result > 0 && vs[0] >= 0) {
      double durationToZero = sampledInterval * (vs[0] / result);
      if (durationToZero < durationToStart) {
        durationToStart = durationToZero;
      }
    }
    double threshold = averageDurationBetweenSamples * 1.1;
    double extrapolateToInterval = sampledInterval;
    extrapolateToInterval += durationToStart < threshold ? durationToStart : averageDurationBetweenSamples / 2;
    extrapolateToInterval += durationToEnd < threshold ? durationToEnd : averageDurationBetweenSamples / 2;
    double factor = extrapolateToInterval / sampledInterval;
    if (isRate) {
      factor /= rangeMillis / 1000.0;
    }
    return result * factor;
  }

  /** Neumaier-compensated summation step; returns {sum, c}. */
  private static void kahanInc(double inc, double[] sc) {
    double sum = sc[0];
    double t = sum + inc;
    if (Math.abs(sum) >= Math.abs(inc)) {
      sc[1] += (sum - t) + inc;
    } else {
      sc[1] += (inc - t) + sum;
    }
    sc[0] = t;
  }

  static double avg(double[] vs, int n) {
    double[] sc = new double[2];
    double count = 0;
    for (int i = 0; i < n; i++) {
      double v = vs[i];
      count++;
      double mean = sc[0];
      if (Double.isInfinite(mean)) {
        if (Double.isInfinite(v) && (mean > 0) == (v > 0)) {
          continue;
        }
        if (!Double.isInfinite(v) && !Double.isNaN(v)) {
          continue;
        }
      }
      kahanInc(v / count - mean / count, sc);
    }
    if (Double.isInfinite(sc[0])) {
      return sc[0];
    }
    return sc[0] + sc[1];
  }

  static double sum(double[] vs, int n) {
    double[] sc = new double[2];
    for (int i = 0; i < n; i++) {
      kahanInc(vs[i], sc);
    }
    if (Double.isInfinite(sc[0])) {
      return sc[0];
    }
    return sc[0] + sc[1];
  }

  static double max(double[] vs, int n) {
    double max = vs[0];
    for (int i = 0; i < n; i++) {
      if (vs[i] > max || Double.isNaN(max)) {
        max = vs[i];
      }
    }
    return max;
  }

  static double min(double[] vs, int n) {
    double min = vs[0];
    for (int i = 0; i < n; i++) {
      if (vs[i] < min || Double.isNaN(min)) {
        min = vs[i];
      }
    }
    return min;
  }

  /** Prometheus' {@code quantile}: linear interpolation between the closest ranks; NaNs sort first. */
  static double quantile(double q, double[] values) {
    if (values.length == 0 || Double.isNaN(q)) {
      return Double.NaN;
    }
    if (q < 0) {
      return Double.NEGATIVE_INFINITY;
    }
    if (q > 1) {
      return Double.POSITIVE_INFINITY;
    }
    sortNaNFirst(values);
    double n = values.length;
    double rank = q * (n - 1);
    double lower = Math.max(0, Math.floor(rank));
    double upper = Math.min(n - 1, lower + 1);
    double weight = rank - Math.floor(rank);
    return values[(int) lower] * (1 - weight) + values[(int) upper] * weight;
  }

  private static void sortNaNFirst(double[] values) {
    int nan = 0;
    double[] rest = new double[values.length];
    int r = 0;
    for (double v : values) {
      if (Double.isNaN(v)) {
        nan++;
      } else {
        rest[r++] = v;
      }
    }
    Arrays.sort(rest, 0, r);
    for (int i = 0; i < nan; i++) {
      values[i] = Double.NaN;
    }
    System.arraycopy(rest, 0, values, nan, r);
  }
}
