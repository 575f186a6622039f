package io.vecwatch.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vecwatch.config.ConfigLoader;
import io.vecwatch.config.LokiConfig;
import io.vecwatch.config.ResourcesConfig;
import io.vecwatch.config.ServerMetricsConfig;
import io.vecwatch.config.TargetConfig;
import io.vecwatch.config.TelemetryConfig;
import io.vecwatch.config.TracingConfig;
import io.vecwatch.target.registry.TargetKinds;
import io.vecwatch.time.Clock;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every telemetry series, as the agent's Prometheus registry serves them, passes Prometheus's own
 * linter ({@code promtool check metrics}, Debian package {@code prometheus}, installed by
 * .ci/peers.sh). The database page is the recorded Milvus 2.3.5 one served from loopback (no Milvus
 * here serves :9091 for the build); the exporters point at a closed port.
 */
class TelemetryMetricsLintIT {
  private static final Path PROMTOOL = Path.of("/usr/bin/promtool");

  @Test
  void promtoolFindsNothingToReport() throws Exception {
    assertThat(PROMTOOL).as("promtool (run .ci/peers.sh install)").isExecutable();
    byte[] page;
    try (InputStream in =
        getClass().getResourceAsStream("/io/vecwatch/serverside/milvus-2.3.5-metrics.txt")) {
      page = in.readAllBytes();
    }
    HttpServer milvus =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    milvus.createContext(
        "/metrics",
        ex -> {
          ex.sendResponseHeaders(200, page.length);
          ex.getResponseBody().write(page);
          ex.close();
        });
    milvus.start();
    int closed;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort();
    }
    TelemetryConfig config =
        new TelemetryConfig(
            new ResourcesConfig(true, Duration.ofMillis(200), Path.of("/")),
            List.of(
                new ServerMetricsConfig(
                    "milvus",
                    URI.create("http://127.0.0.1:" + milvus.getAddress().getPort() + "/metrics"),
                    Duration.ofMillis(200),
                    Duration.ofMillis(150),
                    Duration.ofSeconds(1),
                    OptionalLong.empty(),
                    OptionalDouble.of(2),
                    false,
                    8 << 20)),
            new TracingConfig(
                Optional.of(URI.create("http://127.0.0.1:" + closed)),
                Map.of(),
                Optional.empty(),
                "lint",
                1.0,
                64,
                16,
                Duration.ofMillis(100),
                Duration.ofSeconds(1),
                Optional.of(Duration.ofSeconds(1))),
            new LokiConfig(
                Optional.of(URI.create("http://127.0.0.1:" + closed + "/loki/api/v1/push")),
                Map.of(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                "info",
                1 << 20,
                100,
                Duration.ofMillis(100),
                Duration.ofSeconds(1)),
            Duration.ofSeconds(10));
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    TargetConfig target =
        new ConfigLoader(Map.of(), TargetKinds.lookup())
            .parse(
                "lint.yml",
                "targets: [{name: milvus, kind: milvus, uri: \"http://127.0.0.1:1\", collection: lint}]\n",
                Path.of("."))
            .targets()
            .get(0);
    try (Telemetry t =
        Telemetry.start(config, List.of(target), registry, Clock.system(), Map.of())) {
      String text =
          await()
              .atMost(Duration.ofSeconds(30))
              .until(
                  registry::scrape,
                  s ->
                      s.contains("vecwatch_server_requests_total{function=\"search\"")
                          && s.contains("vecwatch_resource_cpu_usage_ratio{scope=\"database\"")
                          && !s.contains(
                              "vecwatch_resource_cpu_usage_ratio{scope=\"host\",target=\"\"} NaN"));
      assertThat(text).contains("# TYPE vecwatch_server_window_latency_seconds summary");
      // docs/metrics.md's telemetry sections list exactly what telemetry exports
      StringBuilder owned = new StringBuilder();
      for (String section :
          Files.readString(Path.of("..", "docs", "metrics.md")).split("(?m)^## ")) {
        if (section.startsWith("Resources")
            || section.startsWith("Database server")
            || section.startsWith("Exporters and logs")) {
          owned.append(section);
        }
      }
      owned.append(
          "| `vecwatch_served_requests_total` |\n"); // "Served traffic" shares its section with the
      // rules
      String sections = owned.toString();
      Set<String> documented = new TreeSet<>();
      Matcher m = Pattern.compile("(?m)^\\| `(vecwatch_[a-z0-9_]+)`").matcher(sections);
      while (m.find()) {
        documented.add(m.group(1));
      }
      Set<String> exported = new TreeSet<>();
      Matcher e = Pattern.compile("(?m)^# TYPE (vecwatch_[a-z0-9_]+) ").matcher(text);
      while (e.find()) {
        exported.add(e.group(1));
      }
      // a container's throttling counters exist only inside a cgroup with a CPU controller; the
      // build VM has one
      assertThat(exported).isEqualTo(documented);
      Path file = Files.createTempFile("vecwatch-telemetry", ".txt");
      Files.writeString(file, text);
      Process p =
          new ProcessBuilder(PROMTOOL.toString(), "check", "metrics")
              .redirectInput(file.toFile())
              .redirectErrorStream(true)
              .start();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (InputStream in = p.getInputStream()) {
        in.transferTo(out);
      }
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(out.toString(StandardCharsets.UTF_8)).as("promtool output").isEmpty();
      Files.delete(file);
    } finally {
      milvus.stop(0);
    }
  }
}
