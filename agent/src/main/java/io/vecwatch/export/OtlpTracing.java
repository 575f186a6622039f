package io.vecwatch.export;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporterBuilder;
import io.opentelemetry.sdk.common.InternalTelemetryVersion;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.vecwatch.BuildInfo;
import io.vecwatch.config.TracingConfig;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The OTLP/HTTP trace pipeline: an SDK tracer provider whose spans go through a {@link
 * BatchSpanProcessor} (bounded queue, export on its own thread) to an OTLP exporter. The SDK's own
 * counters of dropped, exported and failed spans are re-exposed as {@code vecwatch_export_*}
 * meters.
 *
 * <pre>{@code
 * try (OtlpTracing t = OtlpTracing.start(config, registry)) {
 *   ProbeTracer tracer = ProbeTracer.create(t.tracer(), clock, Map.of());
 * }
 * }</pre>
 */
public final class OtlpTracing implements AutoCloseable {
  static final String EXPORTER = "otlp_traces";

  private final SdkTracerProvider tracerProvider;
  private final SdkMeterProvider selfMeterProvider;
  private final SdkTelemetryReader selfMetrics;
  private final Tracer tracer;
  private final Duration exportTimeout;

  private OtlpTracing(
      SdkTracerProvider tracerProvider,
      SdkMeterProvider selfMeterProvider,
      SdkTelemetryReader selfMetrics,
      Duration exportTimeout) {
    this.exportTimeout = exportTimeout;
    this.tracerProvider = tracerProvider;
    this.selfMeterProvider = selfMeterProvider;
    this.selfMetrics = selfMetrics;
    this.tracer = tracerProvider.get("io.vecwatch.probe", BuildInfo.version());
  }

  /** Builds the pipeline for an enabled config; nothing is sent until spans end. */
  public static OtlpTracing start(TracingConfig config, MeterRegistry registry) {
    URI endpoint =
        config.endpoint().orElseThrow(() -> new IllegalArgumentException("tracing is not enabled"));
    OtlpHttpSpanExporterBuilder b =
        OtlpHttpSpanExporter.builder()
            .setEndpoint(signalUrl(endpoint, "traces"))
            .setTimeout(config.exportTimeout())
            .setConnectTimeout(
                Duration.ofMillis(Math.min(config.exportTimeout().toMillis(), 5_000)));
    config.headers().forEach(b::addHeader);
    // The secret is read at send time only; it never lands in a log or error message of ours.
    config.authorization().ifPresent(s -> b.addHeader("Authorization", s.reveal()));
    SdkTelemetryReader self = new SdkTelemetryReader();
    SdkMeterProvider selfProvider = SdkMeterProvider.builder().registerMetricReader(self).build();
    SpanExporter spanExporter =
        b.setMeterProvider(() -> selfProvider)
            .setInternalTelemetryVersion(InternalTelemetryVersion.LATEST)
            .build();
    return build(config, spanExporter, self, selfProvider, registry);
  }

  /**
   * The same pipeline with another exporter (tests and benchmarks use in-memory or no-op ones); the
   * endpoint, headers and authorization of {@code config} are not used. Sent/failed counts come
   * only from OTLP exporters.
   */
  public static OtlpTracing withExporter(
      TracingConfig config, SpanExporter exporter, MeterRegistry registry) {
    SdkTelemetryReader self = new SdkTelemetryReader();
    SdkMeterProvider selfProvider = SdkMeterProvider.builder().registerMetricReader(self).build();
    return build(config, exporter, self, selfProvider, registry);
  }

  private static OtlpTracing build(
      TracingConfig config,
      SpanExporter exporter,
      SdkTelemetryReader self,
      SdkMeterProvider selfProvider,
      MeterRegistry registry) {
    BatchSpanProcessor bsp =
        BatchSpanProcessor.builder(exporter)
            .setMaxQueueSize(config.queueSize())
            .setMaxExportBatchSize(config.batchSize())
            .setScheduleDelay(config.scheduleDelay())
            .setExporterTimeout(config.exportTimeout())
            .setMeterProvider(() -> selfProvider)
            .setInternalTelemetryVersion(InternalTelemetryVersion.LATEST)
            .build();
    SdkTracerProvider provider =
        SdkTracerProvider.builder()
            .setResource(resource(config.serviceName()))
            .setSampler(Sampler.parentBased(Sampler.traceIdRatioBased(config.sampleRatio())))
            .addSpanProcessor(bsp)
            .build();
    OtlpTracing t = new OtlpTracing(provider, selfProvider, self, config.exportTimeout());
    t.registerMeters(registry);
    return t;
  }

  static Resource resource(String serviceName) {
    return Resource.getDefault()
        .merge(
            Resource.create(
                Attributes.builder()
                    .put("service.name", serviceName)
                    .put("service.version", BuildInfo.version())
                    .build()));
  }

  /**
   * {@code http://host:4318} becomes {@code http://host:4318/v1/traces}; a URL with its own path is
   * kept.
   */
  static String signalUrl(URI base, String signal) {
    String s = base.toString();
    String path = base.getPath();
    if (path == null || path.isEmpty() || path.equals("/")) {
      return (s.endsWith("/") ? s : s + "/") + "v1/" + signal;
    }
    return s;
  }

  public Tracer tracer() {
    return tracer;
  }

  private void registerMeters(MeterRegistry registry) {
    // The object is this pipeline (held by whoever owns it); Micrometer holds it weakly.
    FunctionCounter.builder(
            "vecwatch.export.dropped",
            this,
            t ->
                t.selfMetrics.sum(
                    "otel.sdk.processor.span.processed",
                    SdkTelemetryReader.errorType("queue_full")))
        .tags("exporter", EXPORTER, "reason", "queue_full")
        .description("Items an exporter dropped instead of sending")
        .register(registry);
    FunctionCounter.builder(
            "vecwatch.export.sent",
            this,
            t -> t.selfMetrics.sum("otel.sdk.exporter.span.exported", SdkTelemetryReader.noError()))
        .tags("exporter", EXPORTER)
        .description("Items an exporter delivered")
        .register(registry);
    FunctionCounter.builder(
            "vecwatch.export.failed",
            this,
            t ->
                t.selfMetrics.sum("otel.sdk.exporter.span.exported", SdkTelemetryReader.anyError()))
        .tags("exporter", EXPORTER)
        .description("Items an exporter tried to send and lost (endpoint down, timeout, rejected)")
        .register(registry);
    Gauge.builder(
            "vecwatch.export.queued",
            this,
            t -> t.selfMetrics.sum("otel.sdk.processor.span.queue.size", a -> true))
        .tags("exporter", EXPORTER)
        .description("Items waiting in an exporter's queue")
        .register(registry);
  }

  /** Spans waiting in the queue now. */
  public double queued() {
    return selfMetrics.sum("otel.sdk.processor.span.queue.size", a -> true);
  }

  /**
   * Exports what is queued, waiting at most {@code timeout}; the result says nothing about
   * delivery.
   */
  public void flush(Duration timeout) {
    tracerProvider.forceFlush().join(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Exports what is queued (one last export, bounded by the export timeout) and stops. */
  @Override
  public void close() {
    tracerProvider.shutdown().join(exportTimeout.toMillis() + 1_000, TimeUnit.MILLISECONDS);
    selfMeterProvider.shutdown().join(1, TimeUnit.SECONDS);
  }
}
