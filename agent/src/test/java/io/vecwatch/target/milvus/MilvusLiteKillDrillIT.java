package io.vecwatch.target.milvus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.milvus.v2.service.collection.request.GetLoadStateReq;
import io.vecwatch.dataset.Metric;
import io.vecwatch.it.AlertmanagerProcess;
import io.vecwatch.testing.AgentProcess;
import io.vecwatch.testing.AlertWebhook;
import io.vecwatch.testing.Scrape;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kill drill: the agent (its own process, as an operator runs it) watches a Milvus Lite server
 * that is killed with SIGKILL and restarted on the same port and data {@code vecwatch.drill.cycles}
 * times (2 by default; {@code -Dvecwatch.drill.cycles=20} for a long run). Every cycle the
 * target-down alert must fire and resolve in a real Alertmanager (read back through its v2 API and
 * a webhook receiver counting notifications), recall must resume, and the agent's threads and open
 * files must stay flat. Prints detection and resolution times per cycle.
 */
class MilvusLiteKillDrillIT {
  private static final int CYCLES = Integer.getInteger("vecwatch.drill.cycles", 2);
  private static final String ALERT = "VecwatchTargetDown";
  private static final String COLLECTION = "vw_kill_drill";
  private static final int K = 10;
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  @TempDir Path dir;

  /** One cycle's figures, seconds. */
  private record Cycle(
      int n,
      double amActive,
      double paged,
      double restart,
      double resolved,
      long threads,
      long fds) {
    @Override
    public String toString() {
      return String.format(
          "kill drill cycle %d: kill -> active in Alertmanager %.1f s, -> page %.1f s; "
              + "restart took %.1f s; port open -> resolve notification %.1f s; "
              + "agent threads %d, open files %d",
          n, amActive, paged, restart, resolved, threads, fds);
    }
  }

  @Test
  @Timeout(value = 2, unit = TimeUnit.HOURS) // the bound is the preemptive one below, by cycles
  void everyKillFiresAndResolvesInAlertmanagerWithRecallBackAndThreadsFlat() throws Exception {
    // Per cycle at most: detection 60 s + restart 120 s + recovery 60 s + recall 60 s (the waits
    // below); plus 4 minutes for starting everything.
    assertTimeoutPreemptively(Duration.ofMinutes(4 + 5L * CYCLES), this::drill);
  }

  private void drill() throws Exception {
    TestData data = TestData.generate("drill", Metric.L2, 1_000, 16, 20, 8, 11, K, i -> 5L * i);
    data.writeTexmex(dir);
    Path milvusDir = dir.resolve("milvus");
    try (AlertWebhook hook = new AlertWebhook();
        MilvusProcess server =
            MilvusProcess.lite(milvusDir.resolve("data"), MilvusProcess.freePort());
        AlertmanagerProcess am =
            AlertmanagerProcess.withConfig(
                    hook.writeAlertmanagerConfig(dir.resolve("alertmanager.yml")), dir)
                .start()) {
      server.start(Duration.ofSeconds(120));
      try (MilvusAdmin admin = new MilvusAdmin(server.uri(), b -> {})) {
        admin.createCollection(COLLECTION, data, 16, 64);
      }
      Path config = writeAgentConfig(server.uri(), am.url().toString());
      try (AgentProcess agent = AgentProcess.start(config, dir)) {
        agent.awaitReady(Duration.ofSeconds(60));
        // the first minute includes JIT, Milvus Lite's first index loads and lazy SDK threads
        double ok0 = awaitRecall(agent, 0);
        long[] baseline = {agent.threads(), agent.openFiles()};
        List<Cycle> cycles = new ArrayList<>();
        for (int n = 1; n <= CYCLES; n++) {
          cycles.add(cycle(n, agent, server, am, hook));
          System.out.println(cycles.get(cycles.size() - 1));
          ok0 = awaitRecall(agent, ok0);
        }
        System.out.printf(
            "kill drill: %d of %d cycles fired and resolved; baseline threads %d, open files %d%n",
            cycles.size(), CYCLES, baseline[0], baseline[1]);
        assertThat(hook.notifications("firing", ALERT)).as("one page per kill").hasSize(CYCLES);
        assertThat(hook.notifications("resolved", ALERT))
            .as("one resolve per restart")
            .hasSize(CYCLES);
        Cycle first = cycles.get(0);
        Cycle last = cycles.get(cycles.size() - 1);
        // After the first cycle everything a reconnect creates lazily exists. A leaked SDK client
        // per reconnect keeps a gRPC channel with event-loop threads, an epoll descriptor and a
        // socket: at least one thread and two descriptors more per cycle. The margins absorb pool
        // threads that come and go with the load of the moment (46-48 over 20 cycles, measured).
        assertThat(last.threads())
            .as("threads after the last cycle vs after the first")
            .isLessThanOrEqualTo(first.threads() + 2);
        assertThat(last.fds())
            .as("open files after the last cycle vs after the first")
            .isLessThanOrEqualTo(first.fds() + 4);
      }
    }
  }

  private Cycle cycle(
      int n, AgentProcess agent, MilvusProcess server, AlertmanagerProcess am, AlertWebhook hook)
      throws Exception {
    int pages = hook.notifications("firing", ALERT).size();
    int resolves = hook.notifications("resolved", ALERT).size();
    server.kill();
    long killed = System.nanoTime();
    // 3 failed health checks at 1 s, an evaluation at 1 s, Alertmanager's group_wait 1 s: about
    // 5 s; 60 s is for a machine loaded by other builds
    await("alert active in Alertmanager, cycle " + n)
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> activeAlerts(am) == 1);
    long active = System.nanoTime();
    await("page received, cycle " + n)
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> hook.notifications("firing", ALERT).size() == pages + 1);
    long paged = hook.notifications("firing", ALERT).get(pages).receivedNanos();

    long t0 = System.nanoTime();
    startAndLoad(server);
    long up = System.nanoTime();
    // reconnect at the next health check (1 s), keep_firing_for 5 s, evaluation 1 s,
    // group_interval 1 s: about 8 s
    await("resolve received, cycle " + n)
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> hook.notifications("resolved", ALERT).size() == resolves + 1);
    long resolved = hook.notifications("resolved", ALERT).get(resolves).receivedNanos();
    if (activeAlerts(am) != 0) {
      // Seen once in 28 cycles: the alert still listed as active right after the resolve
      // notification; cause not found. Leave the evidence, then give it a bounded while: a real
      // re-fire stays active for keep_firing_for and more, and pages again (checked at the end).
      System.out.printf(
          "kill drill cycle %d: still active in Alertmanager after the resolve: %s%nagent: %s%n",
          n, amAlerts(am), agent.get("/api/v1/alerts").body());
    }
    await("nothing active in Alertmanager after the resolve, cycle " + n)
        .atMost(Duration.ofSeconds(3))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> activeAlerts(am) == 0);
    assertThat(agent.scrape().value("vecwatch_target_up", "target", "lite")).isEqualTo(1.0);
    return new Cycle(
        n,
        (active - killed) / 1e9,
        (paged - killed) / 1e9,
        (up - t0) / 1e9,
        (resolved - up) / 1e9,
        agent.threads(),
        agent.openFiles());
  }

  /**
   * Waits until canaries succeed again past {@code okBefore} with recall@10 back near 1 (HNSW with
   * ef 64 over 1,000 vectors); returns the ok count.
   */
  private double awaitRecall(AgentProcess agent, double okBefore) {
    double[] ok = new double[1];
    await("recall series resume")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500))
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              Scrape s = agent.scrape();
              ok[0] = s.value("vecwatch_probe_requests_total", "target", "lite", "outcome", "ok");
              assertThat(ok[0]).isGreaterThan(okBefore + 10);
              assertThat(s.value("vecwatch_recall_ratio", "target", "lite", "k", "10"))
                  .isGreaterThanOrEqualTo(0.9);
            });
    return ok[0];
  }

  private String amAlerts(AlertmanagerProcess am) throws Exception {
    return http.send(
            HttpRequest.newBuilder(am.url().resolve("/api/v2/alerts")).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  private long activeAlerts(AlertmanagerProcess am) throws Exception {
    String filter = URLEncoder.encode("alertname=\"" + ALERT + "\"", StandardCharsets.UTF_8);
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(am.url().resolve("/api/v2/alerts?filter=" + filter))
                .timeout(Duration.ofSeconds(5))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    long n = 0;
    for (JsonNode a : JSON.readTree(r.body())) {
      if (a.at("/status/state").asText().equals("active")) {
        n++;
      }
    }
    return n;
  }

  /** The test owns the server: after a restart it loads the collection if the server forgot. */
  private static void startAndLoad(MilvusProcess server) throws Exception {
    server.start(Duration.ofSeconds(120));
    try (MilvusAdmin admin = new MilvusAdmin(server.uri(), b -> {})) {
      if (!admin.client.getLoadState(
          GetLoadStateReq.builder().collectionName(COLLECTION).build())) {
        admin.load(COLLECTION);
      }
    }
  }

  private Path writeAgentConfig(String milvusUri, String alertmanager) throws IOException {
    // The bundled rule's expression; keep_firing_for 5 s instead of its 30 s keeps each cycle
    // short.
    Files.writeString(
        dir.resolve("drill.rules.yml"),
        """
        groups:
          - name: drill
            rules:
              - alert: %s
                expr: vecwatch_target_health_check_failures >= 3
                keep_firing_for: 5s
                labels: {severity: critical}
        """
            .formatted(ALERT));
    Path config = dir.resolve("vecwatch.yml");
    Files.writeString(
        config,
        """
        datasets:
          - name: drill
            metric: l2
            files: {base: base.fvecs, queries: queries.fvecs, base_ids: ids.txt, ground_truth_k: 10}
        targets:
          - name: lite
            kind: milvus
            dataset: drill
            uri: %s
            collection: %s
            search_params: {ef: 64}
            connect_timeout: 1s
            call_timeout: 2s
            reconnect: {initial_backoff: 200ms, max_backoff: 2s}
        probes:
          - {target: lite, rate: 5, concurrency: 2, timeout: 2s, recall_k: [10], window: 5s,
             health_interval: 1s}
        rule_files: [drill.rules.yml]
        evaluation_interval: 1s
        resend_delay: 5s
        alerting:
          alertmanagers:
            - url: %s
        """
            .formatted(milvusUri, COLLECTION, alertmanager));
    return config;
  }
}
