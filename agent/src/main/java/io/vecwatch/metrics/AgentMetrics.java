package io.vecwatch.metrics;

import com.sun.management.OperatingSystemMXBean;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Labels;
import io.vecwatch.BuildInfo;
import io.vecwatch.config.ProbeConfig;
import io.vecwatch.config.TargetConfig;
import io.vecwatch.export.ExemplarSpanContext;
import io.vecwatch.stats.Outcome;
import io.vecwatch.stats.ProbeSnapshot;
import io.vecwatch.stats.ProbeStats;
import io.vecwatch.stats.RecallWindow;
import io.vecwatch.stats.TargetSnapshot;
import io.vecwatch.stats.TargetState;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import java.util.function.ToDoubleFunction;

/**
 * The agent's Prometheus registry and every vecwatch series in it (names and labels as in
 * docs/metrics.md). Counters read the probes' lifetime totals, gauges read the {@link
 * SnapshotCache}; the only per-result work is the latency histogram's {@link Timer}. A target's
 * configured labels are added to all of its series.
 *
 * <pre>{@code
 * AgentMetrics m = AgentMetrics.create(cache);
 * ProbeStats stats = ProbeStats.create(..., m.latencyRecorder(target, probe));
 * m.bindProbe(target, probe, stats);
 * String text = m.scrape(AgentMetrics.contentTypeFor(acceptHeader));
 * }</pre>
 */
public final class AgentMetrics implements AutoCloseable {
  /** Buckets of {@code vecwatch_probe_latency_seconds}: 100 µs to 10 s in 1-2.5-5 steps. */
  public static final List<Duration> LATENCY_BUCKETS = buckets();

  /** Prometheus text exposition format 0.0.4. */
  public static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  /** OpenMetrics text format 1.0.0. */
  public static final String OPENMETRICS_TEXT =
      "application/openmetrics-text; version=1.0.0; charset=utf-8";

  private final PrometheusMeterRegistry registry;
  private final SnapshotCache cache;
  private final WindowLatencyCollector windowLatency;
  private final ReloadStatus reloads;
  private final JvmGcMetrics gc;

  private AgentMetrics(SnapshotCache cache) {
    // With tracing on, latencies recorded inside a probe's span carry its trace id as an exemplar
    // (OpenMetrics).
    this.registry =
        new PrometheusMeterRegistry(
            PrometheusConfig.DEFAULT,
            new PrometheusRegistry(),
            Clock.SYSTEM,
            ExemplarSpanContext.INSTANCE);
    // Two binder series that `promtool check metrics` rejects: process_cpu_time_ns_total
    // (abbreviated unit) is
    // replaced by the conventional process_cpu_seconds_total below; system_cpu_count (a gauge
    // ending in _count)
    // becomes system_cpus.
    registry.config().meterFilter(MeterFilter.deny(id -> id.getName().equals("process.cpu.time")));
    registry
        .config()
        .meterFilter(
            new MeterFilter() {
              @Override
              public Meter.Id map(Meter.Id id) {
                return id.getName().equals("system.cpu.count") ? id.withName("system.cpus") : id;
              }
            });
    this.cache = cache;
    this.windowLatency = new WindowLatencyCollector(cache);
    this.reloads = new ReloadStatus(registry, io.vecwatch.time.Clock.system());
    registry.getPrometheusRegistry().register(windowLatency);
    registry.getPrometheusRegistry().register(new DiagnosticsCollector(cache));
    new JvmMemoryMetrics().bindTo(registry);
    this.gc = new JvmGcMetrics();
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
    processCpuSeconds();
    Gauge.builder("vecwatch.build.info", () -> 1)
        .description("Always 1; labels say which vecwatch and Java run")
        .tags("version", BuildInfo.version(), "java_version", System.getProperty("java.version"))
        .register(registry);
  }

  private void processCpuSeconds() {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof OperatingSystemMXBean os
        && os.getProcessCpuTime() >= 0) {
      FunctionCounter.builder("process.cpu", os, o -> o.getProcessCpuTime() / 1e9)
          .baseUnit("seconds")
          .description("CPU time used by the JVM process")
          .register(registry);
    }
  }

  /** {@code vecwatch_config_last_reload_successful} and its success timestamp. */
  public ReloadStatus reloads() {
    return reloads;
  }

  public static AgentMetrics create(SnapshotCache cache) {
    return new AgentMetrics(cache);
  }

  /** The registry, for {@code /metrics} and for anything that samples the agent's own series. */
  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /**
   * The exposition format for an {@code Accept} header: OpenMetrics when asked for, else Prometheus
   * 0.0.4.
   */
  public static String contentTypeFor(String accept) {
    return accept != null && accept.contains("application/openmetrics-text")
        ? OPENMETRICS_TEXT
        : PROMETHEUS_TEXT;
  }

  /** Renders every series in the format {@code contentType} names (see {@link #contentTypeFor}). */
  public String scrape(String contentType) {
    return registry.scrape(contentType);
  }

  /** The latency histogram of one probe, as a sink for successful latencies in nanoseconds. */
  public LongConsumer latencyRecorder(TargetConfig target, ProbeConfig probe) {
    Timer timer =
        Timer.builder("vecwatch.probe.latency")
            .description("Latency of successful canary searches, from the intended start time")
            .tags(probeTags(target, probe.dataset()))
            .serviceLevelObjectives(LATENCY_BUCKETS.toArray(Duration[]::new))
            .register(registry);
    return nanos -> timer.record(nanos, TimeUnit.NANOSECONDS);
  }

  /** Registers a probe's counters and window gauges. */
  public void bindProbe(TargetConfig target, ProbeConfig probe, ProbeStats stats) {
    Tags tags = probeTags(target, probe.dataset());
    String t = target.name();
    String d = probe.dataset();
    for (Outcome o : Outcome.values()) {
      FunctionCounter.builder("vecwatch.probe.requests", stats, s -> s.total(o))
          .description("Canary searches finished, by outcome")
          .tags(tags.and("outcome", o.label()))
          .register(registry);
    }
    FunctionCounter.builder("vecwatch.probe.skipped", stats, ProbeStats::skippedTotal)
        .description("Schedule slots not sent because concurrency searches were still in flight")
        .tags(tags)
        .register(registry);
    Gauge.builder("vecwatch.probe.lag.seconds", stats, ProbeStats::lastLagSeconds)
        .description("How late the last search started against its intended start time")
        .tags(tags)
        .register(registry);
    probeGauge(
        "vecwatch.probe.window.requests.per.second",
        "Canary searches finished per second over the window (all outcomes)",
        tags,
        t,
        d,
        p -> p.window().requestsPerSecond());
    probeGauge(
        "vecwatch.probe.window.error.ratio",
        "Errors / finished searches over the window",
        tags,
        t,
        d,
        p -> p.window().errorRatio());
    probeGauge(
        "vecwatch.probe.window.timeout.ratio",
        "Timeouts / finished searches over the window",
        tags,
        t,
        d,
        p -> p.window().timeoutRatio());
    double windowSeconds = probe.window().toNanos() / 1e9;
    Gauge.builder("vecwatch.probe.window.seconds", () -> windowSeconds)
        .description("The configured sliding window length")
        .tags(tags)
        .register(registry);
    for (int k : probe.recallK()) {
      Tags kt = tags.and("k", Integer.toString(k));
      probeGauge(
          "vecwatch.recall.ratio",
          "Mean recall@k over successful searches in the window (VectorDBBench formula)",
          kt,
          t,
          d,
          p -> recall(p, k).mean());
      probeGauge(
          "vecwatch.recall.distance.ratio",
          "Mean recall@k over the window, ann-benchmarks distance-threshold variant (ties count)",
          kt,
          t,
          d,
          p -> recall(p, k).distanceMean());
      probeGauge(
          "vecwatch.recall.window.queries",
          "Number of searches behind vecwatch_recall_ratio",
          kt,
          t,
          d,
          p -> recall(p, k).queries());
    }
    windowLatency.add(t, d, labels(tags));
  }

  /**
   * Drops every series of a target (a reload removed or rebuilds it): nothing stale is left on
   * /metrics.
   */
  public void unbindTarget(String target) {
    for (Meter m : List.copyOf(registry.getMeters())) {
      if (target.equals(m.getId().getTag("target"))) {
        registry.remove(m);
      }
    }
    windowLatency.remove(target);
  }

  /** Registers a target's state gauges. */
  public void bindTarget(TargetConfig target) {
    Tags tags = targetTags(target);
    String t = target.name();
    targetGauge(
        "vecwatch.target.up",
        "1 when the last health check succeeded and said healthy, else 0",
        tags,
        t,
        s -> s.state() == TargetState.UP ? 1 : 0);
    targetGauge(
        "vecwatch.target.health.check.failures",
        "Consecutive failed health checks (0 when healthy)",
        tags,
        t,
        s -> s.health().consecutiveFailures());
    targetGauge(
        "vecwatch.target.entities",
        "Entity count the target reports",
        tags,
        t,
        s -> s.entities().isPresent() ? s.entities().getAsLong() : Double.NaN);
    targetGauge(
        "vecwatch.target.expected.entities",
        "Entity count the dataset/config expects",
        tags,
        t,
        s -> s.expectedEntities().isPresent() ? s.expectedEntities().getAsLong() : Double.NaN);
  }

  private static final RecallWindow NO_RECALL = new RecallWindow(0, Double.NaN, 0, Double.NaN, 0);

  private static RecallWindow recall(ProbeSnapshot p, int k) {
    RecallWindow r = p.window().recallAt(k);
    return r == null ? NO_RECALL : r;
  }

  private void probeGauge(
      String name,
      String help,
      Tags tags,
      String target,
      String dataset,
      ToDoubleFunction<ProbeSnapshot> value) {
    Gauge.builder(
            name, () -> cache.probe(target, dataset).map(value::applyAsDouble).orElse(Double.NaN))
        .description(help)
        .tags(tags)
        .register(registry);
  }

  private void targetGauge(
      String name, String help, Tags tags, String target, ToDoubleFunction<TargetSnapshot> value) {
    Gauge.builder(name, () -> cache.target(target).map(value::applyAsDouble).orElse(Double.NaN))
        .description(help)
        .tags(tags)
        .register(registry);
  }

  private static Tags probeTags(TargetConfig target, String dataset) {
    return extra(target).and("target", target.name(), "dataset", dataset);
  }

  private static Tags targetTags(TargetConfig target) {
    return extra(target).and("target", target.name(), "kind", target.kind());
  }

  private static Tags extra(TargetConfig target) {
    List<Tag> tags = new ArrayList<>();
    for (Map.Entry<String, String> e : target.labels().entrySet()) {
      tags.add(Tag.of(e.getKey(), e.getValue()));
    }
    return Tags.of(tags);
  }

  private static Labels labels(Tags tags) {
    List<String> names = new ArrayList<>();
    List<String> values = new ArrayList<>();
    tags.forEach(
        t -> {
          names.add(t.getKey());
          values.add(t.getValue());
        });
    return Labels.of(names, values);
  }

  private static List<Duration> buckets() {
    List<Duration> b = new ArrayList<>();
    for (long decade = 100_000L; decade <= 10_000_000_000L; decade *= 10) {
      for (long step : new long[] {10, 25, 50}) {
        long nanos = decade * step / 10;
        if (nanos <= 10_000_000_000L) {
          b.add(Duration.ofNanos(nanos));
        }
      }
    }
    return List.copyOf(b);
  }

  @Override
  public void close() {
    gc.close();
    registry.close();
  }
}
