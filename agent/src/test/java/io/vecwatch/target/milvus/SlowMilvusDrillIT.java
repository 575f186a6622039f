package io.vecwatch.target.milvus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vecwatch.dataset.Metric;
import io.vecwatch.testing.AgentProcess;
import io.vecwatch.testing.LatencyProxy;
import io.vecwatch.testing.Scrape;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A slow database: the shared Milvus Lite behind a proxy that delays every request ({@link
 * LatencyProxy}, which also counts Search calls in flight on the wire). The agent runs as its own
 * process with {@code concurrency: 2} at 20 searches/s. With 250 ms added, searches take longer
 * than the alert threshold and the P99 alert fires; with 900 ms added, past the 500 ms probe
 * timeout, timeouts are counted. Throughout, no more than 2 canary searches are ever on the wire,
 * and the agent's threads stay flat.
 */
class SlowMilvusDrillIT {
  private static final String SEARCH = "/milvus.proto.milvus.MilvusService/Search";
  private static final int CONCURRENCY = 2;
  private static final String ALERT = "VecwatchSlowDrillP99High";
  @TempDir Path dir;

  @Test
  void slowSearchesStayWithinConcurrencyAreCountedAsTimeoutsAndFireTheLatencyAlert()
      throws Exception {
    URI lite = URI.create(System.getProperty("vecwatch.milvusLite.uri", "http://127.0.0.1:19540"));
    TestData data = TestData.generate("slow", Metric.L2, 1_000, 16, 20, 8, 13, 10, i -> 3L * i);
    data.writeTexmex(dir);
    String collection = "vw_slow_" + Long.toString(System.nanoTime(), 36);
    try (MilvusAdmin admin = new MilvusAdmin(lite.toString(), b -> {});
        LatencyProxy proxy = new LatencyProxy(lite.getPort(), SEARCH)) {
      admin.createCollection(collection, data, 16, 64);
      try (AgentProcess agent = AgentProcess.start(writeConfig(proxy.port(), collection), dir)) {
        agent.awaitReady(Duration.ofSeconds(60));
        // warm-up at full speed: JIT, the SDK's lazily started threads
        await("fast searches succeed")
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(500))
            .ignoreExceptions()
            .until(() -> ok(agent.scrape()) >= 100);
        // the first searches of a fresh process (JIT, connection set-up) can be slow enough on a
        // loaded machine to fire the alert by themselves: start from a quiet alert, so that the
        // firing below is the proxy's doing
        await("no latency alert before the delay")
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(500))
            .ignoreExceptions()
            .until(() -> agent.scrape().find("ALERTS", "alertname", ALERT).isEmpty());
        long threads0 = agent.threads();
        long files0 = agent.openFiles();

        proxy.delay(Duration.ofMillis(250));
        // for: 2 s over a 5 s window at 1 s evaluations: about 8 s; 60 s for a loaded machine
        await("latency alert fires")
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(500))
            .ignoreExceptions()
            .until(
                () ->
                    agent.scrape().find("ALERTS", "alertname", ALERT, "alertstate", "firing").size()
                        == 1);
        Scrape slow = agent.scrape();
        double p99 =
            slow.value(
                "vecwatch_probe_window_latency_seconds", "target", "slow", "quantile", "0.99");
        assertThat(p99).as("P99 as the alert saw it").isGreaterThan(0.1);
        assertThat(proxy.minHeld())
            .as("the proxy held every request for the delay")
            .isGreaterThanOrEqualTo(Duration.ofMillis(250));
        assertThat(slow.value("vecwatch_probe_skipped_total", "target", "slow"))
            .as("20/s at 250 ms each needs 5 in flight: slots were skipped, not queued")
            .isPositive();

        double timeouts0 = outcome(agent.scrape(), "timeout");
        proxy.delay(Duration.ofMillis(900));
        await("timeouts counted")
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(500))
            .ignoreExceptions()
            .until(() -> outcome(agent.scrape(), "timeout") >= timeouts0 + 10);
        Scrape timedOut = agent.scrape();
        assertThat(timedOut.value("vecwatch_probe_window_timeout_ratio", "target", "slow"))
            .isPositive();

        long threads1 = agent.threads();
        long files1 = agent.openFiles();
        System.out.printf(
            "slow milvus: %d Search calls through the proxy, at most %d in flight (concurrency %d);"
                + " P99 %.3f s at +250 ms; %.0f timeouts at +900 ms; threads %d -> %d, open files"
                + " %d -> %d%n",
            proxy.calls(),
            proxy.maxInFlight(),
            CONCURRENCY,
            p99,
            outcome(timedOut, "timeout") - timeouts0,
            threads0,
            threads1,
            files0,
            files1);
        assertThat(proxy.maxInFlight())
            .as("canary searches on the wire: the limit is reached and never exceeded")
            .isEqualTo(CONCURRENCY);
        // a slow server must not make the agent start threads per search or per timeout: at 20
        // slots/s over the slow phases that would be hundreds; the margin absorbs idle pool threads
        assertThat(threads1).as("threads").isLessThan(threads0 + 4);
        assertThat(files1).as("open files").isLessThan(files0 + 5);
      } finally {
        admin.drop(collection);
      }
    }
  }

  private static double ok(Scrape s) {
    return outcome(s, "ok");
  }

  private static double outcome(Scrape s, String outcome) {
    return s.value("vecwatch_probe_requests_total", "target", "slow", "outcome", outcome);
  }

  private Path writeConfig(int port, String collection) throws Exception {
    Files.writeString(
        dir.resolve("slow.rules.yml"),
        """
        groups:
          - name: slow
            rules:
              - alert: %s
                expr: vecwatch_probe_window_latency_seconds{quantile="0.99"} > 0.1
                for: 2s
        """
            .formatted(ALERT));
    Path config = dir.resolve("vecwatch.yml");
    // call_timeout 5 s: health checks (several calls in a row) stay healthy at +900 ms, so the
    // canaries' 500 ms timeout is what is exercised; self-recall off so that every Search call is
    // a canary
    Files.writeString(
        config,
        """
        datasets:
          - name: slow
            metric: l2
            files: {base: base.fvecs, queries: queries.fvecs, base_ids: ids.txt, ground_truth_k: 10}
        targets:
          - name: slow
            kind: milvus
            dataset: slow
            uri: http://127.0.0.1:%d
            collection: %s
            search_params: {ef: 64}
            connect_timeout: 5s
            call_timeout: 5s
            self_recall: {sample_size: 0}
        probes:
          - {target: slow, rate: 20, concurrency: %d, timeout: 500ms, recall_k: [10], window: 5s,
             health_interval: 1s}
        rule_files: [slow.rules.yml]
        evaluation_interval: 1s
        """
            .formatted(port, collection, CONCURRENCY));
    return config;
  }
}
