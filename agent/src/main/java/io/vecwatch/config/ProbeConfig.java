package io.vecwatch.config;

import java.time.Duration;
import java.util.List;

/**
 * {@code probes[i]:} canary searches against one target with one dataset's queries.
 *
 * @param rate intended queries per second (open-loop schedule)
 * @param concurrency most searches in flight at once; a schedule slot that finds none free is counted as skipped
 * @param timeout per-search deadline, measured from the intended start
 * @param recallK the K values recall@K is reported for; the search asks for {@code max(recallK)}
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

  public ProbeConfig {
    recallK = List.copyOf(recallK);
  }

  public int searchK() {
    return recallK.stream().mapToInt(Integer::intValue).max().orElse(10);
  }

  /** The probe a target gets when the config lists no probe for it. */
  public static ProbeConfig defaults(String target, String dataset) {
    return new ProbeConfig(target, dataset, DEFAULT_RATE, DEFAULT_CONCURRENCY, DEFAULT_TIMEOUT,
        DEFAULT_RECALL_K, DEFAULT_WINDOW, DEFAULT_HEALTH_INTERVAL);
  }

  static ProbeConfig parse(ConfigNode n) {
    String target = n.requiredString("target");
    String dataset = n.string("dataset", "");
    double rate = n.number("rate", DEFAULT_RATE, 0.001, 100_000);
    int concurrency = n.integer("concurrency", DEFAULT_CONCURRENCY, 1, 1024);
    Duration timeout = n.duration("timeout", DEFAULT_TIMEOUT, Duration.ofMillis(1));
    List<Integer> ks = new java.util.ArrayList<>();
    List<String> kText = n.stringList("recall_k");
    for (int i = 0; i < kText.size(); i++) {
      try {
        int k = Integer.parseInt(kText.get(i).trim());
        if (k < 1 || k > 10_000) {
          n.problem("recall_k[" + i + "]", "must be between 1 and 10000, got " + k);
        } else if (!ks.contains(k)) {
          ks.add(k);
        }
      } catch (NumberFormatException e) {
        n.problem("recall_k[" + i + "]", "must be an integer, got \"" + kText.get(i) + "\"");
      }
    }
    if (kText.isEmpty()) {
      ks.addAll(DEFAULT_RECALL_K);
    }
    Duration window = n.duration("window", DEFAULT_WINDOW, Duration.ofSeconds(1));
    Duration health = n.duration("health_interval", DEFAULT_HEALTH_INTERVAL, Duration.ofMillis(100));
    n.finish();
    ks.sort(null);
    return new ProbeConfig(target, dataset, rate, concurrency, timeout, ks, window, health);
  }
}
