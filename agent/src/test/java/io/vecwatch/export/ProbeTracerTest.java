package io.vecwatch.export;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vecwatch.config.TracingConfig;
import io.vecwatch.probe.ProbeListener;
import io.vecwatch.probe.ProbeObservation;
import io.vecwatch.time.ManualClock;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class ProbeTracerTest {
  private final ManualClock clock = new ManualClock(1_750_000_000_000L);

  static TracingConfig config(int queue, int batch) {
    return new TracingConfig(
        Optional.of(URI.create("http://127.0.0.1:1")),
        Map.of(),
        Optional.empty(),
        "vecwatch-test",
        1.0,
        queue,
        batch,
        Duration.ofMillis(50),
        Duration.ofSeconds(5),
        Optional.empty());
  }

  @Test
  void eachSearchIsAClientSpanWithItsOutcomeRecallAndTiming() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    CollectingExporter exporter = new CollectingExporter(false);
    try (OtlpTracing t = OtlpTracing.withExporter(config(64, 16), exporter, registry)) {
      ProbeTracer tracer =
          ProbeTracer.create(
              t.tracer(),
              clock,
              Map.of(
                  "milvus", Attributes.of(AttributeKey.stringKey("db.collection.name"), "canary")));
      tracer
          .onResult(
              ProbeObservation.ok(
                  "milvus", "milvus", "sift", 100, 3_500_000L, Map.of(10, 0.9, 100, 0.97)))
          .close();
      tracer
          .onResult(
              ProbeObservation.failed(
                  "milvus",
                  "milvus",
                  "sift",
                  100,
                  ProbeObservation.Outcome.TIMEOUT,
                  1_000_000_000L,
                  new TimeoutException("deadline of 1s passed")))
          .close();
      t.flush(Duration.ofSeconds(5));
    }

    assertThat(exporter.spans()).hasSize(2);
    SpanData ok = exporter.spans().get(0);
    assertThat(ok.getName()).isEqualTo("search milvus");
    assertThat(ok.getKind()).isEqualTo(SpanKind.CLIENT);
    assertThat(ok.getEndEpochNanos()).isEqualTo(TimeUnit.MILLISECONDS.toNanos(clock.wallMillis()));
    assertThat(ok.getEndEpochNanos() - ok.getStartEpochNanos()).isEqualTo(3_500_000L);
    assertThat(ok.getAttributes().get(ProbeTracer.TARGET)).isEqualTo("milvus");
    assertThat(ok.getAttributes().get(ProbeTracer.DATASET)).isEqualTo("sift");
    assertThat(ok.getAttributes().get(ProbeTracer.K)).isEqualTo(100L);
    assertThat(ok.getAttributes().get(ProbeTracer.OUTCOME)).isEqualTo("ok");
    assertThat(ok.getAttributes().get(ProbeTracer.recallKey(10))).isEqualTo(0.9);
    assertThat(ok.getAttributes().get(ProbeTracer.recallKey(100))).isEqualTo(0.97);
    assertThat(ok.getAttributes().get(AttributeKey.stringKey("db.collection.name")))
        .isEqualTo("canary");
    assertThat(ok.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
    assertThat(ok.getResource().getAttribute(AttributeKey.stringKey("service.name")))
        .isEqualTo("vecwatch-test");

    SpanData failed = exporter.spans().get(1);
    assertThat(failed.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(failed.getStatus().getDescription()).isEqualTo("deadline of 1s passed");
    assertThat(failed.getAttributes().get(ProbeTracer.ERROR_TYPE)).isEqualTo("timeout");
    assertThat(failed.getEvents()).anySatisfy(e -> assertThat(e.getName()).isEqualTo("exception"));
    assertThat(failed.getTraceId()).isNotEqualTo(ok.getTraceId());
  }

  @Test
  void latencyExemplarsCarryTheSearchSpansTraceId() {
    PrometheusMeterRegistry registry =
        new PrometheusMeterRegistry(
            PrometheusConfig.DEFAULT,
            new PrometheusRegistry(),
            Clock.SYSTEM,
            ExemplarSpanContext.INSTANCE);
    Timer latency =
        Timer.builder("vecwatch.probe.latency")
            .tag("target", "milvus")
            .serviceLevelObjectives(
                Duration.ofMillis(1), Duration.ofMillis(10), Duration.ofMillis(100))
            .register(registry);
    CollectingExporter exporter = new CollectingExporter(false);
    try (OtlpTracing t = OtlpTracing.withExporter(config(64, 16), exporter, registry)) {
      ProbeTracer tracer = ProbeTracer.create(t.tracer(), clock, Map.of());
      ProbeObservation o =
          ProbeObservation.ok("milvus", "milvus", "sift", 10, 4_000_000L, Map.of(10, 1.0));
      try (ProbeListener.Scope s = tracer.onResult(o)) {
        latency.record(o.latencyNanos(), TimeUnit.NANOSECONDS);
      }
      t.flush(Duration.ofSeconds(5));
    }

    String traceId = exporter.spans().get(0).getTraceId();
    String openMetrics =
        registry.scrape("application/openmetrics-text; version=1.0.0; charset=utf-8");
    assertThat(openMetrics)
        .containsPattern(
            "vecwatch_probe_latency_seconds_bucket\\{target=\"milvus\",le=\"0\\.01\"} 1 # \\{span_id=\"\\w+\",trace_id=\""
                + traceId
                + "\"}");
    assertThat(exporter.spans().get(0).getAttributes().get(AttributeKey.stringKey("exemplar")))
        .isEqualTo("true");
  }

  @Test
  void aFullQueueDropsSpansAndCountsThem() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    CollectingExporter exporter =
        new CollectingExporter(true); // every export waits: the queue fills up
    int n = 200;
    try (OtlpTracing t = OtlpTracing.withExporter(config(8, 4), exporter, registry)) {
      ProbeTracer tracer = ProbeTracer.create(t.tracer(), clock, Map.of());
      for (int i = 0; i < n; i++) {
        tracer.onResult(ProbeObservation.ok("flat", "flat", "d", 10, 1_000L, Map.of())).close();
      }
      double dropped =
          registry
              .get("vecwatch.export.dropped")
              .tag("exporter", "otlp_traces")
              .functionCounter()
              .count();
      exporter.open();
      t.flush(Duration.ofSeconds(10));

      assertThat(dropped).isPositive();
      assertThat(dropped + exporter.spans().size()).isEqualTo(n);
    }
  }
}
