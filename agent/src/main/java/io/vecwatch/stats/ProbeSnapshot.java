package io.vecwatch.stats;

/**
 * One probe at one instant, immutable: its window statistics and its lifetime totals.
 *
 * @param okLatencySecondsTotal sum of all successful latencies since start (a summary's {@code
 *     _sum})
 * @param lagSeconds start lag of the last search (NaN before the first)
 */
public record ProbeSnapshot(
    String target,
    String dataset,
    ProbeWindowStats window,
    long okTotal,
    long errorTotal,
    long timeoutTotal,
    long skippedTotal,
    double okLatencySecondsTotal,
    double lagSeconds) {

  public long finishedTotal() {
    return okTotal + errorTotal + timeoutTotal;
  }
}
