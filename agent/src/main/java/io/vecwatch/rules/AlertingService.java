package io.vecwatch.rules;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vecwatch.config.ConfigException;
import io.vecwatch.config.ConfigLoader;
import io.vecwatch.config.TargetConfig;
import io.vecwatch.config.VecwatchConfig;
import io.vecwatch.notify.AlertmanagerNotifier;
import io.vecwatch.rules.history.ScrapeSampleSource;
import io.vecwatch.target.registry.TargetKinds;
import io.vecwatch.time.Clock;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * The agent's alerting, assembled: the notifier (one queue per Alertmanager), the rule engine
 * reading the agent's own {@code /metrics} text, its schedule, {@code ALERTS} on {@code /metrics},
 * and the HTTP handlers ({@code /api/v1/rules}, {@code /api/v1/alerts}, {@code POST /-/reload}) as
 * plain functions any HTTP server can route to. {@link #reload()} may block (it reads files): call
 * it off the event loop.
 *
 * <pre>{@code
 * AlertingService alerting = AlertingService.start(config, configFile, registry, clock, "http://host:9477");
 * router.get("/api/v1/rules").handler(ctx -> reply(ctx, alerting.rules()));
 * router.post("/-/reload").blockingHandler(ctx -> reply(ctx, alerting.reload()));
 * }</pre>
 */
public final class AlertingService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AlertingService.class);

  /** An HTTP answer: status, content type and body. */
  public record Reply(int status, String contentType, String body) {
    static Reply json(int status, Object node) {
      return new Reply(status, "application/json", node.toString());
    }
  }

  private final RuleEngine engine;
  private volatile AlertmanagerNotifier notifier;
  private volatile VecwatchConfig current;
  private final PrometheusMeterRegistry registry;
  private final Clock clock;
  private final RuleScheduler scheduler;
  private final Optional<Path> configFile;
  private final Path configDir;

  private AlertingService(
      RuleEngine engine,
      AlertmanagerNotifier notifier,
      RuleScheduler scheduler,
      Optional<Path> configFile,
      Path configDir,
      VecwatchConfig config,
      PrometheusMeterRegistry registry,
      Clock clock) {
    this.engine = engine;
    this.notifier = notifier;
    this.current = config;
    this.registry = registry;
    this.clock = clock;
    this.scheduler = scheduler;
    this.configFile = configFile;
    this.configDir = configDir;
  }

  /**
   * Starts alerting for {@code config} (loaded from {@code configFile}, empty for the built-in demo
   * config). Throws {@link RuleLoadException} for bad rule files (a user error: one line per
   * problem) and IO/security exceptions for unreadable TLS material.
   */
  public static AlertingService start(
      VecwatchConfig config,
      Optional<Path> configFile,
      PrometheusMeterRegistry registry,
      Clock clock,
      String defaultExternalUrl)
      throws RuleLoadException, IOException, GeneralSecurityException {
    Path dir =
        configFile.map(f -> f.toAbsolutePath().getParent()).orElse(Path.of(".").toAbsolutePath());
    AlertmanagerNotifier notifier =
        AlertmanagerNotifier.start(
            config.alerting(), config.rules().externalLabels(), registry, clock);
    RuleEngine engine;
    // the engine sends through whichever notifier is current: a reload may replace it
    AlertmanagerNotifier[] holder = {notifier};
    AlertingService[] self = new AlertingService[1];
    try {
      engine =
          RuleEngine.builder()
              .config(config.rules())
              .baseDir(dir)
              .source(ScrapeSampleSource.of(registry::scrape))
              .sender(alerts -> (self[0] == null ? holder[0] : self[0].notifier).send(alerts))
              .clock(clock)
              .registry(registry)
              .externalUrl(defaultExternalUrl)
              .build();
    } catch (RuleLoadException e) {
      notifier.close();
      throw e;
    }
    registry
        .getPrometheusRegistry()
        .register(
            new RulesCollector(
                engine,
                () ->
                    (self[0] == null ? config : self[0].current)
                        .targets().stream().map(TargetConfig::name).toList()));
    RuleScheduler scheduler = RuleScheduler.start(engine, clock);
    LOG.info(
        "alerting: {} rule groups, evaluation every {}, {} Alertmanager URL(s)",
        engine.groups().size(),
        engine.evaluationInterval(),
        notifier.alertmanagerCount());
    self[0] =
        new AlertingService(engine, notifier, scheduler, configFile, dir, config, registry, clock);
    return self[0];
  }

  public RuleEngine engine() {
    return engine;
  }

  /** Each Alertmanager's delivery health; empty when none is configured. */
  public List<AlertmanagerNotifier.Delivery> deliveries() {
    return notifier.deliveries();
  }

  /** {@code GET /api/v1/rules}. */
  public Reply rules() {
    return Reply.json(200, RulesApi.rules(engine));
  }

  /** {@code GET /api/v1/alerts}. */
  public Reply alerts() {
    return Reply.json(200, RulesApi.alerts(engine));
  }

  /**
   * {@code POST /-/reload} and SIGHUP: re-reads the config file's rule keys (when the agent runs
   * from a file) and the rule files; keeps the current rules when anything is wrong. 200, or 500
   * with one problem per line.
   */
  public Reply reload() {
    RuleEngine.ReloadResult r;
    if (configFile.isPresent()) {
      VecwatchConfig fresh;
      try {
        fresh = ConfigLoader.withSystemEnv(TargetKinds.lookup()).load(configFile.get());
      } catch (ConfigException e) {
        LOG.warn(
            "reload: {} is invalid, keeping the current rules:\n{}",
            configFile.get(),
            e.getMessage());
        return new Reply(
            500, "text/plain; charset=utf-8", "failed to reload config: " + e.getMessage() + "\n");
      }
      r = engine.reload(fresh.rules(), configDir);
    } else {
      r = engine.reload();
    }
    if (r.ok()) {
      return new Reply(200, "text/plain; charset=utf-8", "");
    }
    return new Reply(
        500,
        "text/plain; charset=utf-8",
        "failed to reload rules:\n" + String.join("\n", r.problems()) + "\n");
  }

  /**
   * Applies an already loaded and checked config: its rules, and, when the Alertmanager settings or
   * external labels changed, a new notifier (alerts still queued for the old one are dropped and
   * counted). 200, or 500 with one problem per line and everything kept as it was.
   */
  public synchronized Reply reload(VecwatchConfig fresh) {
    RuleEngine.ReloadResult r = engine.reload(fresh.rules(), configDir);
    if (!r.ok()) {
      return new Reply(
          500,
          "text/plain; charset=utf-8",
          "failed to reload rules:\n" + String.join("\n", r.problems()) + "\n");
    }
    VecwatchConfig old = current;
    if (!fresh.alerting().equals(old.alerting())
        || !fresh.rules().externalLabels().equals(old.rules().externalLabels())) {
      AlertmanagerNotifier next;
      AlertmanagerNotifier previous = notifier;
      // the queue-length gauges hold the old send loops; counters carry on under the same names
      registry.getMeters().stream()
          .filter(m -> m.getId().getName().equals("vecwatch.notifications.queue.length"))
          .toList()
          .forEach(registry::remove);
      try {
        next =
            AlertmanagerNotifier.start(
                fresh.alerting(), fresh.rules().externalLabels(), registry, clock);
      } catch (IOException | GeneralSecurityException e) {
        // checked before the reload began; a file changed in between: the old notifier keeps
        // sending
        return new Reply(
            500,
            "text/plain; charset=utf-8",
            "cannot set up Alertmanager delivery: " + e.getMessage() + "\n");
      }
      notifier = next;
      previous.close();
      LOG.info("alerting: now {} Alertmanager URL(s)", next.alertmanagerCount());
    }
    current = fresh;
    return new Reply(200, "text/plain; charset=utf-8", "");
  }

  /**
   * Reloads on SIGHUP (where the JVM lets us handle it); returns whether the handler is installed.
   */
  @SuppressWarnings("restriction")
  public boolean reloadOnSighup() {
    try {
      Signal.handle(
          new Signal("HUP"),
          sig -> {
            // Off the signal dispatcher: reading files may take a while.
            Thread t =
                new Thread(
                    () -> {
                      Reply r = reload();
                      LOG.info("SIGHUP reload: {}", r.status() == 200 ? "ok" : r.body().strip());
                    },
                    "vecwatch-sighup-reload");
            t.setDaemon(true);
            t.start();
          });
      return true;
    } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError e) {
      LOG.warn("SIGHUP reload not available on this JVM: {}", e.toString());
      return false;
    }
  }

  /** Stops evaluating, then stops the send loops (alerts still queued are dropped and counted). */
  @Override
  public void close() {
    scheduler.close();
    notifier.close();
  }

  /** Problems of the last failed reload, empty after a successful one. */
  public List<String> lastReloadProblems() {
    return engine.lastReloadProblems();
  }
}
