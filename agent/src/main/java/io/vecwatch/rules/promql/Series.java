package io.vecwatch.rules.promql;

import io.vecwatch.promtext.Labels;

/** Read access to one stored series: samples in ascending time order, stale markers included. */
public interface Series {
  Labels labels();

  int size();

  /** Timestamp in milliseconds of the i-th oldest sample. */
  long timeAt(int i);

  double valueAt(int i);

  /**
   * Copies the samples with index {@code lo..hi} (inclusive) that are not staleness markers into
   * {@code ts} and {@code vs} (each at least {@code hi - lo + 1} long); returns how many were
   * copied.
   */
  default int copyNonStale(int lo, int hi, long[] ts, double[] vs) {
    int n = 0;
    for (int i = lo; i <= hi; i++) {
      double v = valueAt(i);
      if (!StaleNaN.is(v)) {
        ts[n] = timeAt(i);
        vs[n++] = v;
      }
    }
    return n;
  }

  /**
   * Fast path for range functions: when samples are stored in one pair of arrays with no staleness
   * marker among them, the index in {@link #timesArray()} and {@link #valuesArray()} of sample 0,
   * so sample {@code i} is at {@code directOffset() + i}; -1 otherwise (the evaluator then copies
   * with {@link #copyNonStale}). The arrays are only valid until the next change of the series.
   */
  default int directOffset() {
    return -1;
  }

  /** The backing times when {@link #directOffset()} is not negative. */
  default long[] timesArray() {
    throw new UnsupportedOperationException();
  }

  /** The backing values when {@link #directOffset()} is not negative. */
  default double[] valuesArray() {
    throw new UnsupportedOperationException();
  }

  /** Index of the newest sample at or before {@code t}, or -1. */
  default int indexAtOrBefore(long t) {
    int lo = 0;
    int hi = size() - 1;
    int found = -1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if (timeAt(mid) <= t) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found;
  }
}
