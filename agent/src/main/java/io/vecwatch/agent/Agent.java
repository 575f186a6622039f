package io.vecwatch.agent;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vecwatch.concurrent.ExecutorScheduler;
import io.vecwatch.config.VecwatchConfig;
import io.vecwatch.errors.Errors;
import io.vecwatch.metrics.AgentMetrics;
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
import io.vecwatch.telemetry.ReloadableTelemetry;
import io.vecwatch.time.Clock;
import io.vecwatch.web.AdminRoutes;
import io.vecwatch.web.AgentUrl;
import io.vecwatch.web.StatusRoutes;
import io.vecwatch.web.WebSecurity;
import io.vecwatch.web.WebServer;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running agent: wires a {@link VecwatchConfig} into datasets, targets, probe runners,
 * statistics, metrics and the HTTP server, and takes them down again.
 *
 * <p>{@link AgentBuilder#start()} returns once the HTTP server listens. Datasets are loaded and
 * targets built in the background by a {@link TargetSet}; each target starts being probed as soon
 * as it is built. A target that cannot be built is marked misconfigured with a one-line reason and
 * the others carry on. The HTTP routes live in {@code web/} ({@link WebServer}, {@link
 * AdminRoutes}).
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
  private final SnapshotCache cache;
  private final AgentMetrics metrics;
  private final ReloadableTelemetry telemetry;
  private final ExecutorScheduler probeScheduler;
  private final ExecutorScheduler statsScheduler;
  private final Vertx vertx;
  private volatile WebServer web;
  private final FaultInjection faults;
  private final Optional<Path> configFile;
  private final WebSecurity security;
  private final boolean lifecycle;
  private final Runnable onQuit;
  private final ConfigReload reloader;
  private volatile AlertingService alerting;
  private volatile StatusRoutes status;
  private final long startedMillis;
  private volatile boolean closed;
  private volatile boolean readyLogged;

  private Agent(AgentBuilder b) {
    this.config = b.config;
    this.clock = b.clock;
    this.shutdownGrace = b.shutdownGrace;
    EarlyStart.Parts early = b.earlyStart == null ? EarlyStart.create() : b.earlyStart.take();
    this.cache = early.cache();
    this.metrics = early.metrics();
    this.vertx = early.vertx();
    this.faults = FaultInjection.of(config.faults().delays());
    this.configFile = b.configFile;
    this.security = b.security;
    this.lifecycle = b.lifecycle;
    this.onQuit = b.onQuit;
    this.startedMillis = clock.wallMillis();
    OwnSearches ownSearches = new OwnSearches();
    this.telemetry =
        ReloadableTelemetry.start(
            config.telemetry(), config.targets(), metrics.registry(), clock, ownSearches);
    this.probeScheduler = ExecutorScheduler.create("vecwatch-scheduler");
    this.statsScheduler = ExecutorScheduler.create("vecwatch-stats");
    this.targets =
        TargetSet.create(config, clock, metrics, telemetry, probeScheduler, faults, ownSearches);
    this.migrations = Migrations.create(config.migrations(), clock, new Random());
    MigrationMetrics.bind(metrics.registry(), migrations);
    targets.share(migrations, probeScheduler);
    this.reloader =
        new ConfigReload(
            configFile,
            b.overrides,
            security,
            metrics,
            targets,
            new ConfigReload.Parts(telemetry, migrations, probeScheduler));
  }

  public static AgentBuilder builder(VecwatchConfig config) {
    return new AgentBuilder(config);
  }

  /** Builds and starts the agent {@code b} describes; see {@link AgentBuilder#start()}. */
  static Agent start(AgentBuilder b, DatasetProvider datasets) throws AgentStartException {
    Agent a = new Agent(b);
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

  private void startWeb() throws AgentStartException {
    AgentWeb.Bound bound =
        AgentWeb.start(
            this,
            vertx,
            config,
            security,
            metrics,
            targets,
            migrations,
            faults,
            configFile,
            startedMillis,
            lifecycle,
            onQuit,
            clock);
    web = bound.server();
    status = bound.status();
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
   * {@code POST /-/reload} and SIGHUP: the whole config, as {@link ConfigReload} describes. May
   * block (reads files): call it off the event loop.
   */
  public synchronized AlertingService.Reply reload() {
    if (closed || alerting == null) {
      return new AlertingService.Reply(503, TEXT, "vecwatch is not running\n");
    }
    return reloader.reload(config, alerting, fresh -> config = fresh);
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
