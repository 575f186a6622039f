package io.vecwatch.target.milvus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vecwatch.config.ConfigLoader;
import io.vecwatch.dataset.Dataset;
import io.vecwatch.dataset.Metric;
import io.vecwatch.target.TargetContext;
import io.vecwatch.target.registry.TargetKinds;
import io.vecwatch.testing.TcpProxy;
import io.vecwatch.time.Clock;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Reconnect churn: a real Milvus Lite behind a proxy that is cut and restored {@value #CYCLES}
 * times (the {@code vecwatch.drill.cycles} system property raises it for a long run). Every cycle
 * the target loses the server, sees it back at the next health check, and searches again. What a
 * reconnect allocates (an SDK client, its gRPC channel and executors) must be released with the
 * lost session: threads, heap after GC and RSS stay flat.
 */
class MilvusReconnectChurnIT {
  private static final int CYCLES = Integer.getInteger("vecwatch.drill.cycles", 20);
  private static final int WARM_UP = 3;
  private static final int K = 10;

  @Test
  void twentyReconnectCyclesLeaveThreadsHeapAndRssFlat() throws Exception {
    Path dir =
        Path.of("target", "milvus-it", "churn-" + Long.toString(System.nanoTime(), 36))
            .toAbsolutePath();
    TestData data = TestData.generate("it", Metric.L2, 1_000, 16, 5, 8, 5, K, i -> 3L * i);
    try (MilvusProcess server = MilvusProcess.lite(dir.resolve("data"), MilvusProcess.freePort())) {
      server.start(Duration.ofSeconds(120));
      try (MilvusAdmin admin = new MilvusAdmin(server.uri(), b -> {})) {
        admin.createCollection("vw_churn", data, 8, 32);
      }
      try (TcpProxy proxy = new TcpProxy(server.port());
          MilvusTarget target = newTarget(proxy.port(), data)) {
        await().atMost(Duration.ofSeconds(60)).until(() -> target.health().healthy());
        List<long[]> samples = new ArrayList<>(); // threads, heap after GC (bytes), RSS (KiB)
        for (int cycle = 1; cycle <= CYCLES; cycle++) {
          proxy.cut();
          await().atMost(Duration.ofSeconds(30)).until(() -> !target.health().healthy());
          proxy.restore();
          // the first health check after the port accepts again reconnects (no backoff wait)
          await().atMost(Duration.ofSeconds(30)).until(() -> target.health().healthy());
          assertThat(target.search(data.queries[cycle % data.queries.length], K).size())
              .isEqualTo(K);
          samples.add(measure());
        }
        assertThat(target.connectionStatus().losses()).isEqualTo(CYCLES);
        for (int i = 0; i < samples.size(); i++) {
          long[] s = samples.get(i);
          System.out.printf(
              "churn cycle %d: threads %d, heap after GC %.1f MiB, RSS %.1f MiB%n",
              i + 1, s[0], s[1] / 1048576.0, s[2] / 1024.0);
        }
        long[] first = samples.get(WARM_UP - 1);
        long[] last = samples.get(samples.size() - 1);
        // a leaked SDK client keeps a channel with its own event-loop and executor threads: any
        // leak per cycle
        // would add threads every cycle
        assertThat(last[0])
            .as("threads after %d cycles vs after %d", CYCLES, WARM_UP)
            .isLessThanOrEqualTo(first[0] + 2);
        // retained heap: a leaked client holds well over 100 KiB; 17 leaks would exceed this bound
        assertThat(last[1] - first[1]).as("heap after GC growth").isLessThan(4L << 20);
        // RSS also grows with JIT code and allocator arenas, which settle: a bound, with room for
        // those
        assertThat(last[2] - first[2]).as("RSS growth, KiB").isLessThan(48L << 10);
      }
    }
  }

  private static long[] measure() throws Exception {
    for (int i = 0; i < 3; i++) {
      System.gc(); // a measurement, not synchronisation: heap after a full collection is what is
      // retained
    }
    long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    long threads = ManagementFactory.getThreadMXBean().getThreadCount();
    long rss = 0;
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        rss = Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return new long[] {threads, heap, rss};
  }

  private static MilvusTarget newTarget(int port, TestData data) throws Exception {
    String yaml =
        """
        datasets:
          - name: it
            metric: l2
            generate: {count: 10, dim: 16, ground_truth_k: 5, clusters: 2}
        targets:
          - name: churn
            kind: milvus
            dataset: it
            uri: http://127.0.0.1:%d
            collection: vw_churn
            connect_timeout: 2s
            call_timeout: 2s
            reconnect: {initial_backoff: 30s, max_backoff: 1m}
        """
            .formatted(port);
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
}
