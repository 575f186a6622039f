package io.vecwatch.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vecwatch.testing.AgentProcess;
import io.vecwatch.testing.Scrape;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.assertj.core.data.Percentage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent as an operator runs it (its own JVM, stopped with SIGTERM) with its Loki and OTLP
 * endpoints black-holed: first without exporters (the baseline), then with endpoints that accept
 * and never answer, then with endpoints that refuse. Probe rate and P99 stay as in the baseline,
 * /metrics answers, shutdown is bounded and exits 0, and the SDK's complaints never reach the
 * output as stack traces.
 */
class ExporterBlackHoleIT {
  private static final int RATE = 20;
  private static final int WARM_UP =
      60; // probes: 3 s at the scheduled rate, more than the 2 s window
  private static final int MEASURED = 80; // probes: 4 s at the scheduled rate

  @TempDir Path dir;

  private record Run(double rate, double p99, long shutdownMillis, int exit, String output) {}

  @Test
  void blackHoledExportersChangeNeitherProbeRateNorP99AndShutdownStaysBounded() throws Exception {
    Run baseline = run("baseline", null);
    Run hanging;
    Run refused;
    try (BlackHole hole = BlackHole.accepting()) {
      hanging = run("hanging", hole);
    }
    try (BlackHole hole = BlackHole.refusing()) {
      refused = run("refused", hole);
    }
    System.out.printf(
        "black holes: rate/s baseline %.2f hanging %.2f refused %.2f; p99 ms %.2f %.2f %.2f;"
            + " shutdown ms %d %d %d%n",
        baseline.rate(),
        hanging.rate(),
        refused.rate(),
        baseline.p99() * 1e3,
        hanging.p99() * 1e3,
        refused.p99() * 1e3,
        baseline.shutdownMillis(),
        hanging.shutdownMillis(),
        refused.shutdownMillis());

    for (Run r : List.of(baseline, hanging, refused)) {
      // an open-loop schedule keeps its rate unless the probe path blocks; 15 % covers the scrape
      // timing
      assertThat(r.rate()).isBetween(RATE * 0.85, RATE * 1.15);
      assertThat(r.rate()).isCloseTo(baseline.rate(), Percentage.withPercentage(15));
      // a probe that waited for an exporter would take an export timeout (10 s); the rest is a
      // loaded machine
      assertThat(r.p99()).isLessThan(Math.max(3 * baseline.p99(), baseline.p99() + 0.02));
      assertThat(r.exit()).as("exit status after SIGTERM; output:%n%s", r.output()).isZero();
      // Docker's default stop grace period is 10 s, then SIGKILL
      assertThat(r.shutdownMillis()).isLessThan(9_000);
      assertThat(r.output()).doesNotContain("\tat ").doesNotContain("SEVERE");
    }
    assertThat(hanging.output())
        .contains(
            "shutdown: exporters did not finish within 2s and were abandoned; dropped:"
                + " tracing (");
  }

  private Run run(String name, BlackHole hole) throws Exception {
    String telemetry =
        hole == null
            ? ""
            : """
        telemetry:
          shutdown_timeout: 2s
          resources: {enabled: false}
          tracing: {endpoint: '%s', schedule_delay: 200ms}
          loki: {url: '%s/loki/api/v1/push', batch_timeout: 200ms}
        """
                .formatted(hole.url(), hole.url());
    Path config =
        Files.writeString(
            dir.resolve(name + ".yml"),
            """
        datasets:
          - name: gen
            metric: l2
            generate: {count: 2000, dim: 16, queries: 50, ground_truth_k: 10}
        targets:
          - name: exact
            kind: flat
            dataset: gen
        probes:
          - target: exact
            dataset: gen
            rate: %d
            window: 2s
        """
                    .formatted(RATE)
                + telemetry);
    try (AgentProcess agent = AgentProcess.start(config, dir)) {
      agent.awaitReady(Duration.ofSeconds(60));
      // the P99 window (2 s) must not hold the JVM's warm-up searches
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> ok(agent.scrape()) >= WARM_UP);
      Scrape first = agent.scrape();
      long t0 = System.nanoTime();
      double start = ok(first);
      AtomicReference<Scrape> last = new AtomicReference<>();
      long[] t1 = new long[1];
      // /metrics must answer every poll (a failed scrape throws and fails the wait)
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(100))
          .until(
              () -> {
                Scrape s = agent.scrape();
                t1[0] = System.nanoTime();
                last.set(s);
                return ok(s) >= start + MEASURED;
              });
      double rate = (ok(last.get()) - start) / ((t1[0] - t0) / 1e9);
      double p99 =
          last.get()
              .value(
                  "vecwatch_probe_window_latency_seconds", "target", "exact", "quantile", "0.99");
      long s0 = System.nanoTime();
      int exit = agent.terminate(Duration.ofSeconds(30));
      long shutdown = (System.nanoTime() - s0) / 1_000_000;
      return new Run(rate, p99, shutdown, exit, agent.output());
    }
  }

  private static double ok(Scrape s) {
    return s.value("vecwatch_probe_requests_total", "target", "exact", "outcome", "ok");
  }

  /** A loopback port that accepts connections and never answers, or one that refuses them. */
  private static final class BlackHole implements AutoCloseable {
    private final ServerSocket socket;
    private final int port;
    private final List<Socket> held = new ArrayList<>();

    private BlackHole(boolean accept) throws IOException {
      socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      port = socket.getLocalPort();
      if (!accept) {
        socket.close(); // nothing listens there any more: connection refused
        return;
      }
      Thread t =
          new Thread(
              () -> {
                while (!socket.isClosed()) {
                  try {
                    Socket s = socket.accept();
                    synchronized (held) {
                      held.add(s);
                    }
                  } catch (IOException e) {
                    return;
                  }
                }
              },
              "black-hole");
      t.setDaemon(true);
      t.start();
    }

    static BlackHole accepting() throws IOException {
      return new BlackHole(true);
    }

    static BlackHole refusing() throws IOException {
      return new BlackHole(false);
    }

    String url() {
      return "http://127.0.0.1:" + port;
    }

    @Override
    public void close() throws IOException {
      socket.close();
      synchronized (held) {
        for (Socket s : held) {
          s.close();
        }
      }
    }
  }
}
