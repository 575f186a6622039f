package io.vecwatch.agent;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vecwatch.BuildInfo;
import io.vecwatch.concurrent.ExecutorScheduler;
import io.vecwatch.config.ConfigException;
import io.vecwatch.config.VecwatchConfig;
import io.vecwatch.dataset.load.DatasetLoader;
import io.vecwatch.errors.Errors;
import io.vecwatch.metrics.AgentMetrics;
import io.vecwatch.metrics.ReloadStatus;
import io.vecwatch.metrics.SnapshotCache;
import io.vecwatch.migration.MigrationMetrics;
import io.vecwatch.migration.Migrations;
import io.vecwatch.rules.AlertingService;
import io.vecwatch.rules.RuleLoadException;
import io.vecwatch.stats.AgentSnapshot;
import io.vecwatch.stats.OwnSearches;
import io.vecwatch.stats.SnapshotSource;
import io.vecwatch.stats.TargetSnapshot;
import io.vecwatch.target.FaultInjection;
import io.vecwatch.telemetry.Telemetry;
import io.vecwatch.time.Clock;
import io.vecwatch.web.AdminRoutes;
import io.vecwatch.web.AgentInfo;
import io.vecwatch.web.AgentUrl;
import io.vecwatch.web.DemoFault;
import io.vecwatch.web.MigrationsJson;
import io.vecwatch.web.StatusRoutes;
import io.vecwatch.web.WebSecurity;
import io.vecwatch.web.WebServer;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running agent: wires a {@link VecwatchConfig} into datasets, targets, probe runners,
 * statistics, metrics and the HTTP server, and takes them down again.
 *
 * <p>{@link Builder#start()} returns once the HTTP server listens. Datasets are loaded and targets
 * built in the background by a {@link TargetSet}; each target starts being probed as soon as it is
 * built. A target that cannot be built is marked misconfigured with a one-line reason and the
 * others carry on. The HTTP routes live in {@code web/} ({@link WebServer}, {@link AdminRoutes}).
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
  private static final String TEXT = "text/plain; charset=utf-8";

  private volatile VecwatchConfig config;
  private final Clock clock;
  private final Duration shutdownGrace;
  private final TargetSet targets;
  private final Migrations migrations;
  private final SnapshotCache cache = new SnapshotCache();
  private final AgentMetrics metrics;
  private final Telemetry telemetry;
  private final ExecutorScheduler probeScheduler;
  private final ExecutorScheduler statsScheduler;
  private final Vertx vertx;
  private volatile WebServer web;
  private final FaultInjection faults;
  private final Optional<Path> configFile;
  private final WebSecurity security;
  private final boolean lifecycle;
  private final Runnable onQuit;
  private final UnaryOperator<VecwatchConfig> overrides;
  private final ReloadStatus reloadStatus;
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
    this.security = b.security;
    this.lifecycle = b.lifecycle;
    this.onQuit = b.onQuit;
    this.overrides = b.overrides;
    this.reloadStatus = metrics.reloads();
    this.startedMillis = clock.wallMillis();
    OwnSearches ownSearches = new OwnSearches();
    this.telemetry =
        Telemetry.start(
            config.telemetry(), config.targets(), metrics.registry(), clock, Map.of(), ownSearches);
    this.probeScheduler = ExecutorScheduler.create("vecwatch-scheduler");
    this.statsScheduler = ExecutorScheduler.create("vecwatch-stats");
    this.targets =
        TargetSet.create(config, clock, metrics, telemetry, probeScheduler, faults, ownSearches);
    this.migrations = Migrations.create(config.migrations(), clock, new Random());
    MigrationMetrics.bind(metrics.registry(), migrations);
    targets.share(migrations, probeScheduler);
    // A sidecar needs little: one event loop, a couple of workers for scrapes and snapshots, no
    // file caching.
    this.vertx =
        Vertx.vertx(
            new VertxOptions()
                .setEventLoopPoolSize(1)
                .setWorkerPoolSize(2)
                .setInternalBlockingPoolSize(2)
                .setFileSystemOptions(
                    new FileSystemOptions()
                        .setFileCachingEnabled(false)
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
    private WebSecurity security = WebSecurity.none();
    private boolean lifecycle;
    private Runnable onQuit = () -> {};
    private UnaryOperator<VecwatchConfig> overrides = c -> c;

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
     * The file the config was loaded from: {@code rule_files} resolve against its folder and {@code
     * /-/reload} re-reads it. Empty for a config that did not come from a file (the embedded demo).
     */
    public Builder configFile(Optional<Path> f) {
      this.configFile = Objects.requireNonNull(f);
      return this;
    }

    /** TLS, basic auth and headers of every endpoint (the web config file); none by default. */
    public Builder webSecurity(WebSecurity s) {
      this.security = Objects.requireNonNull(s);
      return this;
    }

    /**
     * Whether {@code POST /-/reload}, {@code /-/quit} and {@code /-/faults} are served ({@code
     * --web.enable-lifecycle}); without it they answer 403, as in Prometheus. SIGHUP reloads either
     * way.
     */
    public Builder lifecycle(boolean enabled) {
      this.lifecycle = enabled;
      return this;
    }

    /** What {@code POST /-/quit} does after answering (the CLI ends the process). */
    public Builder onQuit(Runnable r) {
      this.onQuit = Objects.requireNonNull(r);
      return this;
    }

    /**
     * What the command line changes in every config read from the file, at start and at each reload
     * (flags win over the file: {@code --web.listen-address}, {@code --web.external-url}).
     */
    public Builder overrides(UnaryOperator<VecwatchConfig> o) {
      this.overrides = Objects.requireNonNull(o);
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
      a.targets.start(datasets);
      a.statsScheduler.schedule(a::refreshSnapshot, 0);
      return a;
    }
  }

  private void startWeb() throws AgentStartException {
    String host = config.web().host();
    int port = config.web().port();
    try {
      AdminRoutes admin =
          new AdminRoutes(
              vertx,
              this::alerting,
              faults,
              config.faults().adminApi(),
              targets::contains,
              lifecycle,
              this::reload,
              onQuit);
      web =
          WebServer.start(
                  vertx,
                  host,
                  port,
                  security,
                  metrics::scrape,
                  AgentMetrics::contentTypeFor,
                  this,
                  this::ready,
                  router -> {
                    status =
                        StatusRoutes.install(
                            router,
                            vertx,
                            new AgentStatus(this, targets.all(), this::alerting),
                            new AgentInfo(
                                BuildInfo.version(),
                                startedMillis,
                                configFile.map(Path::toString).orElse("embedded demo config"),
                                config
                                    .faults()
                                    .demoTarget()
                                    .map(t -> new DemoFault(faults, t, clock))),
                            clock);
                    admin.addTo(router);
                    MigrationsJson.route(vertx, router, migrations::reports);
                  })
              .toCompletionStage()
              .toCompletableFuture()
              .get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      Throwable c = e.getCause() == null ? e : e.getCause();
      throw new AgentStartException(
          "cannot listen on " + config.web().listenAddress() + ": " + Errors.describe(c), c);
    } catch (TimeoutException e) {
      throw new AgentStartException(
          "cannot listen on " + config.web().listenAddress() + ": timed out", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AgentStartException("interrupted while starting the HTTP server", e);
    }
    LOG.info(
        "listening on {}", config.web().listenAddress().replaceFirst(":\\d+$", ":" + web.port()));
  }

  /**
   * Starts rule evaluation and Alertmanager delivery (rules/, notify/). Bad rule files stop the
   * agent: a user error with one line per problem.
   */
  private void startAlerting() throws AgentStartException {
    String url = AgentUrl.of(security.scheme(), config.web().host(), web.port());
    try {
      alerting = AlertingService.start(config, configFile, metrics.registry(), clock, url);
      // alert state changes become event lines (and so Loki lines when Loki is configured)
      alerting
          .engine()
          .onAlertTransitions(
              (name, labels, from, to) ->
                  telemetry.events().alertTransition(name, labels, from.toString(), to.toString()));
    } catch (RuleLoadException e) {
      throw new AgentStartException(String.join("\n", e.problems()), e);
    } catch (IOException | GeneralSecurityException e) {
      throw new AgentStartException(
          "cannot set up Alertmanager delivery: " + Errors.describe(e), e);
    }
  }

  /**
   * {@code POST /-/reload} and SIGHUP: the whole config file (checked as {@code check-config}
   * checks it, before anything changes), the web config file, rules and Alertmanager settings, then
   * the targets: unchanged ones keep running, changed ones are rebuilt, added ones start, removed
   * ones stop and their series go. A problem anywhere keeps everything as it was: 500 with one line
   * per problem, each also logged, and {@code vecwatch_config_last_reload_successful} 0. May block
   * (reads files): call it off the event loop.
   */
  public synchronized AlertingService.Reply reload() {
    if (closed || alerting == null) {
      return new AlertingService.Reply(503, TEXT, "vecwatch is not running\n");
    }
    VecwatchConfig fresh = config;
    if (configFile.isPresent()) {
      try {
        fresh = overrides.apply(Preflight.load(configFile.get(), security.file()).config());
      } catch (ConfigException e) {
        return reloadFailed(e.problems());
      }
    }
    try {
      security.reload();
    } catch (ConfigException e) {
      return reloadFailed(e.problems());
    }
    AlertingService.Reply rules = alerting.reload(fresh);
    if (rules.status() != 200) {
      return reloadFailed(
          rules.body().strip().lines().filter(l -> !l.startsWith("failed to reload")).toList());
    }
    if (!fresh.web().equals(config.web())) {
      LOG.warn(
          "reload: web.listen_address changed to {}: restart vecwatch to listen there (still on {})",
          fresh.web().listenAddress(),
          config.web().listenAddress());
    }
    if (!fresh.telemetry().equals(config.telemetry())) {
      LOG.warn("reload: telemetry settings changed: restart vecwatch to apply them");
    }
    TargetPlan plan = TargetPlan.of(config, fresh);
    targets.apply(fresh, plan);
    config = fresh;
    reloadStatus.succeeded();
    LOG.info("config reloaded: {}", plan.summary());
    return new AlertingService.Reply(200, TEXT, "");
  }

  private AlertingService.Reply reloadFailed(List<String> problems) {
    reloadStatus.failed();
    LOG.error("reload failed, everything keeps running as before; {} problem(s):", problems.size());
    problems.forEach(p -> LOG.error("reload: {}", p));
    return new AlertingService.Reply(
        500, TEXT, "failed to reload config:\n" + String.join("\n", problems) + "\n");
  }

  /**
   * Reloads on SIGHUP; false (and said once in the log) when the process ignores SIGHUP (nohup).
   */
  public boolean reloadOnSighup() {
    return Sighup.install(
        () -> {
          AlertingService.Reply r = reload();
          return r.status() == 200 ? "ok" : r.body().strip();
        });
  }

  /** The rule engine and notifier; null until the agent started. */
  public AlertingService alerting() {
    return alerting;
  }

  private void refreshSnapshot() {
    if (closed) {
      return;
    }
    try {
      AgentSnapshot s = snapshot();
      cache.set(s);
      migrations.refresh();
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
    List<TargetSnapshot> ts = targets.snapshots(now);
    return new AgentSnapshot(
        clock.wallMillis(), now, ts.stream().allMatch(TargetSnapshot::observed), ts);
  }

  /** Every target was probed or health-checked at least once, or is misconfigured. */
  public boolean ready() {
    return targets.observed();
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
   * Stops the schedules, waits up to the shutdown grace for searches in flight, then closes the
   * HTTP server, the targets and the metrics. Idempotent.
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
    migrations.close();
    targets.stop(shutdownGrace);
    probeScheduler.close();
    statsScheduler.close();
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      LOG.warn("HTTP server did not close cleanly: {}", Errors.describe(e));
    }
    security.close();
    metrics.close();
    LOG.info("stopped");
    // Last: exporters get to send what they hold, the line above included (bounded by
    // telemetry.shutdown_timeout).
    telemetry.close();
  }
}
