package io.vecwatch.stats;

import java.time.Duration;
import java.util.List;

/**
 * Statistics of one probe over its sliding window, immutable.
 *
 * @param window the configured window length
 * @param covered the span the numbers actually cover, ending at the snapshot time: shorter than
 *     {@code window} while the probe is younger than the window, otherwise in {@code (window -
 *     window/60, window]}
 * @param ok successful searches finished in the span
 * @param errors searches that failed in the span
 * @param timeouts searches that hit their deadline in the span
 * @param skipped schedule slots skipped in the span because {@code concurrency} searches were in
 *     flight
 * @param requestsPerSecond finished searches (all outcomes) per second of {@code covered}; NaN when
 *     it is zero
 * @param errorRatio errors / finished; NaN without finished searches
 * @param timeoutRatio timeouts / finished; NaN without finished searches
 * @param latency quantiles of successful searches' latency, from their intended start
 * @param recall one entry per configured K, ascending
 */
public record ProbeWindowStats(
    Duration window,
    Duration covered,
    long ok,
    long errors,
    long timeouts,
    long skipped,
    double requestsPerSecond,
    double errorRatio,
    double timeoutRatio,
    LatencyQuantiles latency,
    List<RecallWindow> recall) {

  public ProbeWindowStats {
    recall = List.copyOf(recall);
  }

  public long finished() {
    return ok + errors + timeouts;
  }

  /** The entry for {@code k}, or null when {@code k} is not configured. */
  public RecallWindow recallAt(int k) {
    for (RecallWindow r : recall) {
      if (r.k() == k) {
        return r;
      }
    }
    return null;
  }
}
