package io.vecwatch.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vecwatch.config.ConfigLoader;
import io.vecwatch.dataset.load.DatasetLoader;
import io.vecwatch.target.registry.TargetKinds;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /-/reload} (and SIGHUP) reload the whole config file: an unchanged target keeps running
 * with its counters, a changed one is rebuilt, a new one starts, a removed one stops and its series
 * go; a broken file changes nothing and says why.
 */
class FullReloadTest {
  @TempDir Path dir;

  private static final String HEAD =
      """
      web:
        listen_address: "127.0.0.1:0"
      datasets:
        - name: d
          metric: l2
          generate: {count: 200, dim: 4, queries: 5, ground_truth_k: 10}
      targets:
      """;

  private static String target(String name) {
    return "  - {name: " + name + ", kind: flat, dataset: d}\n";
  }

  private static String probe(String name, int rate) {
    return "  - {target: " + name + ", rate: " + rate + ", window: 60s, health_interval: 200ms}\n";
  }

  /** A sample of {@code vecwatch_probe_requests_total{target=T,outcome="ok"}}, if exported. */
  private static OptionalDouble okTotal(Agent a, String target) {
    return a.meterRegistry()
        .scrape()
        .lines()
        .filter(
            l ->
                l.startsWith("vecwatch_probe_requests_total{")
                    && l.contains("target=\"" + target + "\"")
                    && l.contains("outcome=\"ok\""))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .findFirst();
  }

  private static double gauge(Agent a, String name) {
    return a.meterRegistry()
        .scrape()
        .lines()
        .filter(l -> l.startsWith(name + " "))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void keepsUnchangedTargetsRebuildsChangedStartsAddedAndDropsRemoved() throws Exception {
    Path file = dir.resolve("vecwatch.yml");
    Files.writeString(
        file,
        HEAD
            + target("kept")
            + target("changed")
            + target("removed")
            + "probes:\n"
            + probe("kept", 20)
            + probe("changed", 20)
            + probe("removed", 20));
    try (Agent a =
        Agent.builder(new ConfigLoader(Map.of(), TargetKinds.lookup()).load(file))
            .configFile(Optional.of(file))
            .lifecycle(true)
            .start()) {
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  a.ready()
                      && okTotal(a, "kept").orElse(0) >= 10
                      && okTotal(a, "changed").orElse(0) >= 10);
      double keptBefore = okTotal(a, "kept").getAsDouble();
      double changedBefore = okTotal(a, "changed").getAsDouble();

      Files.writeString(
          file,
          HEAD
              + target("kept")
              + target("changed")
              + target("added")
              + "probes:\n"
              + probe("kept", 20)
              + probe("changed", 5)
              + probe("added", 20));
      assertThat(a.reload().status()).isEqualTo(200);

      // kept: the same counter carries on (no reset, no gap)
      assertThat(okTotal(a, "kept").getAsDouble()).isGreaterThanOrEqualTo(keptBefore);
      // changed: rebuilt, so its counter starts again
      assertThat(okTotal(a, "changed").orElse(0)).isLessThan(changedBefore);
      // removed: its series are gone
      assertThat(a.meterRegistry().scrape()).doesNotContain("target=\"removed\"");
      // added: probed
      await().atMost(Duration.ofSeconds(30)).until(() -> okTotal(a, "added").orElse(0) > 0);
      assertThat(a.config().targets())
          .extracting(t -> t.name())
          .containsExactly("kept", "changed", "added");
      assertThat(gauge(a, "vecwatch_config_last_reload_successful")).isEqualTo(1.0);
    }
  }

  @Test
  void aTargetWhoseDatasetIsStillLoadingDoesNotHoldUpTheReloadOrMetrics() throws Exception {
    Path file = dir.resolve("vecwatch.yml");
    Files.writeString(file, HEAD + target("a") + "probes:\n" + probe("a", 20));
    CountDownLatch release = new CountDownLatch(1);
    // the dataset of the added target takes as long as the test says (a big index build stands in
    // for it)
    DatasetProvider slow =
        c -> {
          if (c.name().equals("big")) {
            release.await();
          }
          return DatasetLoader.load(c);
        };
    try (Agent a =
        Agent.builder(new ConfigLoader(Map.of(), TargetKinds.lookup()).load(file))
            .configFile(Optional.of(file))
            .datasets(slow)
            .start()) {
      await().atMost(Duration.ofSeconds(30)).until(a::ready);
      Files.writeString(
          file,
          HEAD.replace(
                  "targets:\n",
                  """
            - name: big
              metric: l2
              generate: {count: 300, dim: 4, queries: 5, ground_truth_k: 10}
          targets:
          """)
              + target("a")
              + "  - {name: b, kind: lucene_hnsw, dataset: big}\n"
              + "probes:\n"
              + probe("a", 20)
              + probe("b", 20));
      assertThat(a.reload().status()).isEqualTo(200);
      // reload returned while "big" is still loading; /metrics answers and already lists b, not yet
      // up
      String scrape = a.meterRegistry().scrape();
      assertThat(scrape).contains("vecwatch_target_up{kind=\"lucene_hnsw\",target=\"b\"}");
      assertThat(a.snapshot().targets())
          .filteredOn(t -> t.name().equals("b"))
          .extracting(t -> t.state().toString())
          .containsExactly("UNKNOWN");
      assertThat(a.ready()).isFalse();
      release.countDown();
      await().atMost(Duration.ofSeconds(30)).until(() -> okTotal(a, "b").orElse(0) > 0);
    } finally {
      release.countDown();
    }
  }

  @Test
  void aBrokenFileChangesNothingAndSaysWhy() throws Exception {
    Path file = dir.resolve("vecwatch.yml");
    Files.writeString(file, HEAD + target("a") + "probes:\n" + probe("a", 20));
    try (Agent a =
        Agent.builder(new ConfigLoader(Map.of(), TargetKinds.lookup()).load(file))
            .configFile(Optional.of(file))
            .start()) {
      await().atMost(Duration.ofSeconds(30)).until(() -> okTotal(a, "a").orElse(0) >= 5);
      double okAt = gauge(a, "vecwatch_config_last_reload_success_timestamp_seconds");
      Files.writeString(file, HEAD + target("a") + "  - {name: b, kind: faiss, dataset: d}\n");
      var r = a.reload();
      assertThat(r.status()).isEqualTo(500);
      assertThat(r.body()).contains(file + ": targets[1].kind: unknown kind \"faiss\"");
      assertThat(gauge(a, "vecwatch_config_last_reload_successful")).isZero();
      assertThat(gauge(a, "vecwatch_config_last_reload_success_timestamp_seconds")).isEqualTo(okAt);
      double before = okTotal(a, "a").getAsDouble();
      await().atMost(Duration.ofSeconds(30)).until(() -> okTotal(a, "a").getAsDouble() > before);
      assertThat(a.config().targets()).hasSize(1);
    }
  }

  @Test
  void aServerMetricsEntryForAnUnknownTargetFailsTheReloadAndKeepsTheSection() throws Exception {
    Path file = dir.resolve("vecwatch.yml");
    String good =
        HEAD
            + target("a")
            + "probes:\n"
            + probe("a", 20)
            + "telemetry:\n  resources: {interval: 1s}\n";
    Files.writeString(file, good);
    try (Agent a =
        Agent.builder(new ConfigLoader(Map.of(), TargetKinds.lookup()).load(file))
            .configFile(Optional.of(file))
            .start()) {
      await().atMost(Duration.ofSeconds(30)).until(a::ready);
      Files.writeString(
          file,
          good.replace("resources: {interval: 1s}", "resources: {interval: 2s}")
              + "  server_metrics: [{target: gone, url: \"http://127.0.0.1:9/metrics\"}]\n");
      var r = a.reload();
      assertThat(r.status()).isEqualTo(500);
      assertThat(r.body())
          .contains(file + ": telemetry.server_metrics[0].target: no target named \"gone\"");
      // nothing of the refused section was applied
      assertThat(a.config().telemetry().resources().interval()).isEqualTo(Duration.ofSeconds(1));
      assertThat(gauge(a, "vecwatch_config_last_reload_successful")).isZero();
    }
  }

  @Test
  void aChangedTelemetrySectionIsAppliedWithoutTouchingTheTargets() throws Exception {
    Path file = dir.resolve("vecwatch.yml");
    String before =
        HEAD
            + target("a")
            + "probes:\n"
            + probe("a", 20)
            + "telemetry:\n  resources: {enabled: false}\n";
    Files.writeString(file, before);
    try (Agent a =
        Agent.builder(new ConfigLoader(Map.of(), TargetKinds.lookup()).load(file))
            .configFile(Optional.of(file))
            .start()) {
      await().atMost(Duration.ofSeconds(30)).until(() -> okTotal(a, "a").orElse(0) >= 5);
      assertThat(a.meterRegistry().scrape())
          .doesNotContain("vecwatch_process_resident_memory_bytes");
      double okBefore = okTotal(a, "a").getAsDouble();

      Files.writeString(file, before.replace("{enabled: false}", "{interval: 1s}"));
      assertThat(a.reload().status()).isEqualTo(200);

      assertThat(a.meterRegistry().scrape()).contains("vecwatch_process_resident_memory_bytes");
      assertThat(okTotal(a, "a").getAsDouble()).isGreaterThanOrEqualTo(okBefore);
      assertThat(gauge(a, "vecwatch_config_last_reload_successful")).isEqualTo(1.0);
    }
  }
}
