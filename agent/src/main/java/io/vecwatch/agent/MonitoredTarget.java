package io.vecwatch.agent;

import io.vecwatch.concurrent.Scheduler;
import io.vecwatch.config.ProbeConfig;
import io.vecwatch.config.TargetConfig;
import io.vecwatch.dataset.Dataset;
import io.vecwatch.errors.Errors;
import io.vecwatch.export.EventLog;
import io.vecwatch.probe.HealthChecker;
import io.vecwatch.probe.OnDemandProbe;
import io.vecwatch.probe.ProbeListener;
import io.vecwatch.probe.ProbeObservation;
import io.vecwatch.probe.ProbeRunner;
import io.vecwatch.probe.Recall;
import io.vecwatch.probe.TargetStatus;
import io.vecwatch.probe.WorkerPool;
import io.vecwatch.stats.ProbeSnapshot;
import io.vecwatch.stats.ProbeStats;
import io.vecwatch.stats.RecentProbes;
import io.vecwatch.stats.TargetSnapshot;
import io.vecwatch.target.Target;
import io.vecwatch.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One configured target and everything that watches it: its status, its probes' statistics (which
 * exist from the start, so every series is exported even while the target is built or
 * misconfigured), and once it is built, its worker pool, health checker and probe runners.
 */
final class MonitoredTarget {
  private static final Logger LOG = LoggerFactory.getLogger(MonitoredTarget.class);

  /** A probe's config and statistics. */
  record Probe(ProbeConfig config, ProbeStats stats) {}

  private final TargetConfig config;
  private final List<Probe> probes;
  private final TargetStatus status = new TargetStatus();
  private final Clock clock;
  private final ProbeListener listener;
  private final RecentProbes recent = RecentProbes.create();
  private volatile long expectedEntities = -1;
  private volatile OnDemandProbe.Subject onDemand; // the first probe's, once started
  // set once by start(), read by stop()
  private volatile Target target;
  private volatile WorkerPool pool;
  private volatile HealthChecker health;
  private volatile List<ProbeRunner> runners = List.of();
  private volatile boolean stopped;
  private volatile int reservedThreads;
  private final List<BiConsumer<Target, WorkerPool>> startListeners = new CopyOnWriteArrayList<>();
  private final List<Consumer<String>> misconfiguredListeners = new CopyOnWriteArrayList<>();

  /**
   * @param listener told about every finished search (tracing, event log)
   * @param events told about up/down transitions
   */
  MonitoredTarget(
      TargetConfig config,
      List<Probe> probes,
      Clock clock,
      ProbeListener listener,
      EventLog events) {
    this.config = config;
    this.probes = List.copyOf(probes);
    this.clock = clock;
    this.listener = ProbeListener.all(List.of(listener, this::remember));
    status.onTransition(
        (up, reasons) -> events.targetTransition(config.name(), config.kind(), up, reasons));
  }

  TargetConfig config() {
    return config;
  }

  List<Probe> probes() {
    return probes;
  }

  TargetStatus status() {
    return status;
  }

  /** The last results of this target's probes (the status page's history). */
  RecentProbes recent() {
    return recent;
  }

  /** What a probe on demand needs, once the target is built and probed. */
  Optional<OnDemandProbe.Subject> onDemand() {
    OnDemandProbe.Subject s = onDemand;
    if (s == null) {
      return Optional.empty();
    }
    List<ProbeRunner> rs = runners;
    int next = rs.isEmpty() ? s.nextQuery() : rs.get(0).nextQuery();
    return Optional.of(
        new OnDemandProbe.Subject(s.target(), s.dataset(), s.recall(), next, s.timeout()));
  }

  private ProbeListener.Scope remember(ProbeObservation o) {
    long now = clock.wallMillis();
    if (o.outcome() == ProbeObservation.Outcome.OK) {
      recent.record(RecentProbes.Entry.ok(now, o.latencyNanos(), o.recall()));
    } else {
      recent.record(
          RecentProbes.Entry.failed(
              now,
              o.outcome().label(),
              o.latencyNanos(),
              o.error().map(Errors::describe).orElse(o.outcome().label())));
    }
    return ProbeListener.Scope.NONE;
  }

  void expectedEntities(long n) {
    expectedEntities = n;
  }

  void misconfigured(String message) {
    LOG.warn("target {} is misconfigured: {}", config.name(), message);
    status.misconfigured(message, clock.wallMillis());
    misconfiguredListeners.forEach(l -> l.accept(message));
  }

  /**
   * Room for {@code n} more calls in flight in the worker pool (migrations share it); call before
   * start.
   */
  void reserveThreads(int n) {
    reservedThreads = n;
  }

  /** Told the built target and its worker pool once probing started. */
  void whenStarted(BiConsumer<Target, WorkerPool> listener) {
    startListeners.add(listener);
  }

  /** Told why, when the target cannot be built or probed. */
  void whenMisconfigured(Consumer<String> listener) {
    misconfiguredListeners.add(listener);
  }

  /**
   * Starts health checks and probes on a built target. Each probe's K values are checked against
   * its dataset's ground-truth depth first; if any probe cannot start, the target is misconfigured
   * and nothing runs.
   *
   * @param datasets the loaded datasets by name
   */
  synchronized void start(Target built, Map<String, Dataset> datasets, Scheduler scheduler) {
    if (stopped) {
      built.close();
      return;
    }
    List<Recall> recalls = new ArrayList<>();
    for (Probe p : probes) {
      Dataset d = datasets.get(p.config().dataset());
      try {
        recalls.add(Recall.of(d, p.config().recallK()));
      } catch (IllegalArgumentException e) {
        built.close();
        misconfigured("probe of dataset " + p.config().dataset() + ": " + e.getMessage());
        return;
      }
    }
    int threads =
        1 + reservedThreads + probes.stream().mapToInt(p -> p.config().concurrency()).sum();
    WorkerPool workers = WorkerPool.create(config.name(), threads);
    Duration healthInterval =
        probes.stream()
            .map(p -> p.config().healthInterval())
            .min(Duration::compareTo)
            .orElse(ProbeConfig.DEFAULT_HEALTH_INTERVAL);
    HealthChecker checker =
        HealthChecker.create(built, status, workers, scheduler, clock, healthInterval);
    List<ProbeRunner> started = new ArrayList<>();
    for (int i = 0; i < probes.size(); i++) {
      Probe p = probes.get(i);
      started.add(
          ProbeRunner.create(
              p.config(),
              built,
              datasets.get(p.config().dataset()),
              recalls.get(i),
              p.stats(),
              status,
              workers,
              scheduler,
              clock,
              listener));
    }
    this.target = built;
    this.pool = workers;
    this.health = checker;
    this.runners = List.copyOf(started);
    if (!probes.isEmpty()) {
      ProbeConfig first = probes.get(0).config();
      this.onDemand =
          new OnDemandProbe.Subject(
              built, datasets.get(first.dataset()), recalls.get(0), 0, first.timeout());
    }
    // A remote target is first given its connection attempt: probing before it ended only counts
    // errors.
    built.firstContact().whenComplete((ok, e) -> begin(checker, started));
  }

  private synchronized void begin(HealthChecker checker, List<ProbeRunner> started) {
    if (stopped) {
      return;
    }
    checker.start();
    long now = clock.monotonicNanos();
    for (int i = 0; i < started.size(); i++) {
      probes.get(i).stats().started(now);
      started.get(i).start();
    }
    startListeners.forEach(l -> l.accept(target, pool));
  }

  /**
   * Stops sending; returns once in-flight calls finished or {@code grace} passed; closes the
   * target.
   */
  synchronized void stop(Duration grace) throws InterruptedException {
    stopped = true;
    runners.forEach(ProbeRunner::stop);
    HealthChecker h = health;
    if (h != null) {
      h.stop();
    }
    WorkerPool p = pool;
    if (p != null && !p.shutdown(grace)) {
      LOG.warn(
          "target {}: searches still running after {} ms at shutdown",
          config.name(),
          grace.toMillis());
    }
    Target t = target;
    if (t != null) {
      t.close();
    }
  }

  TargetSnapshot snapshot(long nowNanos) {
    List<ProbeSnapshot> ps = new ArrayList<>(probes.size());
    for (Probe p : probes) {
      ps.add(p.stats().snapshot(nowNanos));
    }
    long expected = expectedEntities;
    return new TargetSnapshot(
        config.name(),
        config.kind(),
        config.labels(),
        status.state(),
        status.lastError(),
        status.lastErrorWallMillis(),
        status.health(),
        status.entities(),
        expected < 0 ? OptionalLong.empty() : OptionalLong.of(expected),
        status.isObserved(),
        ps,
        status.diagnostics());
  }
}
