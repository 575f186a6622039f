package io.vecwatch.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.vecwatch.config.ProbeConfig;
import io.vecwatch.config.TargetConfig;
import io.vecwatch.stats.AgentSnapshot;
import io.vecwatch.stats.HealthSnapshot;
import io.vecwatch.stats.ProbeStats;
import io.vecwatch.stats.TargetSnapshot;
import io.vecwatch.stats.TargetState;
import io.vecwatch.target.FlatTarget;
import io.vecwatch.time.ManualClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AgentMetricsTest {
  private final ManualClock clock = new ManualClock();
  private final SnapshotCache cache = new SnapshotCache();
  private AgentMetrics metrics;
  private ProbeStats stats;
  private final TargetConfig target =
      new TargetConfig(
          "hnsw",
          "lucene_hnsw",
          Optional.of("demo"),
          Map.of("env", "test", "team", "search"),
          new FlatTarget.Settings());
  private final ProbeConfig probe = ProbeConfig.defaults("hnsw", "demo");

  @BeforeEach
  void setUp() {
    metrics = AgentMetrics.create(cache);
    stats =
        ProbeStats.create(
            "hnsw",
            "demo",
            probe.recallK(),
            probe.window(),
            clock.monotonicNanos(),
            metrics.latencyRecorder(target, probe));
    metrics.bindProbe(target, probe, stats);
    metrics.bindTarget(target);
    // 90 fast and 10 slow searches, one error and one timeout
    for (int i = 0; i < 100; i++) {
      clock.advance(Duration.ofMillis(100));
      long latency = i < 90 ? 2_000_000L : 400_000_000L;
      stats.recordOk(
          clock.monotonicNanos(), latency, new double[] {0.9, 0.8}, new double[] {0.95, 0.85});
    }
    stats.recordError(clock.monotonicNanos());
    stats.recordTimeout(clock.monotonicNanos());
    stats.recordSkipped(clock.monotonicNanos());
    stats.recordLag(3_000_000);
    TargetSnapshot t =
        new TargetSnapshot(
            "hnsw",
            "lucene_hnsw",
            target.labels(),
            TargetState.UP,
            Optional.empty(),
            OptionalLong.empty(),
            new HealthSnapshot(true, 0, OptionalLong.of(clock.wallMillis()), List.of()),
            OptionalLong.of(20_000),
            OptionalLong.of(20_000),
            true,
            List.of(stats.snapshot(clock.monotonicNanos())));
    cache.set(new AgentSnapshot(clock.wallMillis(), clock.monotonicNanos(), true, List.of(t)));
  }

  @AfterEach
  void tearDown() {
    metrics.close();
  }

  private String scrape() {
    return metrics.scrape(AgentMetrics.PROMETHEUS_TEXT);
  }

  /** The value of the one sample whose name and labels contain all of {@code parts}. */
  private static double value(String text, String name, String... labels) {
    List<String> lines =
        text.lines()
            .filter(l -> l.startsWith(name + "{") || l.startsWith(name + " "))
            .filter(
                l -> {
                  for (String p : labels) {
                    if (!l.contains(p)) {
                      return false;
                    }
                  }
                  return true;
                })
            .toList();
    assertThat(lines).as("%s %s", name, List.of(labels)).hasSize(1);
    String line = lines.get(0);
    return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
  }

  @Test
  void exportsEverySeriesTheContractListsAndNothingUndocumented() throws IOException {
    // Only the sections AgentMetrics exports; rules/alerting, served traffic and resources come
    // from other
    // components (their own tests check them).
    StringBuilder owned = new StringBuilder();
    for (String section : Files.readString(Path.of("..", "docs", "metrics.md")).split("(?m)^## ")) {
      if (section.startsWith("Canary probes")
          || section.startsWith("Targets")
          || section.startsWith("The agent")) {
        owned.append(section);
      }
    }
    String doc = owned.toString();
    Set<String> documented = new TreeSet<>();
    Matcher m =
        Pattern.compile(
                "^\\| `(vecwatch_[a-z0-9_]+|process_[a-z0-9_]+|system_[a-z0-9_]+)`",
                Pattern.MULTILINE)
            .matcher(doc);
    while (m.find()) {
      documented.add(m.group(1));
    }
    Set<String> exported = new TreeSet<>();
    Matcher t =
        Pattern.compile("^# TYPE (vecwatch_[a-z0-9_]+) ", Pattern.MULTILINE).matcher(scrape());
    while (t.find()) {
      exported.add(t.group(1));
    }
    assertThat(documented).contains("vecwatch_recall_ratio", "vecwatch_target_up");
    assertThat(exported)
        .isEqualTo(
            documented.stream().filter(n -> n.startsWith("vecwatch_")).collect(Collectors.toSet()));
    for (String n : documented) {
      if (!n.startsWith("vecwatch_")) {
        assertThat(scrape()).as(n).containsPattern("(?m)^# TYPE " + n + " ");
      }
    }
  }

  @Test
  void countersReadTheProbesLifetimeTotals() {
    String s = scrape();
    assertThat(value(s, "vecwatch_probe_requests_total", "outcome=\"ok\"")).isEqualTo(100);
    assertThat(value(s, "vecwatch_probe_requests_total", "outcome=\"error\"")).isEqualTo(1);
    assertThat(value(s, "vecwatch_probe_requests_total", "outcome=\"timeout\"")).isEqualTo(1);
    assertThat(value(s, "vecwatch_probe_skipped_total")).isEqualTo(1);
    assertThat(value(s, "vecwatch_probe_lag_seconds")).isEqualTo(0.003);
    assertThat(value(s, "vecwatch_probe_latency_seconds_count")).isEqualTo(100);
    assertThat(value(s, "vecwatch_probe_latency_seconds_sum"))
        .isCloseTo(90 * 0.002 + 10 * 0.4, Assertions.within(1e-9));
  }

  @Test
  void gaugesReadTheLatestSnapshot() {
    String s = scrape();
    assertThat(value(s, "vecwatch_recall_ratio", "k=\"10\""))
        .isCloseTo(0.9, Assertions.within(1e-12));
    assertThat(value(s, "vecwatch_recall_ratio", "k=\"100\""))
        .isCloseTo(0.8, Assertions.within(1e-12));
    assertThat(value(s, "vecwatch_recall_distance_ratio", "k=\"10\""))
        .isCloseTo(0.95, Assertions.within(1e-12));
    assertThat(value(s, "vecwatch_recall_window_queries", "k=\"100\"")).isEqualTo(100);
    assertThat(value(s, "vecwatch_probe_window_error_ratio")).isEqualTo(1.0 / 102);
    assertThat(value(s, "vecwatch_probe_window_timeout_ratio")).isEqualTo(1.0 / 102);
    assertThat(value(s, "vecwatch_probe_window_seconds")).isEqualTo(60);
    assertThat(value(s, "vecwatch_probe_window_requests_per_second"))
        .isCloseTo(102 / 10.0, Assertions.within(1e-9));
    assertThat(value(s, "vecwatch_target_up", "kind=\"lucene_hnsw\"")).isEqualTo(1);
    assertThat(value(s, "vecwatch_target_entities")).isEqualTo(20_000);
    assertThat(value(s, "vecwatch_target_health_check_failures")).isZero();
  }

  @Test
  void windowQuantilesAreASummaryFromTheSnapshot() {
    String s = scrape();
    assertThat(s).contains("# TYPE vecwatch_probe_window_latency_seconds summary");
    // 90 searches at 2 ms and 10 at 400 ms: the median is 2 ms, P95 and above 400 ms (within 0.1%)
    assertThat(value(s, "vecwatch_probe_window_latency_seconds", "quantile=\"0.5\""))
        .isBetween(0.002, 0.002002);
    assertThat(value(s, "vecwatch_probe_window_latency_seconds", "quantile=\"0.95\""))
        .isBetween(0.4, 0.4004);
    assertThat(value(s, "vecwatch_probe_window_latency_seconds", "quantile=\"0.999\""))
        .isBetween(0.4, 0.4004);
    assertThat(value(s, "vecwatch_probe_window_latency_seconds_count")).isEqualTo(100);
  }

  @Test
  void addsTheTargetsConfiguredLabelsToItsSeries() {
    String s = scrape();
    assertThat(
            s.lines()
                .filter(
                    l ->
                        l.startsWith("vecwatch_")
                            && !l.startsWith("vecwatch_build_info")
                            && !l.startsWith("vecwatch_config_last_reload")))
        .isNotEmpty()
        .allSatisfy(
            l -> assertThat(l).contains("env=\"test\"", "team=\"search\"", "target=\"hnsw\""));
  }

  @Test
  void latencyBucketsSpanOneHundredMicrosecondsToTenSeconds() {
    List<Double> les =
        scrape()
            .lines()
            .filter(l -> l.startsWith("vecwatch_probe_latency_seconds_bucket{"))
            .map(l -> l.replaceAll(".*le=\"([^\"]+)\".*", "$1"))
            .filter(le -> !le.equals("+Inf"))
            .map(Double::parseDouble)
            .toList();
    assertThat(les).hasSize(AgentMetrics.LATENCY_BUCKETS.size()).isSorted();
    assertThat(les.get(0)).isEqualTo(0.0001);
    assertThat(les.get(les.size() - 1)).isEqualTo(10.0);
    // the 2 ms searches are counted in the 2.5 ms bucket, the 400 ms ones from the 500 ms bucket on
    assertThat(value(scrape(), "vecwatch_probe_latency_seconds_bucket", "le=\"0.0025\""))
        .isEqualTo(90);
    assertThat(value(scrape(), "vecwatch_probe_latency_seconds_bucket", "le=\"0.5\""))
        .isEqualTo(100);
  }

  @Test
  void servesOpenMetricsWhenTheAcceptHeaderAsksForIt() {
    assertThat(
            AgentMetrics.contentTypeFor(
                "application/openmetrics-text;version=1.0.0,text/plain;q=0.5"))
        .startsWith("application/openmetrics-text");
    assertThat(AgentMetrics.contentTypeFor("text/plain")).startsWith("text/plain; version=0.0.4");
    assertThat(AgentMetrics.contentTypeFor(null)).startsWith("text/plain; version=0.0.4");
    String om = metrics.scrape(AgentMetrics.contentTypeFor("application/openmetrics-text"));
    assertThat(om).endsWith("# EOF\n").contains("# TYPE vecwatch_build info");
  }

  @Test
  void exportsJvmAndProcessSeries() {
    String s = scrape();
    for (String name :
        List.of(
            "jvm_memory_used_bytes",
            "jvm_gc_memory_allocated_bytes_total",
            "jvm_threads_live_threads",
            "jvm_classes_loaded_classes",
            "process_cpu_usage",
            "process_cpu_seconds_total",
            "process_uptime_seconds",
            "process_files_open_files",
            "system_cpus")) {
      assertThat(s).as(name).containsPattern("(?m)^" + name + "[{ ]");
    }
    assertThat(value(s, "system_cpus")).isEqualTo(Runtime.getRuntime().availableProcessors());
  }
}
