package io.vecwatch.config;

import java.time.Duration;
import java.util.List;

/**
 * {@code probes[i]:} canary searches against one target with one dataset's queries.
 *
 * @param rate intended queries per second (open-loop schedule)
 * @param concurrency most searches in flight at once; a schedule slot that finds none free is
 *     counted as skipped
 * @param timeout per-search deadline, measured from the intended start
 * @param recallK the K values recall@K is reported for, ascending, no duplicates; the search asks
 *     for {@code max(recallK)}
 * @param window the sliding window statistics are computed over
 * @param healthInterval how often health and entity count are checked
 */
public record ProbeConfig(
    String target,
    String dataset,
    double rate,
    int concurrency,
    Duration timeout,
    List<Integer> recallK,
    Duration window,
    Duration healthInterval) {

  public static final double DEFAULT_RATE = 5.0;
  public static final int DEFAULT_CONCURRENCY = 4;
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(1);
  public static final List<Integer> DEFAULT_RECALL_K = List.of(10, 100);
  public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(60);
  public static final Duration DEFAULT_HEALTH_INTERVAL = Duration.ofSeconds(5);
  public static final int MAX_RECALL_K = 10_000;

  public ProbeConfig {
    recallK = List.copyOf(recallK);
  }

  public int searchK() {
    return recallK.stream().mapToInt(Integer::intValue).max().orElse(10);
  }

  /** The probe a target gets when the config lists no probe for it. */
  public static ProbeConfig defaults(String target, String dataset) {
    return new ProbeConfig(
        target,
        dataset,
        DEFAULT_RATE,
        DEFAULT_CONCURRENCY,
        DEFAULT_TIMEOUT,
        DEFAULT_RECALL_K,
        DEFAULT_WINDOW,
        DEFAULT_HEALTH_INTERVAL);
  }

  static ProbeConfig parse(ConfigNode n) {
    String target = n.requiredString("target");
    String dataset = n.string("dataset", "");
    double rate = n.number("rate", DEFAULT_RATE, 0.001, 100_000);
    int concurrency = n.integer("concurrency", DEFAULT_CONCURRENCY, 1, 1024);
    Duration timeout =
        n.duration("timeout", DEFAULT_TIMEOUT, Duration.ofMillis(1), Duration.ofMinutes(10));
    List<Integer> ks = n.intList("recall_k", DEFAULT_RECALL_K, 1, MAX_RECALL_K);
    Duration window =
        n.duration("window", DEFAULT_WINDOW, Duration.ofSeconds(1), Duration.ofDays(1));
    Duration health =
        n.duration("health_interval", DEFAULT_HEALTH_INTERVAL, Duration.ofMillis(100));
    n.finish();
    return new ProbeConfig(target, dataset, rate, concurrency, timeout, ks, window, health);
  }
}
