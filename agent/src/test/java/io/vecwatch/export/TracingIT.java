package io.vecwatch.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vecwatch.config.TracingConfig;
import io.vecwatch.probe.ProbeObservation;
import io.vecwatch.time.Clock;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * Spans and a metrics push through OTLP/HTTP into a real Jaeger v2 (.ci/peers.sh), read back
 * through its APIs.
 */
class TracingIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static TracingConfig config(String service, Optional<Duration> metrics) {
    return new TracingConfig(
        Optional.of(URI.create(Peers.jaegerOtlp())),
        Map.of("x-test", "1"),
        Optional.empty(),
        service,
        1.0,
        2048,
        512,
        Duration.ofMillis(100),
        Duration.ofSeconds(5),
        metrics);
  }

  @Test
  void probeSpansArriveInJaegerWithTheirAttributesAndErrors() throws IOException {
    String service = "vecwatch-it-" + UUID.randomUUID();
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    try (OtlpTracing t = OtlpTracing.start(config(service, Optional.empty()), registry)) {
      ProbeTracer tracer = ProbeTracer.create(t.tracer(), Clock.system(), Map.of());
      for (int i = 0; i < 3; i++) {
        tracer
            .onResult(
                ProbeObservation.ok(
                    "milvus", "milvus", "sift", 10, 2_000_000L + i, Map.of(10, 0.8)))
            .close();
      }
      tracer
          .onResult(
              ProbeObservation.failed(
                  "milvus",
                  "milvus",
                  "sift",
                  10,
                  ProbeObservation.Outcome.TIMEOUT,
                  1_000_000_000L,
                  new TimeoutException("deadline 1s")))
          .close();
      t.flush(Duration.ofSeconds(10));

      List<JsonNode> spans =
          await().atMost(Duration.ofSeconds(30)).until(() -> spans(service), s -> s.size() == 4);
      Map<String, Integer> outcomes = new HashMap<>();
      for (JsonNode span : spans) {
        assertThat(span.path("operationName").asText()).isEqualTo("search milvus");
        Map<String, String> tags = tags(span);
        outcomes.merge(tags.get("vecwatch.outcome"), 1, Integer::sum);
        assertThat(tags)
            .containsEntry("vecwatch.target", "milvus")
            .containsEntry("vecwatch.k", "10")
            .containsEntry("span.kind", "client");
        if (tags.get("vecwatch.outcome").equals("timeout")) {
          assertThat(tags)
              .containsEntry("otel.status_code", "ERROR")
              .containsEntry("error", "true")
              .containsEntry("error.type", "timeout");
          assertThat(span.path("duration").asLong()).isEqualTo(1_000_000L); // microseconds
        } else {
          assertThat(tags).containsEntry("vecwatch.recall_at_10", "0.8");
        }
      }
      assertThat(outcomes).isEqualTo(Map.of("ok", 3, "timeout", 1));
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  registry
                          .get("vecwatch.export.sent")
                          .tag("exporter", "otlp_traces")
                          .functionCounter()
                          .count()
                      == 4);
      assertThat(
              registry
                  .get("vecwatch.export.failed")
                  .tag("exporter", "otlp_traces")
                  .functionCounter()
                  .count())
          .isZero();
    }
  }

  @Test
  void metricsPushArrivesAtTheCollector() {
    String run = UUID.randomUUID().toString();
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Counter c = Counter.builder("vecwatch.it.pushed").tag("run", run).register(registry);
    c.increment(7);
    Gauge.builder("vecwatch.it.level", () -> 0.25).tag("run", run).register(registry);
    Counter.builder("other.not.pushed").tag("run", run).register(registry).increment();

    try (OtlpMetricsPush push =
        OtlpMetricsPush.start(
            config("vecwatch-it-metrics", Optional.of(Duration.ofSeconds(1))),
            registry,
            Clock.system())) {
      push.flush(Duration.ofSeconds(10));
      String page =
          await()
              .atMost(Duration.ofSeconds(30))
              .until(
                  () -> Peers.get(Peers.jaegerMetrics()),
                  p -> p.contains(run) && p.contains("vecwatch_it_level"));
      assertThat(page)
          .containsPattern("vecwatch_it_pushed_total\\{[^}]*run=\"" + run + "\"[^}]*} 7\\b");
      assertThat(page)
          .containsPattern("vecwatch_it_level\\{[^}]*run=\"" + run + "\"[^}]*} 0.25\\b");
      assertThat(page).doesNotContain("other_not_pushed");
    }
  }

  private static List<JsonNode> spans(String service) throws IOException {
    JsonNode r =
        JSON.readTree(
            Peers.get(
                Peers.jaegerQuery() + "/api/traces?limit=100&service=" + Peers.encode(service)));
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode trace : r.path("data")) {
      trace.path("spans").forEach(out::add);
    }
    return out;
  }

  private static Map<String, String> tags(JsonNode span) {
    Map<String, String> out = new HashMap<>();
    for (JsonNode t : span.path("tags")) {
      out.put(t.path("key").asText(), t.path("value").asText());
    }
    return out;
  }
}
