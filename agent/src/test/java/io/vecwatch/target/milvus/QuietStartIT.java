package io.vecwatch.target.milvus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vecwatch.agent.Agent;
import io.vecwatch.config.ConfigLoader;
import io.vecwatch.config.VecwatchConfig;
import io.vecwatch.dataset.Metric;
import io.vecwatch.target.registry.TargetKinds;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Starting against a healthy Milvus Lite counts no errors: probes wait for the first connection
 * attempt, so there is no "not connected yet" failure, no error ratio and no last error. A Milvus
 * that is not there is still reported down, once its connection deadline passed, and only then is
 * the agent ready.
 */
class QuietStartIT {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private final String uri =
      System.getProperty("vecwatch.milvusLite.uri", "http://127.0.0.1:19540");

  private static HttpResponse<String> get(Agent a, String path) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + a.httpPort() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /**
   * Sum of {@code vecwatch_probe_requests_total} samples of {@code target} with {@code
   * outcome="error"}.
   */
  private static double errors(String metrics, String target) {
    return metrics
        .lines()
        .filter(l -> l.startsWith("vecwatch_probe_requests_total{"))
        .filter(l -> l.contains("target=\"" + target + "\"") && l.contains("outcome=\"error\""))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }

  @Test
  void aHealthyMilvusStartsWithoutASingleCountedError() throws Exception {
    MilvusAdmin admin = new MilvusAdmin(uri, b -> {});
    TestData data = TestData.generate("q", Metric.L2, 1_000, 16, 20, 8, 5, 10, i -> 1_000 + i);
    String collection = "vw_quiet_" + Long.toString(System.nanoTime(), 36);
    admin.createCollection(collection, data, 4, 16);
    String down = "http://127.0.0.1:" + MilvusProcess.freePort();
    String yaml =
        """
        web: {listen_address: "127.0.0.1:0"}
        datasets:
          - name: q
            metric: l2
            generate: {count: 1000, dim: 16, ground_truth_k: 10, clusters: 8}
        targets:
          - name: healthy
            kind: milvus
            dataset: q
            uri: %1$s
            collection: %2$s
          - name: absent
            kind: milvus
            dataset: q
            uri: %3$s
            collection: %2$s
            connect_timeout: 1s
        probes:
          - {target: healthy, rate: 20, concurrency: 2, timeout: 5s, recall_k: [10], window: 60s,
             health_interval: 500ms}
          - {target: absent, rate: 2, concurrency: 1, timeout: 1s, recall_k: [10], window: 60s,
             health_interval: 500ms}
        """
            .formatted(uri, collection, down);
    VecwatchConfig config =
        new ConfigLoader(Map.of(), TargetKinds.lookup()).parse("quiet.yml", yaml, Path.of("."));
    try (Agent agent = Agent.builder(config).datasets(c -> data.dataset).start()) {
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> get(agent, "/-/ready").statusCode() == 200);
      // a few more seconds of probing at 20/s
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(500))
          .until(
              () ->
                  get(agent, "/metrics")
                      .body()
                      .lines()
                      .anyMatch(
                          l ->
                              l.startsWith("vecwatch_probe_requests_total{")
                                  && l.contains("target=\"healthy\"")
                                  && l.contains("outcome=\"ok\"")
                                  && Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))
                                      >= 60));
      String metrics = get(agent, "/metrics").body();
      assertThat(errors(metrics, "healthy")).isZero();
      JsonArray targets =
          new JsonObject(get(agent, "/api/v1/targets").body())
              .getJsonObject("data")
              .getJsonArray("targets");
      JsonObject healthy = targets.getJsonObject(0);
      assertThat(healthy.getString("state")).isEqualTo("up");
      assertThat(healthy.getValue("last_error")).isNull();
      JsonObject absent = targets.getJsonObject(1);
      assertThat(absent.getString("state")).isEqualTo("down");
      assertThat(absent.getString("last_error")).contains("cannot reach Milvus at " + down);
    } finally {
      admin.drop(collection);
      admin.close();
    }
  }
}
