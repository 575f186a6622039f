package io.vecwatch.probe;

import io.vecwatch.dataset.Dataset;
import io.vecwatch.stats.ProbeStats;
import io.vecwatch.target.SearchResult;
import io.vecwatch.target.Target;

/**
 * Records one finished search of a probe: recall against the ground truth, the listeners (tracing,
 * event log) and the statistics (sliding window, lifetime counters, latency histogram). This is the
 * probe's hot path: it takes no lock of its own, never blocks, and leaves one small immutable
 * {@link ProbeObservation} per search as its only garbage. Thread-safe: searches of one probe
 * finish on several worker threads.
 *
 * <pre>{@code
 * ProbeRecorder r = ProbeRecorder.create(target, dataset, recall, stats, status, listener, handler);
 * r.ok(slot, query, result, endNanos, endNanos - intendedStartNanos);
 * }</pre>
 */
public final class ProbeRecorder {
  private final String targetName;
  private final String targetKind;
  private final String datasetName;
  private final Recall recall;
  private final ProbeStats stats;
  private final TargetStatus status;
  private final ProbeListener listener;
  private final ProbeRunner.ResultHandler results;
  private final int[] ks;
  private final int searchK;
  private final boolean distanceVariant;

  private ProbeRecorder(
      Target target,
      Dataset dataset,
      Recall recall,
      ProbeStats stats,
      TargetStatus status,
      ProbeListener listener,
      ProbeRunner.ResultHandler results) {
    this.targetName = target.name();
    this.targetKind = target.kind();
    this.datasetName = dataset.name();
    this.recall = recall;
    this.stats = stats;
    this.status = status;
    this.listener = listener;
    this.results = results;
    this.ks = recall.ks();
    this.searchK = recall.searchK();
    this.distanceVariant = recall.hasDistanceVariant();
  }

  /**
   * @param recall built from {@code dataset} with the probe's K values
   * @param listener told about every finished search (see {@link ProbeListener})
   * @param results also told about every successful search, with its slot
   */
  public static ProbeRecorder create(
      Target target,
      Dataset dataset,
      Recall recall,
      ProbeStats stats,
      TargetStatus status,
      ProbeListener listener,
      ProbeRunner.ResultHandler results) {
    return new ProbeRecorder(target, dataset, recall, stats, status, listener, results);
  }

  /** The number of neighbours each search asks for. */
  int searchK() {
    return searchK;
  }

  /**
   * A search that answered in time.
   *
   * @param endNanos when it finished (monotonic)
   * @param latencyNanos from its intended start to {@code endNanos}
   */
  public void ok(long slot, int query, SearchResult result, long endNanos, long latencyNanos) {
    // The id recall goes into the observation (which owns it); the distance recall is copied into
    // the window's sums.
    double[] ids = new double[ks.length];
    double[] distances = distanceVariant ? new double[ks.length] : null;
    recall.compute(query, result.ids(), result.distances(), ids, distances);
    // The listener's scope spans the latency record, so its exemplar carries the search's trace id.
    try (ProbeListener.Scope s =
        listener.onResult(
            ProbeObservation.ok(
                targetName, targetKind, datasetName, searchK, latencyNanos, ks, ids))) {
      stats.recordOk(endNanos, latencyNanos, ids, distances);
    }
    results.onResult(slot, query, result, latencyNanos);
    status.observed();
  }

  /**
   * Tells the listener about a failed search (the statistics are recorded by the caller, which
   * knows whether it was a timeout or an error); the listener never throws.
   */
  void failed(ProbeObservation.Outcome outcome, long latencyNanos, Throwable error) {
    listener
        .onResult(
            ProbeObservation.failed(
                targetName, targetKind, datasetName, searchK, outcome, latencyNanos, error))
        .close();
  }
}
