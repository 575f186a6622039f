package io.vecwatch.rules.history;

import io.vecwatch.promtext.Labels;
import io.vecwatch.rules.promql.Series;
import io.vecwatch.rules.promql.StaleNaN;

/** One series' samples in a growable ring buffer, oldest first, trimmed by time and capped in length. */
final class MemSeries implements Series {
  private final Labels labels;
  private final int maxSamples;
  private long[] times = new long[8];
  private double[] values = new double[8];
  private int head;
  private int size;

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
    return times[(head + i) & (times.length - 1)];
  }

  @Override
  public double valueAt(int i) {
    return values[(head + i) & (times.length - 1)];
  }

  @Override
  public int copyNonStale(int lo, int hi, long[] ts, double[] vs) {
    int mask = times.length - 1;
    int n = 0;
    for (int i = lo; i <= hi; i++) {
      int idx = (head + i) & mask;
      double v = values[idx];
      if (Double.doubleToRawLongBits(v) != StaleNaN.BITS) {
        ts[n] = times[idx];
        vs[n++] = v;
      }
    }
    return n;
  }

  @Override
  public int indexAtOrBefore(long t) {
    int mask = times.length - 1;
    int lo = 0;
    int hi = size - 1;
    int found = -1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if (times[(head + mid) & mask] <= t) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found;
  }

  long lastTime() {
    return size == 0 ? Long.MIN_VALUE : timeAt(size - 1);
  }

  double lastValue() {
    return valueAt(size - 1);
  }

  /** Appends a sample; a sample at the newest timestamp replaces it, an older one is ignored (false). */
  boolean append(long t, double v) {
    if (size > 0) {
      long last = lastTime();
      if (t < last) {
        return false;
      }
      if (t == last) {
        values[(head + size - 1) & (times.length - 1)] = v;
        return true;
      }
    }
    if (size == maxSamples) {
      head = (head + 1) & (times.length - 1);
      size--;
    }
    if (size == times.length) {
      grow();
    }
    int idx = (head + size) & (times.length - 1);
    times[idx] = t;
    values[idx] = v;
    size++;
    return true;
  }

  /** Drops samples older than {@code minTime}. */
  void trimBefore(long minTime) {
    while (size > 0 && times[head] < minTime) {
      head = (head + 1) & (times.length - 1);
      size--;
    }
  }

  private void grow() {
    int cap = times.length * 2;
    long[] t = new long[cap];
    double[] v = new double[cap];
    for (int i = 0; i < size; i++) {
      t[i] = timeAt(i);
      v[i] = valueAt(i);
    }
    times = t;
    values = v;
    head = 0;
  }
}
