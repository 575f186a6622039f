package io.vecwatch.telemetry;

import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.vecwatch.config.TargetConfig;
import io.vecwatch.config.TelemetryConfig;
import io.vecwatch.export.EventLog;
import io.vecwatch.export.JulBridge;
import io.vecwatch.export.LokiLogging;
import io.vecwatch.export.OtlpMetricsPush;
import io.vecwatch.export.OtlpTracing;
import io.vecwatch.export.ProbeTracer;
import io.vecwatch.probe.ProbeListener;
import io.vecwatch.probe.ProbeObservation;
import io.vecwatch.resources.ResourceMonitor;
import io.vecwatch.serverside.ServerMetricsMapping;
import io.vecwatch.serverside.ServerSideMonitor;
import io.vecwatch.serverside.SystemInfo;
import io.vecwatch.stats.OwnSearches;
import io.vecwatch.target.registry.TargetKinds;
import io.vecwatch.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything {@code telemetry:} switches on, started together and closed together: resource
 * sampling, database server-side metrics, OTLP traces (and optional metrics push), Loki logs and
 * the event log. The probe runner calls {@link #probeListener()} for every result; the health
 * checker and the rule engine report transitions through {@link #events()}.
 *
 * <pre>{@code
 * try (Telemetry t = Telemetry.start(config.telemetry(), config.targets(), registry, clock, Map.of())) {
 *   runner.addListener(t.probeListener());
 * }
 * }</pre>
 */
public final class Telemetry implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Telemetry.class);

  private final Optional<ResourceMonitor> resources;
  private final Optional<ServerSideMonitor> serverSide;
  private final Optional<OtlpTracing> tracing;
  private final Optional<OtlpMetricsPush> metricsPush;
  private final Optional<LokiLogging> loki;
  private final EventLog events;
  private final ProbeListener listener;
  private final Duration shutdownTimeout;

  private Telemetry(
      Optional<ResourceMonitor> resources,
      Optional<ServerSideMonitor> serverSide,
      Optional<OtlpTracing> tracing,
      Optional<OtlpMetricsPush> metricsPush,
      Optional<LokiLogging> loki,
      EventLog events,
      ProbeListener listener,
      Duration shutdownTimeout) {
    this.shutdownTimeout = shutdownTimeout;
    this.resources = resources;
    this.serverSide = serverSide;
    this.tracing = tracing;
    this.metricsPush = metricsPush;
    this.loki = loki;
    this.events = events;
    this.listener = listener;
  }

  /**
   * Starts what the config enables. Loki goes first so that the other parts' start-up lines reach
   * it.
   *
   * @param systemInfo per target name, how to ask its server for GetMetrics(system_info), where
   *     possible
   */
  public static Telemetry start(
      TelemetryConfig config,
      List<TargetConfig> targets,
      MeterRegistry registry,
      Clock clock,
      Map<String, SystemInfo.Source> systemInfo) {
    return start(config, targets, registry, clock, systemInfo, new OwnSearches());
  }

  /**
   * @param own where the targets count the searches they send (subtracted from the servers' counts)
   */
  public static Telemetry start(
      TelemetryConfig config,
      List<TargetConfig> targets,
      MeterRegistry registry,
      Clock clock,
      Map<String, SystemInfo.Source> systemInfo,
      OwnSearches own) {
    JulBridge.install();
    Optional<LokiLogging> loki =
        config.loki().enabled()
            ? Optional.of(LokiLogging.install(config.loki(), registry, clock))
            : Optional.empty();
    Optional<ResourceMonitor> resources =
        config.resources().enabled()
            ? Optional.of(ResourceMonitor.start(config.resources(), registry, clock))
            : Optional.empty();
    Optional<ServerSideMonitor> serverSide =
        config.serverMetrics().isEmpty()
            ? Optional.empty()
            : Optional.of(
                ServerSideMonitor.start(
                    config.serverMetrics(),
                    kinds(targets),
                    mappings(targets),
                    systemInfoSources(config, targets, systemInfo),
                    own,
                    registry,
                    clock));
    Optional<OtlpTracing> tracing =
        config.tracing().enabled()
            ? Optional.of(OtlpTracing.start(config.tracing(), registry))
            : Optional.empty();
    Optional<OtlpMetricsPush> push =
        config.tracing().metricsInterval().isPresent()
            ? Optional.of(OtlpMetricsPush.start(config.tracing(), registry, clock))
            : Optional.empty();
    EventLog events = EventLog.create(clock, config.failureLogInterval(), registry);

    List<ProbeListener> listeners = new ArrayList<>();
    serverSide.ifPresent(
        s ->
            listeners.add(
                o -> {
                  if (o.outcome() == ProbeObservation.Outcome.OK) {
                    s.clientLatency().recordSuccess(o.target(), o.latencyNanos());
                  }
                  return ProbeListener.Scope.NONE;
                }));
    tracing.ifPresent(
        t -> listeners.add(ProbeTracer.create(t.tracer(), clock, spanAttributes(targets))));
    listeners.add(events);
    LOG.info(
        "telemetry: resources {}, server metrics for {} target(s), tracing {}, OTLP metrics {}, loki {}",
        resources.map(r -> "on (cgroup " + r.cgroupVersion().orElse("none") + ")").orElse("off"),
        config.serverMetrics().size(),
        tracing.isPresent() ? "on" : "off",
        push.isPresent() ? "on" : "off",
        loki.isPresent() ? "on" : "off");
    return new Telemetry(
        resources,
        serverSide,
        tracing,
        push,
        loki,
        events,
        ProbeListener.all(listeners),
        config.shutdownTimeout());
  }

  /**
   * The given sources, plus the kind's own source for every target whose server metrics ask for
   * system info.
   */
  static Map<String, SystemInfo.Source> systemInfoSources(
      TelemetryConfig config, List<TargetConfig> targets, Map<String, SystemInfo.Source> given) {
    Map<String, SystemInfo.Source> out = new HashMap<>(given);
    for (var sm : config.serverMetrics()) {
      if (sm.systemInfo() && !out.containsKey(sm.target())) {
        targets.stream()
            .filter(t -> t.name().equals(sm.target()))
            .findFirst()
            .flatMap(TargetKinds::systemInfo)
            .ifPresent(src -> out.put(sm.target(), src));
      }
    }
    return out;
  }

  static Map<String, String> kinds(List<TargetConfig> targets) {
    Map<String, String> out = new HashMap<>();
    targets.forEach(t -> out.put(t.name(), t.kind()));
    return out;
  }

  /**
   * Each target's server metrics mapping, from its kind (a target whose kind has none is not in the
   * map).
   */
  static Map<String, ServerMetricsMapping> mappings(List<TargetConfig> targets) {
    Map<String, ServerMetricsMapping> out = new HashMap<>();
    targets.forEach(t -> TargetKinds.serverMetrics(t.kind()).ifPresent(m -> out.put(t.name(), m)));
    return out;
  }

  /**
   * Constant span attributes per target: what its kind adds (the database system for database
   * kinds), its labels.
   */
  static Map<String, Attributes> spanAttributes(List<TargetConfig> targets) {
    Map<String, Attributes> out = new HashMap<>();
    for (TargetConfig t : targets) {
      AttributesBuilder b = Attributes.builder();
      TargetKinds.spanAttributes(t).forEach(b::put);
      t.labels().forEach((k, v) -> b.put("vecwatch.label." + k, v));
      out.put(t.name(), b.build());
    }
    return out;
  }

  /** Feed every probe result through this (see {@link ProbeListener}). */
  public ProbeListener probeListener() {
    return listener;
  }

  /** Target and alert transitions go here. */
  public EventLog events() {
    return events;
  }

  public Optional<ResourceMonitor> resources() {
    return resources;
  }

  public Optional<ServerSideMonitor> serverSide() {
    return serverSide;
  }

  Optional<OtlpTracing> tracing() {
    return tracing;
  }

  Optional<OtlpMetricsPush> metricsPush() {
    return metricsPush;
  }

  Optional<LokiLogging> loki() {
    return loki;
  }

  /** How long {@link #close()} lets the exporters deliver what they hold. */
  public Duration shutdownTimeout() {
    return shutdownTimeout;
  }

  /**
   * Stops the scrapers and the sampler, then lets the exporters send what they hold, side by side
   * so that dead endpoints cost one wait in total rather than one each; gives up after the shutdown
   * timeout ({@code telemetry.shutdown_timeout}) and logs what each exporter still held (the
   * exporters' threads are daemons and do not keep the process alive).
   */
  @Override
  public void close() {
    serverSide.ifPresent(ServerSideMonitor::close);
    resources.ifPresent(ResourceMonitor::close);
    new ExporterClosing()
        .tracing(tracing)
        .push(metricsPush)
        .loki(loki)
        .closeWithin(shutdownTimeout, "shutdown");
  }
}
