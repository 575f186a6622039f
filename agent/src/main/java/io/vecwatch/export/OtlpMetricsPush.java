package io.vecwatch.export;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporterBuilder;
import io.opentelemetry.sdk.common.InternalTelemetryVersion;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.vecwatch.config.TracingConfig;
import io.vecwatch.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Optional OTLP/HTTP push of the agent's {@code vecwatch.*} meters every {@code
 * tracing.metrics.interval}, for setups with no Prometheus scraping the agent. Runs on the SDK's
 * own reader thread; a slow or dead endpoint costs one export timeout per interval and a counted
 * failure, nothing else.
 */
public final class OtlpMetricsPush implements AutoCloseable {
  static final String EXPORTER = "otlp_metrics";

  private final SdkMeterProvider provider;
  private final SdkMeterProvider selfProvider;
  private final SdkTelemetryReader self;
  private final Duration exportTimeout;

  private OtlpMetricsPush(
      SdkMeterProvider provider,
      SdkMeterProvider selfProvider,
      SdkTelemetryReader self,
      Duration exportTimeout) {
    this.exportTimeout = exportTimeout;
    this.provider = provider;
    this.selfProvider = selfProvider;
    this.self = self;
  }

  public static OtlpMetricsPush start(TracingConfig config, MeterRegistry registry, Clock clock) {
    Duration interval =
        config
            .metricsInterval()
            .orElseThrow(() -> new IllegalArgumentException("metrics push off"));
    SdkTelemetryReader self = new SdkTelemetryReader();
    SdkMeterProvider selfProvider = SdkMeterProvider.builder().registerMetricReader(self).build();
    OtlpHttpMetricExporterBuilder b =
        OtlpHttpMetricExporter.builder()
            .setEndpoint(OtlpTracing.signalUrl(config.endpoint().orElseThrow(), "metrics"))
            .setTimeout(config.exportTimeout())
            .setMeterProvider(() -> selfProvider)
            .setInternalTelemetryVersion(InternalTelemetryVersion.LATEST);
    config.headers().forEach(b::addHeader);
    config.authorization().ifPresent(s -> b.addHeader("Authorization", s.reveal()));
    PeriodicMetricReader reader =
        PeriodicMetricReader.builder(b.build()).setInterval(interval).build();
    SdkMeterProvider provider =
        SdkMeterProvider.builder()
            .setResource(OtlpTracing.resource(config.serviceName()))
            .registerMetricReader(reader)
            .registerMetricProducer(
                new MicrometerMetricProducer(
                    registry, id -> id.getName().startsWith("vecwatch."), clock))
            .build();
    OtlpMetricsPush push =
        new OtlpMetricsPush(provider, selfProvider, self, config.exportTimeout());
    FunctionCounter.builder(
            "vecwatch.export.sent",
            push,
            p ->
                p.self.sum(
                    "otel.sdk.exporter.metric_data_point.exported", SdkTelemetryReader.noError()))
        .tags("exporter", EXPORTER)
        .description("Items an exporter delivered")
        .register(registry);
    FunctionCounter.builder(
            "vecwatch.export.failed",
            push,
            p ->
                p.self.sum(
                    "otel.sdk.exporter.metric_data_point.exported", SdkTelemetryReader.anyError()))
        .tags("exporter", EXPORTER)
        .description("Items an exporter tried to send and lost (endpoint down, timeout, rejected)")
        .register(registry);
    return push;
  }

  /** Pushes now (tests, shutdown). */
  public void flush(Duration timeout) {
    provider.forceFlush().join(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Pushes once more (bounded by the export timeout) and stops. */
  @Override
  public void close() {
    provider.shutdown().join(exportTimeout.toMillis() + 1_000, TimeUnit.MILLISECONDS);
    selfProvider.shutdown().join(1, TimeUnit.SECONDS);
  }
}
