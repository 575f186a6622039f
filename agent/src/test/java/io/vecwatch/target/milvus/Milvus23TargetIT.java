package io.vecwatch.target.milvus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.milvus.v2.client.ConnectConfig;
import io.milvus.v2.client.MilvusClientV2;
import io.milvus.v2.client.RetryConfig;
import io.milvus.v2.service.rbac.request.CreateRoleReq;
import io.milvus.v2.service.rbac.request.CreateUserReq;
import io.milvus.v2.service.rbac.request.GrantPrivilegeReq;
import io.milvus.v2.service.rbac.request.GrantRoleReq;
import io.milvus.v2.service.vector.request.InsertReq;
import io.milvus.v2.service.vector.request.SearchReq;
import io.milvus.v2.service.vector.request.data.BaseVector;
import io.milvus.v2.service.vector.request.data.FloatVec;
import io.vecwatch.config.ServerMetricsConfig;
import io.vecwatch.serverside.ServerMetricsScraper;
import io.vecwatch.serverside.ServerSideMonitor;
import io.vecwatch.serverside.SystemInfo;
import io.vecwatch.stats.Diagnostics;
import io.vecwatch.target.TargetException;
import io.vecwatch.time.Clock;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The Milvus suite against real Milvus 2.3 (the PyPI {@code milvus} wheel's standalone server,
 * started here on a free port), with authorization on and mutual TLS: the agent connects as a user
 * whose role holds only the privileges {@code docs/milvus.md} lists. Skipped where the wheel is not
 * installed ({@code .ci/peers.sh install}), except in CI, where that fails.
 */
class Milvus23TargetIT extends MilvusTargetSuite {
  static final List<String> AGENT_PRIVILEGES = List.of("Search", "Query", "Load");
  private static final String ROLE = "vecwatch_probe";
  private static final String PASSWORD = "agent-Pa55word";

  private MilvusProcess server;
  private Path certs;
  private String password = PASSWORD;

  @Override
  String uri() {
    return "https://127.0.0.1:" + server.port();
  }

  @Override
  MilvusAdmin openAdmin() throws Exception {
    MilvusProcess.requireServer23();
    Path dir =
        Path.of("target", "milvus-it", "m23-" + Long.toString(System.nanoTime(), 36))
            .toAbsolutePath();
    certs = TestCertificates.create(dir.resolve("certs"));
    server =
        MilvusProcess.server23(
            dir.resolve("data"),
            MilvusProcess.freePort(),
            List.of(
                "--authorization-enabled", "true",
                "--tls-mode", "2",
                "--server-pem-path", certs.resolve("server.pem").toString(),
                "--server-key-path", certs.resolve("server.key").toString(),
                "--ca-pem-path", certs.resolve("ca.pem").toString()));
    server.start(Duration.ofSeconds(240));
    System.out.printf(
        "milvus 2.3: proxy port open after %.1f s, RSS %d MiB%n",
        server.lastStart().toMillis() / 1000.0, server.rssBytes() >> 20);
    long t0 = System.nanoTime();
    // the proxy port opens before the proxy serves ("Milvus Proxy is not ready yet"): retry until
    // it does
    MilvusAdmin admin =
        await()
            .atMost(Duration.ofSeconds(180))
            .pollInterval(Duration.ofSeconds(1))
            .ignoreExceptions()
            .until(
                () ->
                    new MilvusAdmin(
                        uri(), tls().andThen(b -> b.username("root").password("Milvus"))),
                Objects::nonNull);
    System.out.printf(
        "milvus 2.3: serving (mTLS, root) %.1f s after its port opened%n",
        (System.nanoTime() - t0) / 1e9);
    admin.client.createUser(
        CreateUserReq.builder().userName("vecwatch").password(PASSWORD).build());
    admin.client.createRole(CreateRoleReq.builder().roleName(ROLE).build());
    admin.client.grantRole(GrantRoleReq.builder().userName("vecwatch").roleName(ROLE).build());
    return admin;
  }

  private Consumer<ConnectConfig.ConnectConfigBuilder> tls() {
    return b ->
        b.caPemPath(certs.resolve("ca.pem").toString())
            .clientPemPath(certs.resolve("client.pem").toString())
            .clientKeyPath(certs.resolve("client.key").toString())
            .serverName("127.0.0.1");
  }

  @Override
  boolean deterministicSearch() {
    return false;
  }

  @Override
  void allowAgent(String collection) {
    for (String p : AGENT_PRIVILEGES) {
      admin.client.grantPrivilege(
          GrantPrivilegeReq.builder()
              .roleName(ROLE)
              .objectType("Collection")
              .objectName(collection)
              .privilege(p)
              .build());
    }
  }

  @Override
  String connectionYaml() {
    return """
            user: vecwatch
            password: ${VW_PASSWORD}
            tls:
              ca_file: %s
              client_cert_file: %s
              client_key_file: %s
        """
        .formatted(
            certs.resolve("ca.pem"), certs.resolve("client.pem"), certs.resolve("client.key"));
  }

  @Override
  Map<String, String> env() {
    return Map.of("VW_PASSWORD", password);
  }

  @Override
  void stopServer() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void serverLimitsAreReadOverTheTargetsMutualTlsAsTheAgentsUser() throws Exception {
    MilvusSettings settings = (MilvusSettings) targetConfig("limits", collection, "").settings();
    assertThat(settings.tls()).isPresent();
    try (MilvusSystemInfo info = MilvusSystemInfo.forTarget(settings).orElseThrow()) {
      SystemInfo limits =
          await("GetMetrics over mutual TLS")
              .atMost(Duration.ofSeconds(60))
              .ignoreExceptions()
              .until(info::fetch, Optional::isPresent)
              .orElseThrow();
      assertThat(limits.memoryBytes().orElse(0)).isPositive();
      assertThat(limits.cpuCores().orElse(0)).isPositive();
    }
  }

  @Test
  void theAgentsUserCanProbeButNotWrite() throws Exception {
    MilvusTarget t = connected("rbac", collection, "");
    assertThat(t.search(data.queries[0], K).size()).isEqualTo(K);
    assertThat(t.health().healthy()).isTrue();
    assertThat(t.entityCount()).isEqualTo(COUNT);

    ConnectConfig.ConnectConfigBuilder b =
        ConnectConfig.builder()
            .uri(uri())
            .username("vecwatch")
            .password(PASSWORD)
            .connectTimeoutMs(60_000)
            .rpcDeadlineMs(60_000);
    tls().accept(b);
    MilvusClientV2 asAgent = new MilvusClientV2(b.build());
    asAgent.retryConfig(RetryConfig.builder().maxRetryTimes(1).build());
    try {
      JsonObject row = new JsonObject();
      row.addProperty("pk", 1L);
      row.addProperty("doc", 1L);
      JsonArray vec = new JsonArray();
      for (float f : data.base[0]) {
        vec.add(f);
      }
      row.add("vec", vec);
      Throwable denied =
          catchThrowable(
              () ->
                  asAgent.insert(
                      InsertReq.builder().collectionName(collection).data(List.of(row)).build()));
      assertThat(MilvusFailure.of(denied).kind())
          .as("%s", denied)
          .isEqualTo(MilvusFailure.Kind.PERMISSION_DENIED);
    } finally {
      asAgent.close(5);
    }
  }

  @Test
  void diagnosticsIncludeWhatOnlyARealServerKnows() throws Exception {
    MilvusTarget t = connected("segments", collection, "");
    t.health();
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> t.diagnostics().value("vecwatch_milvus_index_pending_rows").orElse(-1) == 0);
    Diagnostics d = t.diagnostics();
    assertThat(d.value("vecwatch_milvus_loaded_segments").orElseThrow()).isGreaterThanOrEqualTo(1);
    assertThat(d.value("vecwatch_milvus_loaded_segment_rows")).hasValue(COUNT);
    assertThat(
            d.series().stream().filter(s -> s.name().equals("vecwatch_milvus_feature_available")))
        .allMatch(s -> s.value() == 1);
    assertThat(d.info().get("server_version")).startsWith("v2.3");
  }

  /**
   * Sum and count of the proxy's successful-search latency histogram (milliseconds), from its
   * /metrics.
   */
  private double[] proxySearchLatency(int port) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
    double sum = 0;
    double count = 0;
    for (String line : r.body().split("\n")) {
      if (line.startsWith("milvus_proxy_sq_latency_sum{")
          && line.contains("query_type=\"search\"")) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      } else if (line.startsWith("milvus_proxy_sq_latency_count{")
          && line.contains("query_type=\"search\"")) {
        count += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return new double[] {sum, count};
  }

  /**
   * A measurement for the report, not a performance assertion: the canary's latency as the agent
   * sees it against the proxy's own account of the same searches (milvus_proxy_sq_latency,
   * query_type=search). The only claim checked is the logical one: the client's time includes the
   * server's.
   */
  @Test
  void agentMeasuredSearchLatencyIncludesTheProxysOwn() throws Exception {
    int port = server.metricsPort().orElseThrow();
    MilvusTarget t = connected("overhead", collection, "");
    for (int i = 0; i < 20; i++) {
      t.search(data.queries[i % data.queries.length], K); // warm-up
    }
    double[] before = proxySearchLatency(port);
    int n = 200;
    long clientNanos = 0;
    for (int i = 0; i < n; i++) {
      long t0 = System.nanoTime();
      t.search(data.queries[i % data.queries.length], K);
      clientNanos += System.nanoTime() - t0;
    }
    double[] after = proxySearchLatency(port);
    double serverMs = (after[0] - before[0]) / (after[1] - before[1]);
    double clientMs = clientNanos / 1e6 / n;
    System.out.printf(
        "milvus 2.3 search latency: agent %.2f ms, proxy %.2f ms, outside the proxy %.2f ms "
            + "(mean of %d, mTLS, k=%d, dim=%d)%n",
        clientMs, serverMs, clientMs - serverMs, n, K, DIM);

    assertThat(after[1] - before[1]).isEqualTo(n);
    assertThat(clientMs).isGreaterThanOrEqualTo(serverMs);
  }

  /**
   * With no client but the agent, the live server's /metrics scraped by the agent's own scraper:
   * served traffic stays 0 however many canaries and self-recall samples the agent sends; then
   * another client's searches are counted exactly, once per request whatever its nq.
   */
  @Test
  void servedTrafficIsZeroWithoutOtherClientsAndCountsAnotherClientsRequestsExactly()
      throws Exception {
    int port = server.metricsPort().orElseThrow();
    MilvusTarget t = connected("served", collection, "");
    ServerMetricsConfig smc =
        new ServerMetricsConfig(
            "served",
            URI.create("http://127.0.0.1:" + port + "/metrics"),
            Duration.ofSeconds(1),
            Duration.ofSeconds(1),
            Duration.ofSeconds(2),
            OptionalLong.empty(),
            OptionalDouble.empty(),
            false,
            8 << 20);
    ServerSideMonitor m =
        ServerSideMonitor.start(
            List.of(smc),
            Map.of("served", "milvus"),
            Map.of("served", MilvusMetrics.INSTANCE),
            Map.of(),
            own,
            new SimpleMeterRegistry(),
            Clock.system());
    try {
      ServerMetricsScraper scraper = m.scrapers().get(0);
      await().atMost(Duration.ofSeconds(30)).until(() -> scraper.latest().up());
      double search0 = scraper.latest().requests().getOrDefault("Search", 0.0);
      long sent0 = own.total("served");
      for (int i = 0; i < 20; i++) {
        t.search(data.queries[i % data.queries.length], K); // a canary
        t.diagnostics(); // a health round: its self-recall samples search too
      }
      long sent = own.total("served") - sent0;
      assertThat(sent).as("canaries and self-recall samples").isGreaterThan(20);
      // a scrape that saw all of them on the server, then one more
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> scraper.latest().requests().getOrDefault("Search", 0.0) >= search0 + sent);
      long scrapes = scraper.scrapes();
      await().atMost(Duration.ofSeconds(30)).until(() -> scraper.scrapes() >= scrapes + 2);
      assertThat(scraper.latest().served()).as("no client but the agent").isZero();

      // another client: 7 requests of nq = 5 are 7 served requests
      CollectionInfo info = t.collectionInfo().orElseThrow();
      try (MilvusAdmin other =
          new MilvusAdmin(uri(), tls().andThen(b -> b.username("root").password("Milvus")))) {
        for (int i = 0; i < 7; i++) {
          List<BaseVector> five = new ArrayList<>();
          for (int j = 0; j < 5; j++) {
            five.add(new FloatVec(data.queries[(i + j) % data.queries.length]));
          }
          other.client.search(
              SearchReq.builder()
                  .collectionName(collection)
                  .annsField(info.vectorField())
                  .data(five)
                  .limit(K)
                  .build());
        }
      }
      await().atMost(Duration.ofSeconds(30)).until(() -> scraper.latest().served() >= 7);
      long later = scraper.scrapes();
      await().atMost(Duration.ofSeconds(30)).until(() -> scraper.scrapes() >= later + 2);
      System.out.printf(
          "milvus 2.3 served traffic: the agent sent %d searches, served 0; then %.0f after another"
              + " client's 7 requests of nq=5%n",
          sent, scraper.latest().served());
      assertThat(scraper.latest().served()).isEqualTo(7);
    } finally {
      m.close();
    }
  }

  @Test
  void aWrongPasswordIsReportedOnceAndNotRetriedInAStorm() throws Exception {
    password = "wrong-Pa55word";
    MilvusTarget t;
    try (LogCapture log = new LogCapture(Connection.class)) {
      long t0 = System.nanoTime();
      try {
        t = target("badpw", collection, "");
      } finally {
        password = PASSWORD;
      }
      awaitState(t, Connection.State.UNAUTHENTICATED);
      await().atMost(Duration.ofSeconds(60)).until(() -> t.connectionStatus().attempts() >= 3);
      double seconds = (System.nanoTime() - t0) / 1e9;

      assertThat(catchThrowable(t::health))
          .isInstanceOf(TargetException.class)
          .hasMessageStartingWith("target badpw: " + uri() + " rejected the credentials");
      // attempts come every max_backoff (2s), not in a burst
      assertThat(t.connectionStatus().attempts()).isLessThanOrEqualTo(2 + (long) (seconds / 2));
      assertThat(log.lines()).hasSize(1);
      assertThat(String.join("\n", log.lines()))
          .doesNotContain("wrong-Pa55word")
          .doesNotContain(PASSWORD);
      assertThat(t.connectionStatus().lastError().orElseThrow()).doesNotContain("wrong-Pa55word");
    }
  }
}
