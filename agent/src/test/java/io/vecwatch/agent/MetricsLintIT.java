package io.vecwatch.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vecwatch.config.ConfigLoader;
import io.vecwatch.config.VecwatchConfig;
import io.vecwatch.target.registry.TargetKinds;
import io.vecwatch.testing.Scrape;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Runs Prometheus's own linter, {@code promtool check metrics} (Debian package {@code prometheus},
 * installed by {@code .ci/peers.sh install}), on a real scrape of a running agent: it must report
 * nothing.
 */
class MetricsLintIT {
  private static final Path PROMTOOL = Path.of("/usr/bin/promtool");

  @Test
  void promtoolFindsNothingToReportInARealScrape() throws Exception {
    assertThat(PROMTOOL).as("promtool (run .ci/peers.sh install)").isExecutable();
    VecwatchConfig config =
        new ConfigLoader(Map.of(), TargetKinds.lookup())
            .parse(
                "lint.yml",
                """
        web:
          listen_address: "127.0.0.1:0"
        datasets:
          - name: d
            metric: l2
            generate: {count: 2000, dim: 16, queries: 20, clusters: 4, ground_truth_k: 10}
          - name: unreadable
            metric: l2
            generate: {count: 100, dim: 16, queries: 5, ground_truth_k: 100}
        targets:
          - name: flat
            kind: flat
            dataset: d
            labels: {env: lint}
          - name: hnsw
            kind: lucene_hnsw
            dataset: d
          - name: broken
            kind: flat
            dataset: unreadable
        probes:
          - {target: flat, rate: 20, recall_k: [1, 10]}
          - {target: hnsw, rate: 20, recall_k: [10]}
        """,
                Path.of("."));
    HttpClient http = HttpClient.newHttpClient();
    try (Agent agent = Agent.builder(config).datasets(AgentEndToEndTest::load).start()) {
      URI metrics = URI.create("http://127.0.0.1:" + agent.httpPort() + "/metrics");
      // lint a scrape that has every kind of value: counts, quantiles, recall, a misconfigured
      // target
      String text =
          await()
              .atMost(Duration.ofSeconds(120))
              .pollInterval(Duration.ofMillis(500))
              .until(
                  () ->
                      http.send(
                              HttpRequest.newBuilder(metrics).build(),
                              HttpResponse.BodyHandlers.ofString())
                          .body(),
                  body ->
                      agent.ready()
                          && Scrape.parse(body).find("vecwatch_recall_ratio").stream()
                                  .filter(s -> !Double.isNaN(s.value()))
                                  .count()
                              >= 3);
      Path file = Files.createTempFile("vecwatch-metrics", ".txt");
      Files.writeString(file, text);
      ProcessBuilder pb =
          new ProcessBuilder(PROMTOOL.toString(), "check", "metrics")
              .redirectInput(file.toFile())
              .redirectErrorStream(true);
      Process p = pb.start();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (InputStream in = p.getInputStream()) {
        in.transferTo(out);
      }
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(out.toString(StandardCharsets.UTF_8)).as("promtool output").isEmpty();
      assertThat(p.exitValue()).isZero();
      Files.delete(file);
    }
  }
}
