package io.vecwatch.serverside;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Records the latency of every successful probe search per target, so the client side of the
 * latency gap covers exactly the same intervals as the server's histogram deltas: the scraper
 * drains a target's interval histogram at each scrape. Recording is wait-free (HdrHistogram {@link
 * Recorder}).
 */
public final class ClientLatencyRecorder {
  private final Map<String, Recorder> recorders = new ConcurrentHashMap<>();

  /** Records one successful probe search of {@code target} (the probe's listener calls this). */
  public void recordSuccess(String target, long latencyNanos) {
    recorder(target).recordValue(Math.max(1, latencyNanos));
  }

  /** Everything recorded for {@code target} since the previous call (nanoseconds). */
  Histogram drain(String target) {
    return recorder(target).getIntervalHistogram();
  }

  private Recorder recorder(String target) {
    // 3 significant digits, auto-resizing: bounded by the value range, not by the number of
    // searches.
    return recorders.computeIfAbsent(target, t -> new Recorder(3));
  }
}
