package io.vecwatch.loadtest;

import org.HdrHistogram.Histogram;

/**
 * One worker's counts for one step; merged after the worker has ended, so nothing here is shared.
 */
final class Tally {
  /** As the agent's latency windows: nanoseconds, three significant digits, auto-resizing. */
  static final int SIGNIFICANT_DIGITS = 3;

  final Histogram latency = new Histogram(SIGNIFICANT_DIGITS);
  final double[] recallSums;
  final double[] scratch;
  long ok;
  long errors;
  long timeouts;
  long measured;
  long gapNanos;
  long busyNanos;
  long lateDispatch;
  long lateWake;
  String lastError;

  Tally(int ks) {
    this.recallSums = new double[ks];
    this.scratch = new double[ks];
  }

  void add(Tally o) {
    latency.add(o.latency);
    for (int i = 0; i < recallSums.length; i++) {
      recallSums[i] += o.recallSums[i];
    }
    ok += o.ok;
    errors += o.errors;
    timeouts += o.timeouts;
    measured += o.measured;
    gapNanos += o.gapNanos;
    busyNanos += o.busyNanos;
    lateDispatch += o.lateDispatch;
    lateWake += o.lateWake;
    if (o.lastError != null) {
      lastError = o.lastError;
    }
  }
}
