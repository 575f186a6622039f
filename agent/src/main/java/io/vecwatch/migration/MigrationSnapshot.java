package io.vecwatch.migration;

import io.vecwatch.stats.LatencyQuantiles;
import io.vecwatch.stats.RecallWindow;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * One migration's numbers over its window, immutable. Undefined numbers (nothing in the window yet)
 * are NaN.
 *
 * @param state {@code starting} until both sides are built, then {@code running}; {@code
 *     misconfigured} when it cannot run (see {@code problem})
 * @param covered the span the window's numbers cover (shorter than the window while the migration
 *     is young)
 * @param pairs pairs in the window (both sides answered the same slot in time)
 * @param pairsTotal pairs since start
 * @param unpairedTotal results whose partner never came (the other side failed, timed out or was
 *     skipped)
 * @param overlap mean overlap@K per configured K over the window's pairs, ascending K
 * @param scoreDifference mean relative score difference of shared ids (see {@link Agreement}); NaN
 *     without scores
 * @param latencyRatio destination ÷ source of the latency quantiles of the window's pairs
 */
public record MigrationSnapshot(
    String name,
    String sourceTarget,
    String destinationTarget,
    String dataset,
    String state,
    Optional<String> problem,
    Duration window,
    Duration covered,
    long pairs,
    long pairsTotal,
    long unpairedTotal,
    List<Overlap> overlap,
    double scoreDifference,
    Side source,
    Side destination,
    LatencyRatio latencyRatio,
    Counts counts,
    Records records) {

  public MigrationSnapshot {
    overlap = List.copyOf(overlap);
  }

  /** Mean overlap@k over the window's pairs. */
  public record Overlap(int k, double mean) {}

  /**
   * One side over the window.
   *
   * @param recall recall@K against the dataset's ground truth, over all of this side's successful
   *     searches
   * @param pairedLatency latency quantiles over the window's pairs, from the pair's intended start
   * @param ok successful searches in the window
   * @param errors failed searches in the window
   * @param timeouts searches past their deadline in the window
   * @param lastError the side's last failure, if any
   */
  public record Side(
      String target,
      List<RecallWindow> recall,
      LatencyQuantiles pairedLatency,
      long ok,
      long errors,
      long timeouts,
      Optional<String> lastError) {
    public Side {
      recall = List.copyOf(recall);
    }
  }

  /** Destination ÷ source per quantile; NaN when either is undefined. */
  public record LatencyRatio(double p50, double p95, double p99) {}

  /**
   * Entity counts at the last reading (both read at the same moment), destination − source, and
   * each side's growth per second over the window.
   */
  public record Counts(
      long samples,
      double source,
      double destination,
      double difference,
      double sourceGrowthPerSecond,
      double destinationGrowthPerSecond) {}

  /**
   * Sampled record parity over the last sampled records.
   *
   * @param unavailable why records cannot be compared (a side's kind cannot read records by key),
   *     if so
   */
  public record Records(
      long sampled,
      long missing,
      long mismatched,
      double missingRatio,
      double mismatchedRatio,
      long sampledTotal,
      Optional<String> unavailable) {}

  /** The mean overlap at {@code k}, NaN when {@code k} is not compared. */
  public double overlapAt(int k) {
    return overlap.stream()
        .filter(o -> o.k() == k)
        .mapToDouble(Overlap::mean)
        .findFirst()
        .orElse(Double.NaN);
  }
}
