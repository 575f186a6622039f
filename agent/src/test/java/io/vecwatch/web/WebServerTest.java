package io.vecwatch.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.vecwatch.stats.AgentSnapshot;
import io.vecwatch.stats.HealthSnapshot;
import io.vecwatch.stats.LatencyQuantiles;
import io.vecwatch.stats.ProbeSnapshot;
import io.vecwatch.stats.ProbeWindowStats;
import io.vecwatch.stats.RecallWindow;
import io.vecwatch.stats.TargetSnapshot;
import io.vecwatch.stats.TargetState;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The endpoints over real loopback HTTP, fed by a fixed snapshot. */
class WebServerTest {
  private final Vertx vertx = Vertx.vertx();
  private final HttpClient http = HttpClient.newHttpClient();
  private final AtomicBoolean ready = new AtomicBoolean();
  private WebServer server;

  private static final AgentSnapshot SNAPSHOT =
      new AgentSnapshot(
          1_700_000_000_000L,
          0,
          false,
          List.of(
              new TargetSnapshot(
                  "hnsw",
                  "lucene_hnsw",
                  Map.of("env", "prod"),
                  TargetState.DOWN,
                  Optional.of("health check: UNAVAILABLE"),
                  OptionalLong.of(1_700_000_000_000L),
                  new HealthSnapshot(
                      false, 3, OptionalLong.of(1_700_000_000_000L), List.of("UNAVAILABLE")),
                  OptionalLong.empty(),
                  OptionalLong.of(20_000),
                  true,
                  List.of(
                      new ProbeSnapshot(
                          "hnsw",
                          "demo",
                          new ProbeWindowStats(
                              Duration.ofSeconds(60),
                              Duration.ofSeconds(12),
                              0,
                              2,
                              1,
                              4,
                              0.25,
                              2.0 / 3,
                              1.0 / 3,
                              LatencyQuantiles.NONE,
                              List.of(new RecallWindow(10, Double.NaN, 0, Double.NaN, 0))),
                          5,
                          2,
                          1,
                          4,
                          0.05,
                          Double.NaN)))));

  @BeforeEach
  void start() throws Exception {
    server =
        WebServer.start(
                vertx,
                "127.0.0.1",
                0,
                type -> "scraped as " + type,
                accept ->
                    accept != null && accept.contains("openmetrics")
                        ? "application/openmetrics-text"
                        : "text/plain",
                () -> SNAPSHOT,
                ready::get)
            .toCompletionStage()
            .toCompletableFuture()
            .get(30, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private HttpResponse<String> get(String path, String accept) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path));
    if (accept != null) {
      b.header("Accept", accept);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void runbooksAreServedWithAnAnchorPerAlert() throws Exception {
    HttpResponse<String> r = get("/docs/runbooks.md", null);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).contains("text/html; charset=utf-8");
    assertThat(r.body())
        .contains(
            "<h2 id=\"vecwatchtargetdown\">VecwatchTargetDown</h2>",
            "<h2 id=\"vecwatchwatchdog\">VecwatchWatchdog</h2>");
  }

  @Test
  void plainHttpAnswersInHttp11EvenWhenTheClientOffersAnH2cUpgrade() throws Exception {
    HttpClient h2 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
    HttpResponse<String> r =
        h2.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/metrics"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
  }

  @Test
  void readyTurnsFrom503To200() throws Exception {
    assertThat(get("/-/ready", null).statusCode()).isEqualTo(503);
    ready.set(true);
    assertThat(get("/-/ready", null).statusCode()).isEqualTo(200);
    assertThat(get("/-/healthy", null).statusCode()).isEqualTo(200);
  }

  @Test
  void metricsNegotiateTheFormat() throws Exception {
    HttpResponse<String> text = get("/metrics", null);
    assertThat(text.statusCode()).isEqualTo(200);
    assertThat(text.body()).isEqualTo("scraped as text/plain");
    assertThat(text.headers().firstValue("Content-Type")).hasValue("text/plain");
    HttpResponse<String> om = get("/metrics", "application/openmetrics-text; version=1.0.0");
    assertThat(om.body()).isEqualTo("scraped as application/openmetrics-text");
    assertThat(om.headers().firstValue("Content-Type")).hasValue("application/openmetrics-text");
  }

  @Test
  void targetsApiRendersTheSnapshotWithNullsForUndefinedNumbers() throws Exception {
    HttpResponse<String> r = get("/api/v1/targets", null);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
    JsonObject body = new JsonObject(r.body());
    assertThat(body.getString("status")).isEqualTo("success");
    JsonObject t = body.getJsonObject("data").getJsonArray("targets").getJsonObject(0);
    assertThat(t.getString("name")).isEqualTo("hnsw");
    assertThat(t.getString("state")).isEqualTo("down");
    assertThat(t.getString("last_error")).isEqualTo("health check: UNAVAILABLE");
    assertThat(t.getString("last_error_time")).isEqualTo("2023-11-14T22:13:20Z");
    assertThat(t.getJsonObject("labels").getString("env")).isEqualTo("prod");
    assertThat(t.getJsonObject("health").getInteger("consecutive_failures")).isEqualTo(3);
    assertThat(t.getValue("entities")).isNull();
    assertThat(t.getLong("expected_entities")).isEqualTo(20_000);
    JsonObject w = t.getJsonArray("probes").getJsonObject(0).getJsonObject("window");
    assertThat(w.getDouble("requests_per_second")).isEqualTo(0.25);
    assertThat(w.getDouble("covered_seconds")).isEqualTo(12.0);
    assertThat(w.getJsonObject("requests").getLong("error")).isEqualTo(2);
    assertThat(w.getJsonObject("latency_seconds").getValue("p99")).isNull();
    assertThat(w.getJsonArray("recall").getJsonObject(0).getValue("ratio")).isNull();
  }

  @Test
  void landingPageLinksTheEndpoints() throws Exception {
    HttpResponse<String> r = get("/", null);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body())
        .contains(
            "href=\"metrics\"",
            "href=\"api/v1/targets\"",
            "href=\"-/ready\"",
            "href=\"-/healthy\"");
  }

  @Test
  void unknownPathsAre404() throws Exception {
    assertThat(get("/nope", null).statusCode()).isEqualTo(404);
  }
}
