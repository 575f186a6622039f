package io.vecwatch.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vecwatch.config.ConfigLoader;
import io.vecwatch.config.VecwatchConfig;
import io.vecwatch.export.EventLog;
import io.vecwatch.target.registry.TargetKinds;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The whole agent with telemetry on, against the real Jaeger and VictoriaLogs of .ci/peers.sh:
 * probe spans reach Jaeger, the latency histogram's exemplar names one of those traces, the event
 * log (a target going up, an alert firing) reaches the Loki push API, and the resource series are
 * on /metrics.
 */
class AgentTelemetryIT {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final ObjectMapper JSON = new ObjectMapper();

  private static String get(String url, String accept) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
    if (accept != null) {
      b.header("Accept", accept);
    }
    HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    return r.statusCode() == 200 ? r.body() : "";
  }

  @Test
  void probesBecomeTracesWithExemplarsAndEventsReachLoki() throws Exception {
    String run = UUID.randomUUID().toString().replace("-", "");
    String service = "vecwatch-agent-it-" + run;
    String jaeger = System.getProperty("vecwatch.jaeger.query", "http://127.0.0.1:16687");
    String logs = System.getProperty("vecwatch.victorialogs.url", "http://127.0.0.1:19428");
    VecwatchConfig config =
        new ConfigLoader(Map.of(), TargetKinds.lookup())
            .parse(
                "telemetry-it.yml",
                """
        web:
          listen_address: "127.0.0.1:0"
        datasets:
          - name: d
            metric: l2
            generate: {count: 2000, dim: 16, queries: 50, clusters: 4, ground_truth_k: 10}
        targets:
          - name: flat
            kind: flat
            dataset: d
        probes:
          - {target: flat, rate: 10, recall_k: [10]}
        rule_files: ["%5$s"]
        evaluation_interval: 1s
        telemetry:
          resources: {interval: 500ms}
          tracing:
            endpoint: %s
            service_name: %s
            schedule_delay: 200ms
          loki:
            url: %s/insert/loki/api/v1/push
            labels: {run: %s}
            batch_timeout: 200ms
        """
                    .formatted(
                        System.getProperty("vecwatch.jaeger.otlp", "http://127.0.0.1:14318"),
                        service,
                        logs,
                        run,
                        Path.of(
                                System.getProperty("vecwatch.repo", ".."),
                                "docs/deploy/getting-started.rules.yml")
                            .toAbsolutePath()
                            .normalize()),
                Path.of("."));
    // the test logback config raises the root to WARN; target_up is an INFO event line
    Logger events = (Logger) LoggerFactory.getLogger(EventLog.LOGGER);
    events.setLevel(Level.INFO);
    try (Agent agent = Agent.builder(config).start()) {
      String base = "http://127.0.0.1:" + agent.httpPort();

      JsonNode traces =
          await()
              .atMost(Duration.ofSeconds(60))
              .pollInterval(Duration.ofMillis(500))
              .until(
                  () ->
                      JSON.readTree(get(jaeger + "/api/traces?limit=200&service=" + service, null))
                          .path("data"),
                  d -> d.size() >= 10);
      JsonNode span = traces.get(0).path("spans").get(0);
      assertThat(span.path("operationName").asText()).isEqualTo("search flat");

      String openMetrics =
          await()
              .atMost(Duration.ofSeconds(30))
              .until(
                  () -> get(base + "/metrics", "application/openmetrics-text; version=1.0.0"),
                  t ->
                      t.contains("vecwatch_probe_latency_seconds_bucket")
                          && t.contains("trace_id=\""));
      Matcher m =
          Pattern.compile(
                  "vecwatch_probe_latency_seconds_bucket\\{[^}]*target=\"flat\"[^}]*} \\d+ # \\{"
                      + "span_id=\"\\w+\",trace_id=\"(\\w+)\"}")
              .matcher(openMetrics);
      assertThat(m.find()).as("an exemplar on the latency histogram").isTrue();
      String exemplarTrace = m.group(1);
      JsonNode linked =
          await()
              .atMost(Duration.ofSeconds(30))
              .until(
                  () ->
                      JSON.readTree(get(jaeger + "/api/traces/" + exemplarTrace, null))
                          .path("data"),
                  d -> d.size() == 1);
      assertThat(linked.get(0).path("spans").get(0).path("operationName").asText())
          .isEqualTo("search flat");

      String line =
          await()
              .atMost(Duration.ofSeconds(60))
              .pollInterval(Duration.ofMillis(500))
              .until(
                  () ->
                      get(
                          logs
                              + "/select/logsql/query?query="
                              + URLEncoder.encode(
                                  "run:" + run + " event:target_up", StandardCharsets.UTF_8),
                          null),
                  b -> !b.isBlank());
      JsonNode up = JSON.readTree(line.split("\n")[0]);
      assertThat(up.path("target").asText()).isEqualTo("flat");
      assertThat(up.path("_msg").asText())
          .startsWith("event=target_up target=flat kind=flat state=up");

      // the getting-started rule fires as soon as the target is up: its state change is an event
      // line too
      String alert =
          await()
              .atMost(Duration.ofSeconds(60))
              .pollInterval(Duration.ofMillis(500))
              .until(
                  () ->
                      get(
                          logs
                              + "/select/logsql/query?query="
                              + URLEncoder.encode(
                                  "run:" + run + " event:alert_firing", StandardCharsets.UTF_8),
                          null),
                  b -> !b.isBlank());
      assertThat(JSON.readTree(alert.split("\n")[0]).path("_msg").asText())
          .startsWith(
              "event=alert_firing alertname=VecwatchGettingStarted from=inactive to=firing") // no
          // for:
          // fires at once
          .contains("target=flat");

      assertThat(get(base + "/metrics", null))
          .contains("vecwatch_resource_memory_usage_ratio{scope=\"host\",target=\"\"}")
          .contains("vecwatch_process_resident_memory_bytes")
          .containsPattern(
              "vecwatch_export_dropped_total\\{exporter=\"otlp_traces\",reason=\"queue_full\"} 0");
    } finally {
      events.setLevel(null);
    }
  }
}
