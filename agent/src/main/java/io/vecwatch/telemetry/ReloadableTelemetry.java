package io.vecwatch.telemetry;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vecwatch.config.ResourcesConfig;
import io.vecwatch.config.ServerMetricsConfig;
import io.vecwatch.config.TargetConfig;
import io.vecwatch.config.TelemetryConfig;
import io.vecwatch.config.TracingConfig;
import io.vecwatch.export.EventLog;
import io.vecwatch.export.LokiLogging;
import io.vecwatch.export.OtlpMetricsPush;
import io.vecwatch.export.OtlpTracing;
import io.vecwatch.export.ProbeTracer;
import io.vecwatch.probe.ProbeListener;
import io.vecwatch.probe.ProbeObservation;
import io.vecwatch.resources.ResourceMonitor;
import io.vecwatch.serverside.ServerSideMonitor;
import io.vecwatch.stats.OwnSearches;
import io.vecwatch.time.Clock;
import io.vecwatch.time.Durations;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code telemetry:} section as a part of a running agent that a reload can change: targets
 * hold its {@link #probeListener()} and {@link #events()}, which stay the same objects while {@link
 * #apply} swaps the parts behind them. Only what changed is rebuilt (Loki, OTLP tracing, OTLP
 * metrics push, the resource sampler, the server-side scrapers); an unchanged part keeps running
 * with its series. The series of a replaced part are removed before its successor registers its
 * own, so they read the new part; the old part is closed in the background within {@code
 * shutdown_timeout}.
 *
 * <pre>{@code
 * ReloadableTelemetry t = ReloadableTelemetry.start(config.telemetry(), config.targets(), registry, clock, own);
 * runner.addListener(t.probeListener());
 * t.apply(fresh.telemetry(), fresh.targets()); // "telemetry: loki started, tracing restarted"
 * }</pre>
 */
public final class ReloadableTelemetry implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ReloadableTelemetry.class);
  // the exporter label of each exporter's own series (export/)
  private static final String LOKI = "loki";
  private static final String TRACES = "otlp_traces";
  private static final String PUSH = "otlp_metrics";

  private final MeterRegistry registry;
  private final Clock clock;
  private final OwnSearches own;
  private final EventLog events;
  private final ProbeListener listener = o -> current().listener().onResult(o);
  private volatile Parts current;
  private volatile boolean closed;

  /** What runs for one version of the section; replaced as a whole, its parts reused. */
  private record Parts(
      TelemetryConfig config,
      List<TargetConfig> targets,
      Optional<LokiLogging> loki,
      Optional<ResourceMonitor> resources,
      Optional<ServerSideMonitor> serverSide,
      Optional<OtlpTracing> tracing,
      Optional<OtlpMetricsPush> push,
      ProbeListener listener) {}

  private ReloadableTelemetry(
      MeterRegistry registry, Clock clock, OwnSearches own, EventLog events, Parts parts) {
    this.registry = registry;
    this.clock = clock;
    this.own = own;
    this.events = events;
    this.current = parts;
  }

  /** Starts what {@code config} enables (Loki first, so the others' start-up lines reach it). */
  public static ReloadableTelemetry start(
      TelemetryConfig config,
      List<TargetConfig> targets,
      MeterRegistry registry,
      Clock clock,
      OwnSearches own) {
    // one start path: the parts start as they do without reloads, then are held here
    Telemetry t = Telemetry.start(config, targets, registry, clock, Map.of(), own);
    Parts parts =
        new Parts(
            config,
            List.copyOf(targets),
            t.loki(),
            t.resources(),
            t.serverSide(),
            t.tracing(),
            t.metricsPush(),
            t.probeListener());
    return new ReloadableTelemetry(registry, clock, own, t.events(), parts);
  }

  /**
   * Applies a reloaded section (and target list: span attributes and server-side scrapers depend on
   * the targets). Returns one line for the log, e.g. {@code telemetry: unchanged} or {@code
   * telemetry: loki started, tracing restarted}. Blocks only to stop the replaced samplers and
   * scrapers; exporters drain in the background.
   */
  public synchronized String apply(TelemetryConfig fresh, List<TargetConfig> targets) {
    Parts old = current;
    if (closed) {
      return "telemetry: not running";
    }
    TelemetryConfig was = old.config();
    List<String> said = new ArrayList<>();
    ExporterClosing retired = new ExporterClosing();

    Optional<LokiLogging> loki = old.loki();
    if (!fresh.loki().equals(was.loki())) {
      removeMeters(exporter(LOKI));
      loki = loki(fresh, registry, clock);
      said.add(change("loki", old.loki().isPresent(), loki.isPresent()));
      retired.loki(old.loki());
    }

    Optional<ResourceMonitor> resources = old.resources();
    if (!fresh.resources().equals(was.resources())) {
      old.resources().ifPresent(ResourceMonitor::close);
      removeMeters(ReloadableTelemetry::isResourceMeter);
      resources = resources(fresh.resources(), registry, clock);
      said.add(change("resources", old.resources().isPresent(), resources.isPresent()));
    }

    Optional<ServerSideMonitor> serverSide = old.serverSide();
    if (serverSideChanged(was, old.targets(), fresh, targets)) {
      old.serverSide().ifPresent(ServerSideMonitor::close);
      removeMeters(ReloadableTelemetry::isServerSideMeter);
      serverSide = serverSide(fresh, targets, registry, clock, own);
      said.add(
          change("server metrics", old.serverSide().isPresent(), serverSide.isPresent())
              + " ("
              + fresh.serverMetrics().size()
              + " target(s))");
    }

    Optional<OtlpTracing> tracing = old.tracing();
    if (!withoutPush(fresh.tracing()).equals(withoutPush(was.tracing()))) {
      removeMeters(exporter(TRACES));
      tracing = tracing(fresh.tracing(), registry);
      said.add(change("tracing", old.tracing().isPresent(), tracing.isPresent()));
      retired.tracing(old.tracing());
    }

    Optional<OtlpMetricsPush> push = old.push();
    if (!fresh.tracing().equals(was.tracing())
        && (old.push().isPresent() || fresh.tracing().metricsInterval().isPresent())) {
      removeMeters(exporter(PUSH));
      push = push(fresh.tracing(), registry, clock);
      said.add(change("OTLP metrics push", old.push().isPresent(), push.isPresent()));
      retired.push(old.push());
    }

    if (!fresh.failureLogInterval().equals(was.failureLogInterval())) {
      events.failureInterval(fresh.failureLogInterval());
      said.add("failure_log_interval " + Durations.format(fresh.failureLogInterval()));
    }
    if (!fresh.shutdownTimeout().equals(was.shutdownTimeout())) {
      said.add("shutdown_timeout " + Durations.format(fresh.shutdownTimeout()));
    }

    ProbeListener l =
        serverSide == old.serverSide()
                && tracing == old.tracing()
                && Telemetry.spanAttributes(targets).equals(Telemetry.spanAttributes(old.targets()))
            ? old.listener()
            : listener(serverSide, tracing, targets, events, clock);
    current = new Parts(fresh, List.copyOf(targets), loki, resources, serverSide, tracing, push, l);
    if (!retired.isEmpty()) {
      Thread t =
          new Thread(
              () -> retired.closeWithin(fresh.shutdownTimeout(), "reload"),
              "vecwatch-telemetry-retire");
      t.setDaemon(true);
      t.start();
    }
    return said.isEmpty() ? "telemetry: unchanged" : "telemetry: " + String.join(", ", said);
  }

  private Parts current() {
    return current;
  }

  /** Feed every probe result through this; it forwards to the parts running now. */
  public ProbeListener probeListener() {
    return listener;
  }

  /** Target and alert transitions go here. */
  public EventLog events() {
    return events;
  }

  public Optional<ResourceMonitor> resources() {
    return current.resources();
  }

  public Optional<ServerSideMonitor> serverSide() {
    return current.serverSide();
  }

  /** Whether Loki, tracing and OTLP metrics push run now (in that order). */
  List<Boolean> exporters() {
    Parts p = current;
    return List.of(p.loki().isPresent(), p.tracing().isPresent(), p.push().isPresent());
  }

  /**
   * Stops the scrapers and the sampler, then lets the exporters send what they hold, side by side,
   * within {@code telemetry.shutdown_timeout}. Idempotent.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    Parts p = current;
    p.serverSide().ifPresent(ServerSideMonitor::close);
    p.resources().ifPresent(ResourceMonitor::close);
    new ExporterClosing()
        .tracing(p.tracing())
        .push(p.push())
        .loki(p.loki())
        .closeWithin(p.config().shutdownTimeout(), "shutdown");
  }

  private static String change(String part, boolean was, boolean is) {
    return part + (was && is ? " restarted" : is ? " started" : was ? " stopped" : " unchanged");
  }

  /**
   * The scrapers depend on their entries and on the settings of the targets they name (kind,
   * address for system info).
   */
  private static boolean serverSideChanged(
      TelemetryConfig was,
      List<TargetConfig> wasTargets,
      TelemetryConfig fresh,
      List<TargetConfig> targets) {
    if (!fresh.serverMetrics().equals(was.serverMetrics())) {
      return true;
    }
    for (ServerMetricsConfig sm : fresh.serverMetrics()) {
      if (!Objects.equals(named(wasTargets, sm.target()), named(targets, sm.target()))) {
        return true;
      }
    }
    return false;
  }

  private static TargetConfig named(List<TargetConfig> targets, String name) {
    return targets.stream().filter(t -> t.name().equals(name)).findFirst().orElse(null);
  }

  /** The tracing pipeline's own settings: a change of the push interval alone leaves it alone. */
  private static TracingConfig withoutPush(TracingConfig t) {
    return new TracingConfig(
        t.endpoint(),
        t.headers(),
        t.authorization(),
        t.serviceName(),
        t.sampleRatio(),
        t.queueSize(),
        t.batchSize(),
        t.scheduleDelay(),
        t.exportTimeout(),
        Optional.empty());
  }

  private void removeMeters(Predicate<Meter.Id> mine) {
    List<Meter> gone = registry.getMeters().stream().filter(m -> mine.test(m.getId())).toList();
    gone.forEach(registry::remove);
  }

  private static Predicate<Meter.Id> exporter(String name) {
    return id -> id.getName().startsWith("vecwatch.export.") && name.equals(id.getTag("exporter"));
  }

  /** The sampler's series: process, host, container (the database scope is the scrapers'). */
  private static boolean isResourceMeter(Meter.Id id) {
    String n = id.getName();
    return n.startsWith("vecwatch.process.")
        || n.startsWith("vecwatch.host.")
        || (n.startsWith("vecwatch.resource.") && !"database".equals(id.getTag("scope")));
  }

  private static boolean isServerSideMeter(Meter.Id id) {
    String n = id.getName();
    return n.startsWith("vecwatch.server.")
        || n.startsWith("vecwatch.served.")
        || n.startsWith("vecwatch.latency.gap.")
        || (n.startsWith("vecwatch.resource.") && "database".equals(id.getTag("scope")));
  }

  private static Optional<LokiLogging> loki(
      TelemetryConfig config, MeterRegistry registry, Clock clock) {
    return config.loki().enabled()
        ? Optional.of(LokiLogging.install(config.loki(), registry, clock))
        : Optional.empty();
  }

  private static Optional<ResourceMonitor> resources(
      ResourcesConfig config, MeterRegistry registry, Clock clock) {
    return config.enabled()
        ? Optional.of(ResourceMonitor.start(config, registry, clock))
        : Optional.empty();
  }

  private static Optional<ServerSideMonitor> serverSide(
      TelemetryConfig config,
      List<TargetConfig> targets,
      MeterRegistry registry,
      Clock clock,
      OwnSearches own) {
    return config.serverMetrics().isEmpty()
        ? Optional.empty()
        : Optional.of(
            ServerSideMonitor.start(
                config.serverMetrics(),
                Telemetry.kinds(targets),
                Telemetry.mappings(targets),
                Telemetry.systemInfoSources(config, targets, Map.of()),
                own,
                registry,
                clock));
  }

  private static Optional<OtlpTracing> tracing(TracingConfig config, MeterRegistry registry) {
    return config.enabled() ? Optional.of(OtlpTracing.start(config, registry)) : Optional.empty();
  }

  private static Optional<OtlpMetricsPush> push(
      TracingConfig config, MeterRegistry registry, Clock clock) {
    return config.metricsInterval().isPresent()
        ? Optional.of(OtlpMetricsPush.start(config, registry, clock))
        : Optional.empty();
  }

  private static ProbeListener listener(
      Optional<ServerSideMonitor> serverSide,
      Optional<OtlpTracing> tracing,
      List<TargetConfig> targets,
      EventLog events,
      Clock clock) {
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
        t ->
            listeners.add(
                ProbeTracer.create(t.tracer(), clock, Telemetry.spanAttributes(targets))));
    listeners.add(events);
    return ProbeListener.all(listeners);
  }
}
