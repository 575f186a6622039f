package io.vecwatch.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.vecwatch.config.ConfigLoader;
import io.vecwatch.config.VecwatchConfig;
import io.vecwatch.metrics.AgentMetrics;
import io.vecwatch.target.registry.TargetKinds;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class EarlyStartTest {
  private static VecwatchConfig config() throws Exception {
    return new ConfigLoader(Map.of(), TargetKinds.lookup())
        .parse(
            "agent.yml",
            """
            web:
              listen_address: "127.0.0.1:0"
            datasets:
              - name: d
                metric: l2
                generate: {count: 200, dim: 8, queries: 5, clusters: 2, ground_truth_k: 10}
            targets:
              - name: a
                kind: flat
                dataset: d
            """,
            Path.of("."));
  }

  @Test
  void theAgentServesItsMetricsFromTheRegistryCreatedAhead() throws Exception {
    try (EarlyStart early = EarlyStart.begin();
        Agent agent = Agent.builder(config()).earlyStart(early).start()) {
      HttpResponse<String> r =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + agent.httpPort() + "/metrics"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).contains("vecwatch_build_info", "jvm_memory_used_bytes");
      // the registry the agent serves is the one created ahead, not a second one
      assertThatThrownBy(early::take)
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("the parts of an early start go to one agent only");
    }
  }

  @Test
  void noStartUpThreadOutlivesTheBuild() throws Exception {
    try (EarlyStart early = EarlyStart.begin();
        Agent agent = Agent.builder(config()).earlyStart(early).start()) {
      await().atMost(Duration.ofSeconds(30)).until(agent::ready);
      // the build threads end once idle for 10 s; the early-start thread once its parts exist
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> liveThreadsNamed("vecwatch-build-", "vecwatch-early-start").isEmpty());
    }
  }

  private static List<String> liveThreadsNamed(String... prefixes) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(Thread::getName)
        .filter(n -> Arrays.stream(prefixes).anyMatch(n::startsWith))
        .toList();
  }

  @Test
  void closingWithoutAnAgentReleasesTheParts() {
    EarlyStart.Parts parts = EarlyStart.create();
    EarlyStart early = new EarlyStart(CompletableFuture.completedFuture(parts));
    early.close();
    early.close(); // idempotent
    assertThat(parts.metrics().registry().isClosed()).isTrue();
    assertThatThrownBy(early::take).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void closingAfterAnAgentTookThePartsLeavesThemOpen() {
    EarlyStart early = EarlyStart.begin();
    EarlyStart.Parts parts = early.take();
    early.close();
    try {
      assertThat(parts.metrics().registry().isClosed()).isFalse();
      assertThat(parts.metrics().scrape(AgentMetrics.PROMETHEUS_TEXT)).contains("jvm_");
    } finally {
      parts.close();
    }
  }

  @Test
  void aFailureToCreateThePartsReachesWhoeverTakesThem() {
    EarlyStart early =
        new EarlyStart(CompletableFuture.failedFuture(new IllegalStateException("no threads")));
    assertThatThrownBy(early::take)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("no threads");
    early.close(); // nothing to release, and no exception either
  }
}
