package io.vecwatch.rules.history;

import io.vecwatch.promtext.Labels;
import io.vecwatch.rules.promql.Series;
import io.vecwatch.rules.promql.StaleNaN;

/**
 * One series' samples, oldest first, trimmed by time and capped in length. Samples live in one pair
 * of arrays ({@code start .. start + size}); dropping old samples moves {@code start}, and the live
 * part is moved back to the front (or the arrays grown) only when the end is reached, so appends
 * stay amortised O(1) and a range is one contiguous slice the range functions can read in place.
 */
final class MemSeries implements Series {
  private final Labels labels;
  private final int maxSamples;
  private long[] times = new long[8];
  private double[] values = new double[8];
  private int start;
  private int size;

  /** Staleness markers among the live samples. */
  private int stale;

  MemSeries(Labels labels, int maxSamples) {
    this.labels = labels;
    this.maxSamples = maxSamples;
  }

  @Override
  public Labels labels() {
    return labels;
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public long timeAt(int i) {
    return times[start + i];
  }

  @Override
  public double valueAt(int i) {
    return values[start + i];
  }

  @Override
  public int directOffset() {
    return stale == 0 ? start : -1;
  }

  @Override
  public long[] timesArray() {
    return times;
  }

  @Override
  public double[] valuesArray() {
    return values;
  }

  @Override
  public int copyNonStale(int lo, int hi, long[] ts, double[] vs) {
    int n = 0;
    for (int i = start + lo; i <= start + hi; i++) {
      double v = values[i];
      if (Double.doubleToRawLongBits(v) != StaleNaN.BITS) {
        ts[n] = times[i];
        vs[n++] = v;
      }
    }
    return n;
  }

  @Override
  public int indexAtOrBefore(long t) {
    if (size == 0 || times[start] > t) {
      return -1;
    }
    long last = times[start + size - 1];
    if (last <= t) {
      return size - 1; // the usual case: evaluating at or after the newest sample
    }
    // Samples come at a steady interval: start where t would be, then step; fall back to bisection.
    long first = times[start];
    int i = start + (int) ((double) (t - first) / (last - first) * (size - 1));
    for (int step = 0; step < 4; step++) {
      if (times[i] > t) {
        i--;
      } else if (times[i + 1] <= t) {
        i++;
      } else {
        return i - start;
      }
    }
    int lo = start;
    int hi = start + size - 1;
    int found = -1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if (times[mid] <= t) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found - start;
  }

  long lastTime() {
    return size == 0 ? Long.MIN_VALUE : times[start + size - 1];
  }

  double lastValue() {
    return values[start + size - 1];
  }

  private static boolean isStale(double v) {
    return Double.doubleToRawLongBits(v) == StaleNaN.BITS;
  }

  /**
   * Appends a sample; a sample at the newest timestamp replaces it, an older one is ignored
   * (false).
   */
  boolean append(long t, double v) {
    if (size > 0) {
      long last = lastTime();
      if (t < last) {
        return false;
      }
      if (t == last) {
        int idx = start + size - 1;
        stale += (isStale(v) ? 1 : 0) - (isStale(values[idx]) ? 1 : 0);
        values[idx] = v;
        return true;
      }
    }
    if (size == maxSamples) {
      dropOldest();
    }
    if (start + size == times.length) {
      makeRoom();
    }
    int idx = start + size;
    times[idx] = t;
    values[idx] = v;
    if (isStale(v)) {
      stale++;
    }
    size++;
    return true;
  }

  private void dropOldest() {
    if (isStale(values[start])) {
      stale--;
    }
    start++;
    size--;
  }

  /**
   * Moves the live samples to the front when at least half the arrays are free, else doubles them.
   */
  private void makeRoom() {
    if (start >= times.length / 2) {
      System.arraycopy(times, start, times, 0, size);
      System.arraycopy(values, start, values, 0, size);
    } else {
      long[] t = new long[times.length * 2];
      double[] v = new double[times.length * 2];
      System.arraycopy(times, start, t, 0, size);
      System.arraycopy(values, start, v, 0, size);
      times = t;
      values = v;
    }
    start = 0;
  }

  /** Drops samples older than {@code minTime}. */
  void trimBefore(long minTime) {
    while (size > 0 && times[start] < minTime) {
      dropOldest();
    }
  }
}
