package io.vecwatch.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vecwatch.agent.Agent;
import io.vecwatch.config.ConfigLoader;
import io.vecwatch.config.VecwatchConfig;
import io.vecwatch.dataset.Dataset;
import io.vecwatch.target.registry.TargetKinds;
import io.vecwatch.testing.TestDatasets;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The status page, {@code /probe} and the demo fault against a running agent with in-process
 * targets.
 */
class StatusEndpointsTest {
  private static final String HOSTILE = "<script>alert(1)</script>";
  private static final Dataset DATA = TestDatasets.random("d", 2000, 16, 20, 50, 7, null);
  private final HttpClient http = HttpClient.newHttpClient();
  private Agent agent;

  @AfterEach
  void stop() {
    if (agent != null) {
      agent.close();
    }
  }

  private void start(String faults) throws Exception {
    VecwatchConfig c =
        new ConfigLoader(Map.of(), TargetKinds.lookup())
            .parse(
                "status.yml",
                """
        web:
          listen_address: "127.0.0.1:0"
        datasets:
          - name: d
            metric: l2
            generate: {count: 2000, dim: 16, queries: 20, ground_truth_k: 50}
        targets:
          - name: exact
            kind: flat
            dataset: d
            labels: {team: "%1$s"}
          - name: '%1$s'
            kind: lucene_hnsw
            dataset: d
            m: 4
            ef_construction: 8
            ef_search: 8
        probes:
          - {target: exact, rate: 2, recall_k: [10, 50]}
          - {target: '%1$s', rate: 2, recall_k: [10, 50]}
        %2$s
        """
                    .formatted(HOSTILE, faults),
                Path.of("."));
    agent = Agent.builder(c).datasets(dc -> DATA).start();
    await().atMost(Duration.ofSeconds(30)).until(agent::ready);
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.httpPort() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String q(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  @Test
  void thePageEscapesAHostileTargetNameAndLabelAndAllowsNoForeignScript() throws Exception {
    start("");
    for (String path : new String[] {"/", "/status/fragment"}) {
      HttpResponse<String> r = get(path);
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body())
          .doesNotContain(HOSTILE)
          .contains("&lt;script&gt;alert(1)&lt;/script&gt;");
      assertThat(r.body().split("<script", -1)).hasSize(path.equals("/") ? 2 : 1); // status.js only
      assertThat(r.headers().firstValue("Content-Security-Policy")).contains(StatusRoutes.CSP);
    }
  }

  @Test
  void thePageIsSmallAndComplete() throws Exception {
    start("");
    HttpResponse<String> r = get("/");
    assertThat(r.body().length()).isLessThan(60_000);
    assertThat(r.body())
        .contains(
            "id=\"targets\"",
            "id=\"alerts\"",
            "id=\"rules\"",
            "id=\"alertmanager\"",
            "id=\"recent\"",
            "id=\"agent\"",
            "href=\"metrics\"",
            "href=\"api/v1/rules\"",
            "href=\"api/v1/alerts\"",
            "href=\"-/healthy\"",
            "href=\"-/ready\"",
            "href=\"docs/\"");
    assertThat(r.body())
        .contains("No Alertmanager is configured")
        .doesNotContain("id=\"demo-fault\"");
    assertThat(get("/status.js").body()).contains("status/fragment");
    assertThat(get("/docs/runbooks.md").body()).contains("VecwatchRecallLow");
  }

  @Test
  void aProbeOfTheExactIndexReturnsTheTrueNearestNeighbours() throws Exception {
    start("");
    HttpResponse<String> r = get("/probe?target=exact&query=3");
    assertThat(r.statusCode()).isEqualTo(200);
    JsonObject j = new JsonObject(r.body());
    assertThat(j.getString("outcome")).isEqualTo("ok");
    assertThat(j.getInteger("query")).isEqualTo(3);
    assertThat(j.getDouble("latency_seconds")).isPositive();
    int[] truth = TestDatasets.nearest(rows(DATA), DATA.queries().row(3), 50);
    JsonArray ids = j.getJsonArray("ids");
    assertThat(ids).hasSize(50);
    for (int i = 0; i < 50; i++) {
      assertThat(ids.getLong(i)).isEqualTo(truth[i]);
    }
    assertThat(j.getJsonArray("recall").getJsonObject(0).getDouble("ratio")).isEqualTo(1.0);
  }

  @Test
  void aProbeReportsRecallAsTheOverlapWithTheExactNeighbours() throws Exception {
    start("");
    HttpResponse<String> r = get("/probe?target=" + q(HOSTILE) + "&query=5");
    JsonObject j = new JsonObject(r.body());
    assertThat(j.getString("outcome")).isEqualTo("ok");
    int[] truth = TestDatasets.nearest(rows(DATA), DATA.queries().row(5), 50);
    JsonArray ids = j.getJsonArray("ids");
    for (JsonObject rk : j.getJsonArray("recall").stream().map(JsonObject.class::cast).toList()) {
      int k = rk.getInteger("k");
      Set<Long> top = new HashSet<>();
      for (int i = 0; i < k; i++) {
        top.add((long) truth[i]);
      }
      long hits =
          ids.stream().limit(k).map(o -> ((Number) o).longValue()).filter(top::contains).count();
      assertThat(rk.getDouble("ratio")).isEqualTo((double) hits / k);
    }
  }

  @Test
  void debugReturnsAPlainTextTrace() throws Exception {
    start("");
    HttpResponse<String> r = get("/probe?target=exact&debug=true");
    assertThat(r.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
    assertThat(r.body())
        .contains(
            "Beginning probe target=exact kind=flat dataset=d",
            "Checking the connection",
            "Sending search request",
            "Search returned 50 ids",
            "Recall@10 = 1.000",
            "Probe succeeded",
            "outcome ok");
  }

  @Test
  void moreThanTheBurstIsRefusedWith429AndRetryAfter() throws Exception {
    start("");
    // all at once, so the bucket cannot refill in between (it gains one token per second)
    List<CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
    for (int i = 0; i < ProbeEndpoint.BURST * 2; i++) {
      all.add(
          http.sendAsync(
              HttpRequest.newBuilder(
                      URI.create("http://127.0.0.1:" + agent.httpPort() + "/probe?target=exact"))
                  .build(),
              HttpResponse.BodyHandlers.ofString()));
    }
    List<HttpResponse<String>> limited = new ArrayList<>();
    for (CompletableFuture<HttpResponse<String>> f : all) {
      HttpResponse<String> r = f.get(30, TimeUnit.SECONDS);
      if (r.statusCode() == 429 && r.body().contains("1 per second")) {
        limited.add(r);
      }
    }
    assertThat(limited).hasSizeGreaterThanOrEqualTo(ProbeEndpoint.BURST - 1);
    assertThat(limited.get(0).headers().firstValue("Retry-After")).isPresent();
    assertThat(limited.get(0).body())
        .isEqualTo(
            "too many probes on demand: at most 5 at once, then 1 per second, for the whole agent\n");
  }

  @Test
  void badRequestsSayWhatIsWrong() throws Exception {
    start("");
    assertThat(get("/probe").body()).startsWith("target: missing");
    HttpResponse<String> unknown = get("/probe?target=nope");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.body()).isEqualTo("no target named nope (names are on /api/v1/targets)\n");
    HttpResponse<String> range = get("/probe?target=exact&query=20");
    assertThat(range.statusCode()).isEqualTo(400);
    assertThat(range.body())
        .isEqualTo("query must be in 0..19 (dataset d has 20 queries), got 20\n");
    assertThat(get("/probe?target=exact&query=x").body())
        .isEqualTo("query: not a whole number: x\n");
    assertThat(get("/probe?target=exact&timeout=1h").statusCode()).isEqualTo(400);
  }

  @Test
  void theDemoFaultIsOffUnlessTheConfigNamesATarget() throws Exception {
    start("");
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + agent.httpPort() + "/-/demo-fault"))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(404);
  }

  @Test
  void theDemoFaultSlowsItsTargetFromThePage() throws Exception {
    start("faults: {demo_target: exact}");
    assertThat(get("/").body()).contains("id=\"demo-fault\"");
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + agent.httpPort() + "/-/demo-fault"))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(303);
    assertThat(r.headers().firstValue("Location")).contains("../");
    JsonObject j = new JsonObject(get("/probe?target=exact&timeout=5s").body());
    assertThat(j.getString("outcome")).isEqualTo("ok");
    assertThat(j.getDouble("latency_seconds"))
        .isGreaterThanOrEqualTo(DemoFault.DELAY.toNanos() / 1e9);
    assertThat(get("/").body()).contains("Active: every search of exact waits 1s500ms for 3m");
  }

  private static float[][] rows(Dataset d) {
    float[][] out = new float[d.base().orElseThrow().count()][];
    for (int i = 0; i < out.length; i++) {
      out[i] = d.base().orElseThrow().row(i);
    }
    return out;
  }
}
