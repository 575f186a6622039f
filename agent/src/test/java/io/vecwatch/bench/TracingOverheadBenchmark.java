package io.vecwatch.bench;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vecwatch.config.TracingConfig;
import io.vecwatch.export.EventLog;
import io.vecwatch.export.ExemplarSpanContext;
import io.vecwatch.export.OtlpTracing;
import io.vecwatch.export.ProbeTracer;
import io.vecwatch.probe.ProbeListener;
import io.vecwatch.probe.ProbeObservation;
import io.vecwatch.time.Clock;
import java.net.URI;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What tracing adds to recording one probe result: the baseline is what the runner does anyway
 * (record the latency in the Prometheus histogram); {@code traced} adds the span (created, made
 * current for the exemplar, ended into the batch processor, exported by a no-op exporter on the
 * processor's thread) and the exemplar; {@code allListeners} adds the event log too (a successful
 * probe: no line). Run: {@code ./mvnw -B -o -pl agent -Pbench test-compile exec:exec
 * -Dbench.args="TracingOverhead -f 1 -wi 2 -i 3"}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class TracingOverheadBenchmark {
  @Param({"baseline", "traced", "allListeners"})
  public String mode;

  private Timer latency;
  private ProbeListener listener;
  private OtlpTracing tracing;
  private final CountingExporter exporter = new CountingExporter();
  private final ProbeObservation ok =
      ProbeObservation.ok("milvus", "milvus", "sift", 10, 2_500_000L, Map.of(10, 0.9, 100, 0.97));

  @Setup(Level.Trial)
  public void setUp() {
    boolean traced = !mode.equals("baseline");
    PrometheusMeterRegistry registry =
        traced
            ? new PrometheusMeterRegistry(
                PrometheusConfig.DEFAULT,
                new PrometheusRegistry(),
                io.micrometer.core.instrument.Clock.SYSTEM,
                ExemplarSpanContext.INSTANCE)
            : new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    latency =
        Timer.builder("vecwatch.probe.latency")
            .tag("target", "milvus")
            .tag("dataset", "sift")
            .serviceLevelObjectives(
                Duration.ofMillis(1),
                Duration.ofMillis(5),
                Duration.ofMillis(10),
                Duration.ofMillis(50),
                Duration.ofMillis(100))
            .register(registry);
    if (!traced) {
      listener = ProbeListener.NONE;
      return;
    }
    // The agent's defaults: queue 2048, batches of 512, export every second.
    TracingConfig config =
        new TracingConfig(
            Optional.of(URI.create("http://127.0.0.1:1")),
            Map.of(),
            Optional.empty(),
            "bench",
            1.0,
            2048,
            512,
            Duration.ofSeconds(1),
            Duration.ofSeconds(10),
            Optional.empty());
    tracing = OtlpTracing.withExporter(config, exporter, registry);
    ProbeListener tracer = ProbeTracer.create(tracing.tracer(), Clock.system(), Map.of());
    listener =
        mode.equals("traced")
            ? tracer
            : ProbeListener.all(
                List.of(
                    tracer,
                    EventLog.create(
                        Clock.system(), Duration.ofSeconds(10), new SimpleMeterRegistry())));
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    if (tracing != null) {
      tracing.close();
      System.out.printf(
          "%n[%s] spans exported %d (the rest were dropped by the full queue)%n",
          mode, exporter.count.get());
    }
  }

  @Benchmark
  public void recordResult() {
    try (ProbeListener.Scope s = listener.onResult(ok)) {
      latency.record(ok.latencyNanos(), TimeUnit.NANOSECONDS);
    }
  }

  /** Discards spans, counting them. */
  static final class CountingExporter implements SpanExporter {
    final AtomicLong count = new AtomicLong();

    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
      count.addAndGet(spans.size());
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }
  }
}
