package io.vecwatch.target.milvus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import io.milvus.v2.service.collection.request.GetLoadStateReq;
import io.vecwatch.config.ConfigLoader;
import io.vecwatch.dataset.Dataset;
import io.vecwatch.dataset.Metric;
import io.vecwatch.target.Health;
import io.vecwatch.target.TargetContext;
import io.vecwatch.target.registry.TargetKinds;
import io.vecwatch.time.Clock;
import java.net.ConnectException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Milvus going away and coming back, with a Milvus Lite process this test owns (started from the
 * venv {@code .ci/peers.sh} installs, on a free port) so it can kill it with SIGKILL and start it
 * again on the same data. The agent's target must never hang, must say once that Milvus is
 * unreachable, and must recover by itself.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MilvusLiteRecoveryIT {
  private static final int K = 10;
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(3);
  private static final String COLLECTION = "vw_recovery";

  private MilvusProcess server;
  private TestData data;
  private MilvusTarget target;

  @BeforeAll
  void prepareDataThenStopTheServer() throws Exception {
    Path dir =
        Path.of("target", "milvus-it", "recovery-" + Long.toString(System.nanoTime(), 36))
            .toAbsolutePath();
    server = MilvusProcess.lite(dir.resolve("data"), MilvusProcess.freePort());
    server.start(Duration.ofSeconds(120));
    System.out.printf(
        "milvus lite: port open after %.1f s, RSS %d MiB%n",
        server.lastStart().toMillis() / 1000.0, server.rssBytes() >> 20);
    data = TestData.generate("it", Metric.L2, 1_000, 16, 5, 8, 5, K, i -> 7L * i);
    try (MilvusAdmin admin = new MilvusAdmin(server.uri(), b -> {})) {
      admin.createCollection(COLLECTION, data, 8, 32);
    }
    server.kill();
  }

  @AfterAll
  void stop() throws Exception {
    if (target != null) {
      target.close();
    }
    server.close();
  }

  private MilvusTarget newTarget() throws Exception {
    return newTarget("{initial_backoff: 100ms, max_backoff: 1s}");
  }

  private MilvusTarget newTarget(String reconnect) throws Exception {
    String yaml =
        """
        datasets:
          - name: it
            metric: l2
            generate: {count: 10, dim: 16, ground_truth_k: 5, clusters: 2}
        targets:
          - name: lite
            kind: milvus
            dataset: it
            uri: %s
            collection: %s
            connect_timeout: 2s
            call_timeout: %ds
            reconnect: %s
        """
            .formatted(server.uri(), COLLECTION, CALL_TIMEOUT.toSeconds(), reconnect);
    var config =
        new ConfigLoader(Map.of(), TargetKinds.lookup()).parse("it.yml", yaml, Path.of("."));
    TargetContext ctx =
        new TargetContext() {
          @Override
          public Optional<Dataset> dataset(String n) {
            return Optional.of(data.dataset);
          }

          @Override
          public Clock clock() {
            return Clock.system();
          }
        };
    return (MilvusTarget) TargetKinds.create(config.targets().get(0), ctx);
  }

  /**
   * The test is the owner: after a restart it loads the collection again if the server forgot
   * (never the agent).
   */
  private void startServerAndLoad() throws Exception {
    server.start(Duration.ofSeconds(120));
    try (MilvusAdmin admin = new MilvusAdmin(server.uri(), b -> {})) {
      if (!admin.client.getLoadState(
          GetLoadStateReq.builder().collectionName(COLLECTION).build())) {
        admin.load(COLLECTION);
      }
    }
  }

  @Test
  @Order(1)
  void startsWhileMilvusIsDownSaysSoOnceAndConnectsWhenItComesUp() throws Exception {
    try (LogCapture log = new LogCapture(Connection.class)) {
      long t0 = System.nanoTime();
      target = newTarget();
      // a target that waited for Milvus would take its connect timeout (2 s); building one takes
      // milliseconds
      assertThat(Duration.ofNanos(System.nanoTime() - t0))
          .as("building a target never waits for Milvus")
          .isLessThan(Duration.ofSeconds(2));

      await().atMost(Duration.ofSeconds(30)).until(() -> target.connectionStatus().attempts() >= 3);
      assertThat(target.connectionStatus().state()).isEqualTo(Connection.State.UNREACHABLE);
      Health h = target.health();
      assertThat(h.healthy()).isFalse();
      assertThat(h.reasons())
          .singleElement()
          .asString()
          .startsWith("target lite: cannot reach Milvus at " + server.uri() + ": ");
      long s0 = System.nanoTime();
      assertThat(catchThrowable(() -> target.search(data.queries[0], K)))
          .isInstanceOf(ConnectException.class);
      // a search that tried the dead server would take its call timeout (3 s); failing at once
      // takes microseconds
      assertThat(Duration.ofNanos(System.nanoTime() - s0))
          .as("no connection: fail at once")
          .isLessThan(CALL_TIMEOUT);
      assertThat(log.lines()).as("one line however many attempts").hasSize(1);

      startServerAndLoad();
      await().atMost(Duration.ofSeconds(60)).until(() -> target.health().healthy());
      assertThat(target.search(data.queries[0], K).size()).isEqualTo(K);
      // a health check may have seen the port open before the backoff ran out and said so, once
      String early =
          "INFO target lite: " + server.uri() + " accepts connections again; reconnecting now";
      assertThat(log.lines()).filteredOn(early::equals).hasSizeLessThanOrEqualTo(1);
      assertThat(log.lines())
          .filteredOn(l -> !l.equals(early))
          .containsExactly(
              log.lines().get(0),
              "INFO target lite: connected to " + server.uri() + " again after unreachable");
      assertThat(log.lines().get(0))
          .startsWith("WARN target lite: cannot reach Milvus at " + server.uri() + ": ")
          .endsWith("; retrying with backoff up to 1s");
    }
  }

  @Test
  @Order(2)
  void recoversWhenMilvusIsKilledAndRestartedMidRun() throws Exception {
    assertThat(target.health().healthy()).isTrue();
    List<long[]> before = new ArrayList<>();
    for (float[] q : data.queries) {
      before.add(target.search(q, K).ids());
    }

    server.kill();
    long t0 = System.nanoTime();
    Throwable failure = catchThrowable(() -> target.search(data.queries[0], K));
    Duration took = Duration.ofNanos(System.nanoTime() - t0);
    assertThat(failure).isInstanceOfAny(TimeoutException.class, ConnectException.class);
    assertThat(took)
        .as("a search on a dead server ends at its deadline, never later")
        .isLessThan(CALL_TIMEOUT.plusSeconds(2));
    assertThat(target.health().healthy()).isFalse();
    assertThat(target.connectionStatus().state())
        .isIn(Connection.State.UNREACHABLE, Connection.State.CONNECTING);

    startServerAndLoad();
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> target.health().healthy());
    assertThat(target.connectionStatus().losses()).isEqualTo(1);
    for (int q = 0; q < data.queries.length; q++) {
      assertThat(target.search(data.queries[q], K).ids())
          .as("same data, same answers")
          .containsExactly(before.get(q));
    }
  }

  @Test
  @Order(3)
  void aServerBackDuringALongBackoffIsSeenAtTheNextHealthCheck() throws Exception {
    target.close();
    // reconnect backoff of at least 30 s (jittered half to full of 60 s): without the health
    // check's look at the
    // port, recovery would be seen only that much later
    target = newTarget("{initial_backoff: 60s, max_backoff: 5m}");
    await().atMost(Duration.ofSeconds(60)).until(() -> target.health().healthy());
    server.kill();
    await().atMost(Duration.ofSeconds(30)).until(() -> !target.health().healthy());
    assertThat(target.connectionStatus().state()).isEqualTo(Connection.State.UNREACHABLE);
    long attempts = target.connectionStatus().attempts();

    startServerAndLoad();
    long t0 = System.nanoTime();
    // one health check (the agent runs one per health interval) reconnects and reports healthy
    Health h = target.health();
    Duration took = Duration.ofNanos(System.nanoTime() - t0);
    System.out.printf(
        "recovery during a 30-60 s backoff: seen by the first health check, %d ms%n",
        took.toMillis());
    assertThat(h.healthy()).as("%s", h.reasons()).isTrue();
    assertThat(target.connectionStatus().attempts()).isEqualTo(attempts + 1);
  }
}
