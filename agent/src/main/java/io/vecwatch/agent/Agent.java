package io.vecwatch.agent;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vecwatch.BuildInfo;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import io.vecwatch.config.DatasetConfig;
import io.vecwatch.config.ProbeConfig;
import io.vecwatch.config.TargetConfig;
import io.vecwatch.config.VecwatchConfig;
import io.vecwatch.dataset.Dataset;
import io.vecwatch.dataset.load.DatasetLoader;
import io.vecwatch.metrics.AgentMetrics;
import io.vecwatch.metrics.SnapshotCache;
import io.vecwatch.probe.ExecutorScheduler;
import io.vecwatch.probe.TargetStatus;
import io.vecwatch.rules.AlertingService;
import io.vecwatch.rules.RuleLoadException;
import io.vecwatch.target.FaultInjection;
import java.nio.file.Path;
import io.vecwatch.stats.AgentSnapshot;
import io.vecwatch.telemetry.Telemetry;
import io.vecwatch.stats.ProbeStats;
import io.vecwatch.stats.SnapshotSource;
import io.vecwatch.stats.TargetSnapshot;
import io.vecwatch.target.Target;
import io.vecwatch.target.TargetContext;
import io.vecwatch.target.TargetException;
import io.vecwatch.target.TargetKinds;
import io.vecwatch.time.Clock;
import io.vecwatch.web.AgentInfo;
import io.vecwatch.web.DemoFault;
import io.vecwatch.web.StatusRoutes;
import io.vecwatch.web.WebServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running agent: wires a {@link VecwatchConfig} into datasets, targets, probe runners, statistics, metrics and
 * the HTTP server, and takes them down again.
 *
 * <p>{@link Builder#start()} returns once the HTTP server listens. Datasets are loaded and targets built in the
 * background on a small build pool (never on the event loop); each target starts being probed as soon as it is
 * built. A target that cannot be built is marked misconfigured with a one-line reason and the others carry on.
 *
 * <pre>{@code
 * try (Agent agent = Agent.builder(config).start()) {
 *   AgentSnapshot s = agent.snapshot();
 * }
 * }</pre>
 */
public final class Agent implements SnapshotSource, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Agent.class);
  private static final Duration SNAPSHOT_REFRESH = Duration.ofSeconds(1);

  private final VecwatchConfig config;
  private final Clock clock;
  private final Duration shutdownGrace;
  private final List<MonitoredTarget> targets;
  private final SnapshotCache cache = new SnapshotCache();
  private final AgentMetrics metrics;
  private final Telemetry telemetry;
  private final ExecutorScheduler probeScheduler;
  private final ExecutorScheduler statsScheduler;
  private final ExecutorService buildPool;
  private final Vertx vertx;
  private final Map<String, CompletableFuture<Dataset>> datasets = new HashMap<>();
  private volatile WebServer web;
  private final FaultInjection faults;
  private final Optional<Path> configFile;
  private volatile AlertingService alerting;
  private volatile StatusRoutes status;
  private final long startedMillis;
  private volatile boolean closed;
  private volatile boolean readyLogged;

  private Agent(Builder b) {
    this.config = b.config;
    this.clock = b.clock;
    this.shutdownGrace = b.shutdownGrace;
    this.metrics = AgentMetrics.create(cache);
    this.faults = FaultInjection.of(config.faults().delays());
    this.configFile = b.configFile;
    this.startedMillis = clock.wallMillis();
    this.telemetry = Telemetry.start(config.telemetry(), config.targets(), metrics.registry(), clock, Map.of());
    long now = clock.monotonicNanos();
    List<MonitoredTarget> ts = new ArrayList<>();
    for (TargetConfig tc : config.targets()) {
      List<MonitoredTarget.Probe> probes = new ArrayList<>();
      for (ProbeConfig pc : config.probes()) {
        if (pc.target().equals(tc.name())) {
          ProbeStats stats = ProbeStats.create(tc.name(), pc.dataset(), pc.recallK(), pc.window(), now,
              metrics.latencyRecorder(tc, pc));
          metrics.bindProbe(tc, pc, stats);
          probes.add(new MonitoredTarget.Probe(pc, stats));
        }
      }
      metrics.bindTarget(tc);
      ts.add(new MonitoredTarget(tc, probes, clock, telemetry.probeListener(), telemetry.events()));
    }
    this.targets = List.copyOf(ts);
    this.probeScheduler = ExecutorScheduler.create("vecwatch-scheduler");
    this.statsScheduler = ExecutorScheduler.create("vecwatch-stats");
    AtomicInteger n = new AtomicInteger();
    this.buildPool = Executors.newFixedThreadPool(Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors())),
        r -> {
          Thread t = new Thread(r, "vecwatch-build-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
    // A sidecar needs little: one event loop, a couple of workers for scrapes and snapshots, no file caching.
    this.vertx = Vertx.vertx(new VertxOptions()
        .setEventLoopPoolSize(1)
        .setWorkerPoolSize(2)
        .setInternalBlockingPoolSize(2)
        .setFileSystemOptions(new FileSystemOptions().setFileCachingEnabled(false)
            .setClassPathResolvingEnabled(false)));
  }

  public static Builder builder(VecwatchConfig config) {
    return new Builder(config);
  }

  /** Options of an agent; {@link #start()} builds and starts it. */
  public static final class Builder {
    private final VecwatchConfig config;
    private Clock clock = Clock.system();
    private DatasetProvider datasets = DatasetLoader::load;
    private Duration shutdownGrace = Duration.ofSeconds(2);
    private Optional<Path> configFile = Optional.empty();

    private Builder(VecwatchConfig config) {
      this.config = Objects.requireNonNull(config);
    }

    public Builder clock(Clock c) {
      this.clock = Objects.requireNonNull(c);
      return this;
    }

    public Builder datasets(DatasetProvider p) {
      this.datasets = Objects.requireNonNull(p);
      return this;
    }

    /**
     * The file the config was loaded from: {@code rule_files} resolve against its folder and {@code /-/reload}
     * re-reads it. Empty for a config that did not come from a file (the embedded demo).
     */
    public Builder configFile(Optional<Path> f) {
      this.configFile = Objects.requireNonNull(f);
      return this;
    }

    /** How long {@link Agent#close()} waits for searches in flight. */
    public Builder shutdownGrace(Duration d) {
      this.shutdownGrace = Objects.requireNonNull(d);
      return this;
    }

    /**
     * Starts the HTTP server and, in the background, loads datasets and builds and probes targets.
     *
     * @throws AgentStartException when the listen address cannot be bound
     */
    public Agent start() throws AgentStartException {
      Agent a = new Agent(this);
      try {
        a.startWeb();
        a.startAlerting();
      } catch (AgentStartException e) {
        a.close();
        throw e;
      }
      a.startBuilding(datasets);
      a.statsScheduler.schedule(a::refreshSnapshot, 0);
      return a;
    }
  }

  private void startWeb() throws AgentStartException {
    String host = config.web().host();
    int port = config.web().port();
    try {
      web = WebServer.start(vertx, host, port, metrics::scrape, AgentMetrics::contentTypeFor, this, this::ready,
          this::alertingRoutes).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      Throwable c = e.getCause() == null ? e : e.getCause();
      throw new AgentStartException(
          "cannot listen on " + config.web().listenAddress() + ": " + TargetStatus.describe(c), c);
    } catch (TimeoutException e) {
      throw new AgentStartException("cannot listen on " + config.web().listenAddress() + ": timed out", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AgentStartException("interrupted while starting the HTTP server", e);
    }
    LOG.info("listening on {}", config.web().listenAddress().replaceFirst(":\\d+$", ":" + web.port()));
  }

  /**
   * Starts rule evaluation and Alertmanager delivery (rules/, notify/). Bad rule files stop the agent: a user
   * error with one line per problem.
   */
  private void startAlerting() throws AgentStartException {
    String host = config.web().host();
    if (host.equals("0.0.0.0") || host.equals("::")) {
      host = hostName();
    }
    String url = "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + web.port();
    try {
      alerting = AlertingService.start(config, configFile, metrics.registry(), clock, url);
      // alert state changes become event lines (and so Loki lines when Loki is configured)
      alerting.engine().onAlertTransitions((name, labels, from, to) ->
          telemetry.events().alertTransition(name, labels, from.toString(), to.toString()));
    } catch (RuleLoadException e) {
      throw new AgentStartException(String.join("\n", e.problems()), e);
    } catch (java.io.IOException | java.security.GeneralSecurityException e) {
      throw new AgentStartException("cannot set up Alertmanager delivery: " + TargetStatus.describe(e), e);
    }
  }

  private static String hostName() {
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.net.UnknownHostException e) {
      return "localhost";
    }
  }

  /** {@code /api/v1/rules}, {@code /api/v1/alerts}, {@code POST /-/reload} and, opt-in, {@code POST /-/faults}. */
  private void alertingRoutes(io.vertx.ext.web.Router router) {
    status = StatusRoutes.install(router, vertx, new AgentStatus(this, targets, () -> alerting),
        new AgentInfo(BuildInfo.version(), startedMillis, configFile.map(Path::toString)
            .orElse("embedded demo config"), config.faults().demoTarget().map(t -> new DemoFault(faults, t, clock))),
        clock);
    router.get("/api/v1/rules").handler(ctx -> reply(ctx, () -> alerting.rules()));
    router.get("/api/v1/alerts").handler(ctx -> reply(ctx, () -> alerting.alerts()));
    router.post("/-/reload").handler(ctx -> reply(ctx, () -> alerting.reload()));
    if (config.faults().adminApi()) {
      router.post("/-/faults").handler(ctx -> reply(ctx, () -> setFault(ctx.request().getParam("target"),
          ctx.request().getParam("delay"))));
    }
  }

  private void reply(io.vertx.ext.web.RoutingContext ctx, java.util.function.Supplier<AlertingService.Reply> work) {
    if (alerting == null) {
      ctx.response().setStatusCode(503).putHeader("Content-Type", "text/plain; charset=utf-8")
          .end("alerting is starting\n");
      return;
    }
    // Off the event loop: reload reads files, the others take locks shared with rule evaluation.
    vertx.executeBlocking(work::get, false).onComplete(ar -> {
      if (ar.succeeded()) {
        ctx.response().setStatusCode(ar.result().status()).putHeader("Content-Type", ar.result().contentType())
            .end(ar.result().body());
      } else {
        ctx.fail(ar.cause());
      }
    });
  }

  private AlertingService.Reply setFault(String target, String delay) {
    if (target == null || targets.stream().noneMatch(t -> t.config().name().equals(target))) {
      return new AlertingService.Reply(404, "text/plain; charset=utf-8", "no target named " + target + "\n");
    }
    Duration d;
    try {
      d = io.vecwatch.time.Durations.parse(delay == null ? "" : delay);
    } catch (IllegalArgumentException | ArithmeticException e) {
      return new AlertingService.Reply(400, "text/plain; charset=utf-8", "delay: " + e.getMessage() + "\n");
    }
    faults.setDelay(target, d);
    LOG.warn("fault injection: every search of {} now waits {}", target, io.vecwatch.time.Durations.format(d));
    return new AlertingService.Reply(200, "text/plain; charset=utf-8",
        target + " delay " + io.vecwatch.time.Durations.format(d) + "\n");
  }

  /** The rule engine and notifier; null until the agent started. */
  public AlertingService alerting() {
    return alerting;
  }

  private void startBuilding(DatasetProvider provider) {
    for (DatasetConfig dc : config.datasets()) {
      datasets.put(dc.name(), CompletableFuture.supplyAsync(() -> loadDataset(provider, dc), buildPool));
    }
    for (MonitoredTarget t : targets) {
      Set<String> needed = new LinkedHashSet<>();
      t.config().dataset().ifPresent(needed::add);
      t.probes().forEach(p -> needed.add(p.config().dataset()));
      List<CompletableFuture<Dataset>> deps = new ArrayList<>();
      for (String name : needed) {
        deps.add(datasets.getOrDefault(name,
            CompletableFuture.failedFuture(new TargetException("dataset " + name + " is not configured"))));
      }
      CompletableFuture.allOf(deps.toArray(CompletableFuture[]::new))
          .handleAsync((ok, failure) -> {
            try {
              buildTarget(t, failure);
            } catch (RuntimeException | Error e) {
              // never leave a target "unknown" forever because its build died
              LOG.error("building target {} failed", t.config().name(), e);
              t.misconfigured(e instanceof OutOfMemoryError
                  ? "not enough memory to build it (" + e.getMessage() + "): raise -Xmx"
                  : "build failed: " + TargetStatus.describe(e));
              if (e instanceof VirtualMachineError && !(e instanceof OutOfMemoryError)) {
                throw e;
              }
            }
            return null;
          }, buildPool);
    }
  }

  private Dataset loadDataset(DatasetProvider provider, DatasetConfig dc) {
    long t0 = clock.monotonicNanos();
    try {
      Dataset d = provider.load(dc);
      LOG.info("dataset {} ready: {} base vectors, {} queries, dim {}, ground truth depth {} ({} ms)", dc.name(),
          d.base().map(v -> Integer.toString(v.count())).orElse("no"), d.queries().count(), d.dim(),
          d.groundTruthDepth(), (clock.monotonicNanos() - t0) / 1_000_000);
      return d;
    } catch (Exception e) {
      throw new CompletionException(new TargetException(
          "dataset " + dc.name() + " could not be loaded: " + TargetStatus.describe(e), e));
    } catch (OutOfMemoryError e) {
      throw new CompletionException(new TargetException(
          "dataset " + dc.name() + " does not fit in memory (" + e.getMessage() + "): raise -Xmx", e));
    }
  }

  private void buildTarget(MonitoredTarget t, Throwable datasetFailure) {
    if (closed) {
      return;
    }
    if (datasetFailure != null) {
      Throwable c = datasetFailure instanceof CompletionException && datasetFailure.getCause() != null
          ? datasetFailure.getCause() : datasetFailure;
      t.misconfigured(TargetStatus.describe(c));
      return;
    }
    Map<String, Dataset> loaded = loadedDatasets();
    t.config().dataset().map(loaded::get).flatMap(Dataset::base).ifPresent(b -> t.expectedEntities(b.count()));
    long t0 = clock.monotonicNanos();
    Target built;
    try {
      built = TargetKinds.create(t.config(), new Context(loaded));
    } catch (Exception | LinkageError e) {
      t.misconfigured(TargetStatus.describe(e));
      return;
    }
    built.expectedEntities().ifPresent(t::expectedEntities); // the target's own setting wins over the dataset
    LOG.info("target {} ({}) built in {} ms", t.config().name(), t.config().kind(),
        (clock.monotonicNanos() - t0) / 1_000_000);
    if (config.faults().mayDelay(t.config().name())) {
      built = faults.wrap(built);
    }
    t.start(built, loaded, probeScheduler);
  }

  private Map<String, Dataset> loadedDatasets() {
    Map<String, Dataset> m = new HashMap<>();
    datasets.forEach((name, f) -> {
      if (f.isDone() && !f.isCompletedExceptionally()) {
        m.put(name, f.join());
      }
    });
    return m;
  }

  /** What kinds see while being built. */
  private final class Context implements TargetContext {
    private final Map<String, Dataset> loaded;

    Context(Map<String, Dataset> loaded) {
      this.loaded = loaded;
    }

    @Override
    public Optional<Dataset> dataset(String name) {
      return Optional.ofNullable(loaded.get(name));
    }

    @Override
    public Clock clock() {
      return clock;
    }
  }

  private void refreshSnapshot() {
    if (closed) {
      return;
    }
    try {
      AgentSnapshot s = snapshot();
      cache.set(s);
      if (s.ready() && !readyLogged) {
        readyLogged = true;
        LOG.info("ready: every target was probed or failed at least once");
      }
    } finally {
      if (!closed) {
        statsScheduler.schedule(this::refreshSnapshot, SNAPSHOT_REFRESH.toNanos());
      }
    }
  }

  /** A fresh snapshot of every target and probe, taken now. */
  @Override
  public AgentSnapshot snapshot() {
    long now = clock.monotonicNanos();
    List<TargetSnapshot> ts = new ArrayList<>(targets.size());
    boolean ready = true;
    for (MonitoredTarget t : targets) {
      TargetSnapshot s = t.snapshot(now);
      ready &= s.observed();
      ts.add(s);
    }
    return new AgentSnapshot(clock.wallMillis(), now, ready, ts);
  }

  /** Every target was probed or health-checked at least once, or is misconfigured. */
  public boolean ready() {
    for (MonitoredTarget t : targets) {
      if (!t.status().isObserved()) {
        return false;
      }
    }
    return true;
  }

  /** The agent's Prometheus registry (every series {@code /metrics} serves). */
  public PrometheusMeterRegistry meterRegistry() {
    return metrics.registry();
  }

  /** The port the HTTP server is bound to (the actual one when the config asked for port 0). */
  public int httpPort() {
    return web.port();
  }

  public VecwatchConfig config() {
    return config;
  }

  /**
   * Stops the schedules, waits up to the shutdown grace for searches in flight, then closes the HTTP server,
   * the targets and the metrics. Idempotent.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (status != null) {
      status.close();
    }
    if (alerting != null) {
      alerting.close();
    }
    buildPool.shutdownNow();
    List<Thread> stoppers = new ArrayList<>();
    for (MonitoredTarget t : targets) {
      // in parallel, so the grace period is shared rather than summed over targets
      Thread th = new Thread(() -> {
        try {
          t.stop(shutdownGrace);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, "vecwatch-stop-" + t.config().name());
      th.start();
      stoppers.add(th);
    }
    for (Thread th : stoppers) {
      try {
        th.join(shutdownGrace.toMillis() + 1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    probeScheduler.close();
    statsScheduler.close();
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      LOG.warn("HTTP server did not close cleanly: {}", TargetStatus.describe(e));
    }
    metrics.close();
    LOG.info("stopped");
    // Last: exporters get to send what they hold, the line above included (bounded by Telemetry.CLOSE_WAIT).
    telemetry.close();
  }
}
