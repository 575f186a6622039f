package io.vecwatch.config;

import java.time.Duration;
import java.util.List;

/**
 * {@code migrations[i]:} two targets watched side by side while data moves from {@code source} to
 * {@code destination} (dual writes, a re-index, a move between stores). The same queries go to both
 * at the same moment; counts and sampled records are compared; {@link Gate} turns the window's
 * numbers into a release verdict.
 *
 * <pre>{@code
 * migrations:
 *   - name: hnsw-to-ivfpq
 *     source: milvus-hnsw
 *     destination: milvus-ivfpq
 *     overlap_k: [10, 100]
 *     gate: {min_overlap: 0.95, max_p99_latency_ratio: 1.2}
 * }</pre>
 *
 * @param dataset the queries (and ground truth) sent to both sides; defaults to the source target's
 *     dataset
 * @param overlapK the K values overlap@K is computed for, ascending; a search asks for the largest
 * @param rate paired queries per second (open loop, both sides share the schedule)
 * @param concurrency most searches in flight per side
 * @param timeout per-search deadline, measured from the pair's intended start
 * @param window the sliding window every ratio and quantile is computed over
 * @param countInterval how often both sides' entity counts are read (at the same moment)
 */
public record MigrationConfig(
    String name,
    String source,
    String destination,
    String dataset,
    List<Integer> overlapK,
    double rate,
    int concurrency,
    Duration timeout,
    Duration window,
    Duration countInterval,
    Records records,
    Gate gate) {

  public static final List<Integer> DEFAULT_OVERLAP_K = List.of(10);

  public MigrationConfig {
    overlapK = List.copyOf(overlapK);
  }

  /**
   * {@code records:} sampled record parity. Every {@code interval}, {@code sample_size} keys drawn
   * across the source's key range are read from both sides; the last {@code window_samples}
   * outcomes are kept (bounded memory).
   *
   * @param tolerance largest absolute difference of any component for two vectors to count as equal
   */
  public record Records(int sampleSize, Duration interval, int windowSamples, double tolerance) {
    public static Records defaults() {
      return new Records(32, Duration.ofSeconds(10), 10_000, 1e-5);
    }
  }

  /**
   * {@code gate:} thresholds of the release gate. A check without enough data (fewer than {@code
   * min_pairs} pairs or {@code min_records} sampled records in the window) is "insufficient data",
   * never "pass".
   *
   * @param overlapAtK the K the overlap check reads (one of {@code overlap_k})
   * @param maxCountDifference largest allowed |destination − source| entity count
   */
  public record Gate(
      int overlapAtK,
      double minOverlap,
      double maxMissingRatio,
      double maxMismatchedRatio,
      long maxCountDifference,
      double maxP99LatencyRatio,
      int minPairs,
      int minRecords) {
    public static Gate defaults() {
      return new Gate(10, 0.95, 0.0, 0.0, 0, 1.2, 100, 100);
    }
  }

  static MigrationConfig parse(ConfigNode n) {
    String name = n.requiredString("name");
    String source = n.requiredString("source");
    String destination = n.requiredString("destination");
    String dataset = n.string("dataset", "");
    List<Integer> ks = n.intList("overlap_k", DEFAULT_OVERLAP_K, 1, ProbeConfig.MAX_RECALL_K);
    double rate = n.number("rate", 2.0, 0.001, 10_000);
    int concurrency = n.integer("concurrency", 2, 1, 256);
    Duration timeout =
        n.duration(
            "timeout", ProbeConfig.DEFAULT_TIMEOUT, Duration.ofMillis(1), Duration.ofMinutes(10));
    Duration window =
        n.duration("window", Duration.ofMinutes(5), Duration.ofSeconds(1), Duration.ofDays(1));
    Duration countInterval =
        n.duration("count_interval", Duration.ofSeconds(15), Duration.ofMillis(100));
    Records records = parseRecords(n.child("records"));
    Gate gate = parseGate(n.child("gate"), ks);
    n.finish();
    return new MigrationConfig(
        name,
        source,
        destination,
        dataset,
        ks,
        rate,
        concurrency,
        timeout,
        window,
        countInterval,
        records,
        gate);
  }

  private static Records parseRecords(ConfigNode r) {
    Records d = Records.defaults();
    Records out =
        new Records(
            r.integer("sample_size", d.sampleSize(), 1, 1000),
            r.duration("interval", d.interval(), Duration.ofMillis(100)),
            r.integer("window_samples", d.windowSamples(), 1, 1_000_000),
            r.number("tolerance", d.tolerance(), 0, Double.MAX_VALUE));
    if (out.sampleSize() > out.windowSamples()) {
      r.problem(
          "sample_size",
          "must not exceed window_samples (" + out.windowSamples() + "), got " + out.sampleSize());
    }
    r.finish();
    return out;
  }

  private static Gate parseGate(ConfigNode g, List<Integer> ks) {
    Gate d = Gate.defaults();
    int defaultK = ks.contains(d.overlapAtK()) ? d.overlapAtK() : ks.get(0);
    Gate out =
        new Gate(
            g.integer("overlap_k", defaultK, 1, ProbeConfig.MAX_RECALL_K),
            g.number("min_overlap", d.minOverlap(), 0, 1),
            g.number("max_missing_ratio", d.maxMissingRatio(), 0, 1),
            g.number("max_mismatched_ratio", d.maxMismatchedRatio(), 0, 1),
            g.longValue("max_count_difference", d.maxCountDifference(), 0, Long.MAX_VALUE),
            g.number("max_p99_latency_ratio", d.maxP99LatencyRatio(), 0, 1e6),
            g.integer("min_pairs", d.minPairs(), 1, 100_000_000),
            g.integer("min_records", d.minRecords(), 1, 100_000_000));
    if (g.has("overlap_k") && !ks.contains(out.overlapAtK())) {
      g.problem(
          "overlap_k",
          "must be one of the migration's overlap_k ("
              + ks.stream().map(String::valueOf).reduce((a, b) -> a + ", " + b).orElse("")
              + "), got "
              + out.overlapAtK());
    }
    g.finish();
    return out;
  }
}
