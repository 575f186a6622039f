package io.vecwatch.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vecwatch.config.ConfigLoader;
import io.vecwatch.target.registry.TargetKinds;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A reload of the {@code telemetry:} section against the real Jaeger and VictoriaLogs of
 * .ci/peers.sh: a reload that moves the OTLP endpoint to Jaeger makes the probes' spans arrive
 * there, one that turns Loki on makes the agent's lines reach VictoriaLogs, and a reload with a bad
 * telemetry section is refused with 500 while the running exporters keep delivering.
 */
class TelemetryReloadIT {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;

  private static String get(String url) throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString());
    return r.statusCode() == 200 ? r.body() : "";
  }

  private static String config(String telemetry) {
    return """
        web:
          listen_address: "127.0.0.1:0"
        datasets:
          - {name: d, metric: l2, generate: {count: 500, dim: 8, queries: 20, ground_truth_k: 10}}
        targets:
          - {name: flat, kind: flat, dataset: d}
        probes:
          - {target: flat, rate: 10, recall_k: [10]}
        telemetry:
          resources: {enabled: false}
        """
        + telemetry;
  }

  private static int traces(String jaeger, String service) throws Exception {
    return JSON.readTree(get(jaeger + "/api/traces?limit=1000&service=" + service))
        .path("data")
        .size();
  }

  private static String logs(String victoria, String query) throws Exception {
    return get(
        victoria
            + "/select/logsql/query?query="
            + URLEncoder.encode(query, StandardCharsets.UTF_8));
  }

  @Test
  void reloadedTelemetrySendsToTheNewEndpointsAndABadSectionKeepsTheOldOnes() throws Exception {
    String run = UUID.randomUUID().toString().replace("-", "");
    String service = "vecwatch-reload-it-" + run;
    String jaegerOtlp = System.getProperty("vecwatch.jaeger.otlp", "http://127.0.0.1:14318");
    String jaeger = System.getProperty("vecwatch.jaeger.query", "http://127.0.0.1:16687");
    String victoria = System.getProperty("vecwatch.victorialogs.url", "http://127.0.0.1:19428");
    String tracing =
        """
          tracing: {endpoint: "%s", service_name: %s, schedule_delay: 200ms}
        """;
    String loki =
        """
          loki: {url: "%s/insert/loki/api/v1/push", labels: {run: %s}, batch_timeout: 200ms}
        """
            .formatted(victoria, run);
    Path file = dir.resolve("vecwatch.yml");
    // nothing listens on port 9 of the loopback: spans go nowhere until the reload
    Files.writeString(file, config(tracing.formatted("http://127.0.0.1:9", service)));
    // the test logback config raises the root to WARN; the reload line is INFO
    Logger agentLog = (Logger) LoggerFactory.getLogger(Agent.class);
    agentLog.setLevel(Level.INFO);
    try (Agent a =
        Agent.builder(new ConfigLoader(Map.of(), TargetKinds.lookup()).load(file))
            .configFile(Optional.of(file))
            .start()) {
      await().atMost(Duration.ofSeconds(30)).until(a::ready);
      assertThat(traces(jaeger, service)).isZero();

      String good = config(tracing.formatted(jaegerOtlp, service) + loki);
      Files.writeString(file, good);
      assertThat(a.reload().status()).isEqualTo(200);

      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> traces(jaeger, service) >= 3);
      String reloaded =
          await()
              .atMost(Duration.ofSeconds(60))
              .pollInterval(Duration.ofMillis(500))
              .until(
                  () -> logs(victoria, "run:" + run + " \"config reloaded\""), b -> !b.isBlank());
      assertThat(JSON.readTree(reloaded.split("\n")[0]).path("_msg").asText())
          .contains("telemetry: loki started, tracing restarted");

      // a bad section: refused, nothing changes
      Files.writeString(file, good.replace("schedule_delay: 200ms", "sample_ratio: 2"));
      var refused = a.reload();
      assertThat(refused.status()).isEqualTo(500);
      assertThat(refused.body()).contains("telemetry.tracing.sample_ratio");
      assertThat(a.meterRegistry().scrape())
          .containsPattern("(?m)^vecwatch_config_last_reload_successful 0");

      String marker = "still-delivering-" + run;
      LoggerFactory.getLogger(TelemetryReloadIT.class).warn(marker);
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> !logs(victoria, "run:" + run + " " + marker).isBlank());
      int spans = traces(jaeger, service);
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> traces(jaeger, service) > spans);
      assertThat(a.meterRegistry().scrape().lines().filter(l -> l.contains("exporter=\"loki\"")))
          .as("loki's own series, registered once each")
          .hasSize(2);
    } finally {
      agentLog.setLevel(null);
    }
  }
}
