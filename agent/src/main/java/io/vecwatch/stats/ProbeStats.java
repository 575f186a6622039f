package io.vecwatch.stats;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongConsumer;

/**
 * Everything recorded about one probe (one target with one dataset): the sliding window, lifetime
 * totals per outcome (what the {@code _total} counters export) and the start lag of the last
 * search. Thread-safe; the recording methods are the probe's hot path and never block.
 */
public final class ProbeStats {
  private final String target;
  private final String dataset;
  private final int[] ks;
  private final SlidingWindow window;
  private final LongConsumer okLatencyListener;
  private final LongAdder ok = new LongAdder();
  private final LongAdder errors = new LongAdder();
  private final LongAdder timeouts = new LongAdder();
  private final LongAdder skipped = new LongAdder();
  private final LongAdder okLatencyNanos = new LongAdder();
  private volatile long lastLagNanos = -1;

  private ProbeStats(
      String target, String dataset, int[] ks, SlidingWindow window, LongConsumer listener) {
    this.target = target;
    this.dataset = dataset;
    this.ks = ks;
    this.window = window;
    this.okLatencyListener = listener;
  }

  /**
   * @param ks the K values recall@K is kept for, ascending
   * @param startNanos monotonic time the probe starts (the window's origin)
   * @param okLatencyListener also receives every successful latency in nanoseconds (e.g. a
   *     Micrometer timer)
   */
  public static ProbeStats create(
      String target,
      String dataset,
      List<Integer> ks,
      Duration window,
      long startNanos,
      LongConsumer okLatencyListener) {
    int[] k = ks.stream().mapToInt(Integer::intValue).toArray();
    for (int i = 1; i < k.length; i++) {
      if (k[i] <= k[i - 1]) {
        throw new IllegalArgumentException("K values must be ascending and distinct: " + ks);
      }
    }
    return new ProbeStats(
        target, dataset, k, SlidingWindow.create(window, k.length, startNanos), okLatencyListener);
  }

  /** The probe's runner starts now: its window's warm-up counts from {@code nanos}. */
  public void started(long nanos) {
    window.restartAt(nanos);
  }

  public String target() {
    return target;
  }

  public String dataset() {
    return dataset;
  }

  /** The configured K values, ascending (a copy). */
  public int[] ks() {
    return ks.clone();
  }

  /**
   * A successful search finished at {@code atNanos}, {@code latencyNanos} after its intended start.
   *
   * @param recall recall@K per configured K (same order), or null
   * @param distanceRecall distance-variant recall per K, or null when the dataset has no base
   *     vectors
   */
  public void recordOk(long atNanos, long latencyNanos, double[] recall, double[] distanceRecall) {
    window.recordOk(atNanos, latencyNanos, recall, distanceRecall);
    ok.increment();
    okLatencyNanos.add(latencyNanos);
    okLatencyListener.accept(latencyNanos);
  }

  public void recordError(long atNanos) {
    window.recordFailure(atNanos, Outcome.ERROR);
    errors.increment();
  }

  /** A search hit its deadline; {@code deadlineNanos} is when. */
  public void recordTimeout(long deadlineNanos) {
    window.recordFailure(deadlineNanos, Outcome.TIMEOUT);
    timeouts.increment();
  }

  public void recordSkipped(long atNanos) {
    window.recordSkipped(atNanos);
    skipped.increment();
  }

  /** How late the last search started against its intended start. */
  public void recordLag(long lagNanos) {
    lastLagNanos = Math.max(0, lagNanos);
  }

  public long total(Outcome outcome) {
    return switch (outcome) {
      case OK -> ok.sum();
      case ERROR -> errors.sum();
      case TIMEOUT -> timeouts.sum();
    };
  }

  public long skippedTotal() {
    return skipped.sum();
  }

  /** Sum of all successful latencies so far, in seconds. */
  public double okLatencySecondsTotal() {
    return okLatencyNanos.sum() / 1e9;
  }

  /** Start lag of the last search in seconds; NaN before the first search. */
  public double lastLagSeconds() {
    long l = lastLagNanos;
    return l < 0 ? Double.NaN : l / 1e9;
  }

  public ProbeSnapshot snapshot(long nowNanos) {
    return new ProbeSnapshot(
        target,
        dataset,
        window.stats(nowNanos, ks),
        total(Outcome.OK),
        total(Outcome.ERROR),
        total(Outcome.TIMEOUT),
        skippedTotal(),
        okLatencySecondsTotal(),
        lastLagSeconds());
  }
}
