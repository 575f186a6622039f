package io.vecwatch.rules.promql;

import java.util.Arrays;

/**
 * The arithmetic of the range functions, ported from Prometheus 2.42's {@code promql/functions.go}.
 */
final class RangeFunctions {
  private RangeFunctions() {}

  /**
   * {@code rate}/{@code increase}: the increase over the samples (counter resets added back),
   * extrapolated towards the range boundaries when the first/last sample is within 1.1 average
   * sample intervals of them (else by half an interval), never below a zero value of the counter.
   */
  static double extrapolatedRate(
      long[] ts,
      double[] vs,
      int from,
      int n,
      long rangeStart,
      long rangeEnd,
      long rangeMillis,
      boolean isRate) {
    int last = from + n - 1;
    double result = vs[last] - vs[from];
    double prev = vs[from];
    for (int i = from + 1; i <= last; i++) {
      double v = vs[i];
      if (v < prev) {
        result += prev;
      }
      prev = v;
    }
    double first = vs[from];
    double durationToStart = (ts[from] - rangeStart) / 1000.0;
    double durationToEnd = (rangeEnd - ts[last]) / 1000.0;
    double sampledInterval = (ts[last] - ts[from]) / 1000.0;
    double averageDurationBetweenSamples = sampledInterval / (n - 1);
    if (result > 0 && first >= 0) {
      double durationToZero = sampledInterval * (first / result);
      if (durationToZero < durationToStart) {
        durationToStart = durationToZero;
      }
    }
    double threshold = averageDurationBetweenSamples * 1.1;
    double extrapolateToInterval = sampledInterval;
    extrapolateToInterval +=
        durationToStart < threshold ? durationToStart : averageDurationBetweenSamples / 2;
    extrapolateToInterval +=
        durationToEnd < threshold ? durationToEnd : averageDurationBetweenSamples / 2;
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

  static double avg(double[] vs, int from, int n) {
    double mean = 0;
    double c = 0;
    double count = 0;
    for (int i = from; i < from + n; i++) {
      double v = vs[i];
      count++;
      if (Double.isInfinite(mean)) {
        if (Double.isInfinite(v) && (mean > 0) == (v > 0)) {
          continue;
        }
        if (!Double.isInfinite(v) && !Double.isNaN(v)) {
          continue;
        }
      }
      // kahanInc inlined on locals: this loop runs for every sample of every avg_over_time range.
      double inc = v / count - mean / count;
      double t = mean + inc;
      if (Math.abs(mean) >= Math.abs(inc)) {
        c += (mean - t) + inc;
      } else {
        c += (inc - t) + mean;
      }
      mean = t;
    }
    if (Double.isInfinite(mean)) {
      return mean;
    }
    return mean + c;
  }

  static double sum(double[] vs, int from, int n) {
    double[] sc = new double[2];
    for (int i = from; i < from + n; i++) {
      kahanInc(vs[i], sc);
    }
    if (Double.isInfinite(sc[0])) {
      return sc[0];
    }
    return sc[0] + sc[1];
  }

  static double max(double[] vs, int from, int n) {
    double max = vs[from];
    for (int i = from; i < from + n; i++) {
      if (vs[i] > max || Double.isNaN(max)) {
        max = vs[i];
      }
    }
    return max;
  }

  static double min(double[] vs, int from, int n) {
    double min = vs[from];
    for (int i = from; i < from + n; i++) {
      if (vs[i] < min || Double.isNaN(min)) {
        min = vs[i];
      }
    }
    return min;
  }

  /**
   * Prometheus' {@code quantile}: linear interpolation between the closest ranks; NaNs sort first.
   */
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
