package io.vecwatch.target.milvus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vecwatch.agent.Agent;
import io.vecwatch.config.ConfigLoader;
import io.vecwatch.config.VecwatchConfig;
import io.vecwatch.dataset.Metric;
import io.vecwatch.target.registry.TargetKinds;
import io.vecwatch.testing.Scrape;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The whole agent watching Milvus Lite: a healthy collection, a Milvus that is not there and a
 * collection that does not exist. The agent starts regardless; /metrics and /api/v1/targets show
 * each target as it is, with the Milvus series of docs/metrics.md.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MilvusAgentIT {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private final String uri =
      System.getProperty("vecwatch.milvusLite.uri", "http://127.0.0.1:19540");
  private final String downUri = "http://127.0.0.1:" + MilvusProcess.freePort();
  private MilvusAdmin admin;
  private TestData data;
  private String collection;
  private Agent agent;

  @BeforeAll
  void start() throws Exception {
    admin = new MilvusAdmin(uri, b -> {});
    data = TestData.generate("it", Metric.L2, 3_000, 32, 30, 12, 5, 10, i -> 9_000 + 2L * i);
    collection = "vw_agent_" + Long.toString(System.nanoTime(), 36);
    admin.createCollection(collection, data, 4, 16);
    String yaml =
        """
        web: {listen_address: "127.0.0.1:0"}
        datasets:
          - name: it
            metric: l2
            generate: {count: 3000, dim: 32, ground_truth_k: 10, clusters: 12}
        targets:
          - name: milvus
            kind: milvus
            dataset: it
            uri: %1$s
            collection: %2$s
            search_params: {ef: 10}
            expected_entities: 3000
            self_recall: {sample_size: 10, window: 100}
          - name: milvus-down
            kind: milvus
            dataset: it
            uri: %3$s
            collection: %2$s
            connect_timeout: 500ms
            reconnect: {initial_backoff: 200ms, max_backoff: 1s}
          - name: milvus-wrong
            kind: milvus
            dataset: it
            uri: %1$s
            collection: no_such_collection
        probes:
          - {target: milvus, rate: 10, concurrency: 2, timeout: 5s, recall_k: [10], window: 60s,
             health_interval: 500ms}
          - {target: milvus-down, rate: 2, concurrency: 1, timeout: 1s, recall_k: [10], window: 60s,
             health_interval: 500ms}
          - {target: milvus-wrong, rate: 2, concurrency: 1, timeout: 1s, recall_k: [10], window: 60s,
             health_interval: 500ms}
        """
            .formatted(uri, collection, downUri);
    VecwatchConfig config =
        new ConfigLoader(Map.of(), TargetKinds.lookup()).parse("agent-it.yml", yaml, Path.of("."));
    long t0 = System.nanoTime();
    agent = Agent.builder(config).datasets(c -> data.dataset).start();
    assertThat(Duration.ofNanos(System.nanoTime() - t0))
        .as("an unreachable Milvus does not hold up the start")
        .isLessThan(Duration.ofSeconds(30));
  }

  @AfterAll
  void stop() {
    if (agent != null) {
      agent.close();
    }
    if (admin != null) {
      admin.drop(collection);
      admin.close();
    }
  }

  private HttpResponse<String> get(String path) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.httpPort() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void metricsShowTheHealthyCollectionAndTheBrokenTargetsApart() {
    await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> {
              Scrape s = Scrape.parse(get("/metrics").body());

              assertThat(s.value("vecwatch_target_up", "target", "milvus")).isEqualTo(1.0);
              assertThat(s.value("vecwatch_recall_ratio", "target", "milvus", "k", "10"))
                  .isBetween(0.3, 0.999);
              assertThat(
                      s.value("vecwatch_probe_requests_total", "target", "milvus", "outcome", "ok"))
                  .isPositive();
              assertThat(s.value("vecwatch_target_entities", "target", "milvus")).isEqualTo(3000.0);
              assertThat(s.value("vecwatch_target_expected_entities", "target", "milvus"))
                  .isEqualTo(3000.0);
              assertThat(s.value("vecwatch_milvus_load_progress_ratio", "target", "milvus"))
                  .isEqualTo(1.0);
              assertThat(
                      s.value(
                          "vecwatch_milvus_connection_state",
                          "target",
                          "milvus",
                          "state",
                          "connected"))
                  .isEqualTo(1.0);
              assertThat(
                      s.value(
                          "vecwatch_milvus_feature_available",
                          "target",
                          "milvus",
                          "feature",
                          "segments"))
                  .isZero();
              assertThat(s.value("vecwatch_self_recall_ratio", "target", "milvus"))
                  .isGreaterThan(0.5);
              assertThat(
                      s.value(
                          "vecwatch_target_info",
                          "target",
                          "milvus",
                          "kind",
                          "milvus",
                          "server_version",
                          "milvus_lite-3.2.2",
                          "index_type",
                          "HNSW"))
                  .isEqualTo(1.0);

              assertThat(s.value("vecwatch_target_up", "target", "milvus-down")).isZero();
              assertThat(
                      s.value(
                          "vecwatch_milvus_connection_state",
                          "target",
                          "milvus-down",
                          "state",
                          "unreachable"))
                  .isEqualTo(1.0);
              assertThat(
                      s.value(
                          "vecwatch_probe_requests_total",
                          "target",
                          "milvus-down",
                          "outcome",
                          "error"))
                  .isPositive();
              assertThat(s.value("vecwatch_milvus_connect_attempts_total", "target", "milvus-down"))
                  .isGreaterThan(1.0);

              assertThat(s.value("vecwatch_target_up", "target", "milvus-wrong")).isZero();
              assertThat(
                      s.value(
                          "vecwatch_milvus_connection_state",
                          "target",
                          "milvus-wrong",
                          "state",
                          "misconfigured"))
                  .isEqualTo(1.0);
            });
  }

  @Test
  void targetsApiNamesTheMisconfiguredCollection() {
    await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> {
              JsonArray targets =
                  new JsonObject(get("/api/v1/targets").body())
                      .getJsonObject("data")
                      .getJsonArray("targets");
              JsonObject wrong = targets.getJsonObject(2);
              assertThat(wrong.getString("name")).isEqualTo("milvus-wrong");
              assertThat(wrong.getString("state")).isEqualTo("misconfigured");
              assertThat(wrong.getString("last_error"))
                  .isEqualTo(
                      "target milvus-wrong: collection \"no_such_collection\" does not exist at "
                          + uri);
              JsonObject down = targets.getJsonObject(1);
              assertThat(down.getString("state")).isEqualTo("down");
              // the latest error is either the health check's or a probe's; both name the address
              // and say why, plainly
              assertThat(down.getString("last_error"))
                  .matches(
                      "target milvus-down: (cannot reach Milvus at|not connected to) "
                          + Pattern.quote(downUri)
                          + ".*")
                  .doesNotContain("Exception");
              assertThat(targets.getJsonObject(0).getString("state")).isEqualTo("up");
            });
  }
}
