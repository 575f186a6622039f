package io.vecwatch.serverside;

import io.vecwatch.export.ProbeListener;
import io.vecwatch.export.ProbeObservation;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Records the latency of every successful probe search per target, so the client side of the latency gap
 * covers exactly the same intervals as the server's histogram deltas: the scraper drains a target's interval
 * histogram at each scrape. Recording is wait-free (HdrHistogram {@link Recorder}).
 */
public final class ClientLatencyRecorder implements ProbeListener {
  private final Map<String, Recorder> recorders = new ConcurrentHashMap<>();

  @Override
  public Scope onResult(ProbeObservation o) {
    if (o.outcome() == ProbeObservation.Outcome.OK) {
      recorder(o.target()).recordValue(Math.max(1, o.latencyNanos()));
    }
    return Scope.NONE;
  }

  /** Everything recorded for {@code target} since the previous call (nanoseconds). */
  Histogram drain(String target) {
    return recorder(target).getIntervalHistogram();
  }

  private Recorder recorder(String target) {
    // 3 significant digits, auto-resizing: bounded by the value range, not by the number of searches.
    return recorders.computeIfAbsent(target, t -> new Recorder(3));
  }
}
