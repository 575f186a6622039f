package io.vecwatch.rules.promql;

import io.vecwatch.promtext.Labels;

/** Read access to one stored series: samples in ascending time order, stale markers included. */
public interface Series {
  Labels labels();

  int size();

  /** Timestamp in milliseconds of the i-th oldest sample. */
  long timeAt(int i);

  double valueAt(int i);

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
