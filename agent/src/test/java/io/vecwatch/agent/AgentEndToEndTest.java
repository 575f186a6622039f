package io.vecwatch.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.vecwatch.BuildInfo;
import io.vecwatch.config.ConfigLoader;
import io.vecwatch.config.DatasetConfig;
import io.vecwatch.config.VecwatchConfig;
import io.vecwatch.dataset.Dataset;
import io.vecwatch.dataset.load.DatasetLoader;
import io.vecwatch.target.registry.TargetKinds;
import io.vecwatch.testing.Scrape;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole agent on a loopback port with a small generated dataset: an exact flat index, a
 * deliberately weak Lucene HNSW index, and a target whose dataset cannot be loaded (the loader is
 * wrapped to fail for it, as a corrupt file would). Everything is observed over HTTP, as Prometheus
 * and an operator would.
 */
class AgentEndToEndTest {
  static final double RATE = 20;
  static final int CONCURRENCY = 2;
  static final String CONFIG =
      """
      web:
        listen_address: "127.0.0.1:0"
      datasets:
        - name: small
          metric: l2
          generate: {count: 3000, dim: 16, queries: 50, clusters: 8, seed: 7, ground_truth_k: 20}
        - name: unreadable
          metric: l2
          generate: {count: 100, dim: 16, queries: 5, ground_truth_k: 100}
      targets:
        - name: flat
          kind: flat
          dataset: small
          labels: {env: e2e}
        - name: hnsw
          kind: lucene_hnsw
          dataset: small
          m: 4
          ef_construction: 8
          ef_search: 4
        - name: broken
          kind: flat
          dataset: unreadable
      probes:
        - {target: flat, rate: %1$s, concurrency: %2$d, timeout: 5s, recall_k: [10], window: 3s}
        - {target: hnsw, rate: %1$s, concurrency: %2$d, timeout: 5s, recall_k: [1, 10], window: 3s}
      """
          .formatted(RATE, CONCURRENCY);

  private static Agent agent;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    VecwatchConfig config =
        new ConfigLoader(Map.of(), TargetKinds.lookup()).parse("e2e.yml", CONFIG, Path.of("."));
    agent = Agent.builder(config).datasets(AgentEndToEndTest::load).start();
  }

  static Dataset load(DatasetConfig c) throws Exception {
    if (c.name().equals("unreadable")) {
      throw new IOException("unreadable.fvecs: truncated after vector 17");
    }
    return DatasetLoader.load(c);
  }

  @AfterAll
  static void stop() {
    if (agent != null) {
      agent.close();
    }
  }

  private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.httpPort() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void servesMetricsThatShowExactAndApproximateRecallLatencyAndRate() throws Exception {
    assertThat(agent.httpPort()).isPositive();
    await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(250))
        .until(() -> get("/-/ready").statusCode() == 200);

    await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> {
              HttpResponse<String> r = get("/metrics");
              assertThat(r.statusCode()).isEqualTo(200);
              assertThat(r.headers().firstValue("Content-Type").orElseThrow())
                  .startsWith("text/plain; version=0.0.4");
              Scrape s = Scrape.parse(r.body());

              assertThat(
                      s.value("vecwatch_recall_ratio", "target", "flat", "k", "10", "env", "e2e"))
                  .isEqualTo(1.0);
              assertThat(s.value("vecwatch_recall_distance_ratio", "target", "flat", "k", "10"))
                  .isEqualTo(1.0);
              assertThat(s.value("vecwatch_recall_ratio", "target", "hnsw", "k", "10"))
                  .isGreaterThan(0.0)
                  .isLessThanOrEqualTo(1.0);
              assertThat(s.value("vecwatch_recall_ratio", "target", "hnsw", "k", "1"))
                  .isGreaterThan(0.0)
                  .isLessThanOrEqualTo(1.0);
              for (String t : new String[] {"flat", "hnsw"}) {
                double p50 =
                    s.value(
                        "vecwatch_probe_window_latency_seconds", "target", t, "quantile", "0.5");
                double p99 =
                    s.value(
                        "vecwatch_probe_window_latency_seconds", "target", t, "quantile", "0.99");
                assertThat(p50).as(t + " P50").isPositive();
                assertThat(p50).as(t + " P50 ≤ P99").isLessThanOrEqualTo(p99);
                assertThat(s.value("vecwatch_target_up", "target", t)).isEqualTo(1.0);
                assertThat(s.value("vecwatch_probe_requests_total", "target", t, "outcome", "ok"))
                    .isPositive();
                // Once the 3 s window is full it holds ~60 finished searches. The count differs
                // from rate x window by at
                // most the searches in flight at either edge (2 x concurrency) plus one for slot
                // rounding: 5/60 ≈ 8%.
                // 20% leaves room for scheduler jitter on a shared 2-core machine; Awaitility
                // retries meanwhile.
                assertThat(s.value("vecwatch_probe_window_requests_per_second", "target", t))
                    .as(t + " rate")
                    .isBetween(RATE * 0.8, RATE * 1.2);
              }
              assertThat(s.value("vecwatch_target_up", "target", "broken")).isZero();
              assertThat(s.value("vecwatch_build_info", "version", BuildInfo.version()))
                  .isEqualTo(1.0);
            });
  }

  @Test
  void targetsApiShowsStateErrorsAndWindowStatistics() throws Exception {
    await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(250))
        .untilAsserted(
            () -> {
              HttpResponse<String> r = get("/api/v1/targets");
              assertThat(r.statusCode()).isEqualTo(200);
              JsonObject data = new JsonObject(r.body()).getJsonObject("data");
              assertThat(data.getBoolean("ready")).isTrue();
              JsonArray targets = data.getJsonArray("targets");
              assertThat(targets).hasSize(3);
              JsonObject flat = targets.getJsonObject(0);
              assertThat(flat.fieldNames())
                  .contains(
                      "name",
                      "kind",
                      "labels",
                      "state",
                      "last_error",
                      "last_error_time",
                      "health",
                      "entities",
                      "expected_entities",
                      "probes");
              assertThat(flat.getString("name")).isEqualTo("flat");
              assertThat(flat.getString("kind")).isEqualTo("flat");
              assertThat(flat.getString("state")).isEqualTo("up");
              assertThat(flat.getLong("entities")).isEqualTo(3000);
              assertThat(flat.getLong("expected_entities")).isEqualTo(3000);
              assertThat(flat.getJsonObject("labels").getString("env")).isEqualTo("e2e");
              JsonObject window =
                  flat.getJsonArray("probes").getJsonObject(0).getJsonObject("window");
              assertThat(window.fieldNames())
                  .contains(
                      "seconds",
                      "covered_seconds",
                      "requests",
                      "skipped",
                      "requests_per_second",
                      "error_ratio",
                      "timeout_ratio",
                      "latency_seconds",
                      "recall");
              assertThat(window.getDouble("seconds")).isEqualTo(3.0);
              assertThat(window.getJsonObject("requests").getLong("ok")).isPositive();
              assertThat(window.getJsonObject("latency_seconds").fieldNames())
                  .containsExactly("p50", "p95", "p99", "p999");
              JsonObject recall = window.getJsonArray("recall").getJsonObject(0);
              assertThat(recall.getInteger("k")).isEqualTo(10);
              assertThat(recall.getDouble("ratio")).isEqualTo(1.0);
              assertThat(recall.getLong("queries"))
                  .isEqualTo(window.getJsonObject("requests").getLong("ok"));

              JsonObject broken = targets.getJsonObject(2);
              assertThat(broken.getString("state")).isEqualTo("misconfigured");
              assertThat(broken.getString("last_error"))
                  .isEqualTo(
                      "dataset unreadable could not be loaded: unreadable.fvecs: truncated after vector 17");
            });
  }

  @Test
  void snapshotApiAgreesWithItself() {
    await().atMost(Duration.ofSeconds(120)).until(agent::ready);
    var s = agent.snapshot();
    assertThat(s.ready()).isTrue();
    assertThat(s.targets()).extracting(t -> t.name()).containsExactly("flat", "hnsw", "broken");
    assertThat(s.probe("hnsw", "small")).isPresent();
    assertThat(agent.meterRegistry().find("vecwatch.probe.latency").timers()).hasSize(3);
  }

  @Test
  void closingStopsServing() throws Exception {
    VecwatchConfig config =
        new ConfigLoader(Map.of(), TargetKinds.lookup()).parse("e2e.yml", CONFIG, Path.of("."));
    Agent other = Agent.builder(config).datasets(AgentEndToEndTest::load).start();
    int port = other.httpPort();
    assertThat(
            HTTP.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/-/healthy"))
                        .build(),
                    HttpResponse.BodyHandlers.ofString())
                .statusCode())
        .isEqualTo(200);
    other.close();
    assertThatThrownBy(
            () ->
                HTTP.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/-/healthy"))
                        .build(),
                    HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(ConnectException.class);
  }
}
