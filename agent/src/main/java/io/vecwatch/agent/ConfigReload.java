package io.vecwatch.agent;

import io.micrometer.core.instrument.MeterRegistry;
import io.vecwatch.concurrent.Scheduler;
import io.vecwatch.config.ConfigException;
import io.vecwatch.config.DatasetConfig;
import io.vecwatch.config.VecwatchConfig;
import io.vecwatch.errors.Errors;
import io.vecwatch.metrics.AgentMetrics;
import io.vecwatch.metrics.ReloadStatus;
import io.vecwatch.migration.MigrationMetrics;
import io.vecwatch.migration.Migrations;
import io.vecwatch.rules.AlertingService;
import io.vecwatch.telemetry.ReloadableTelemetry;
import io.vecwatch.web.WebSecurity;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /-/reload} and SIGHUP: the whole config file (checked as {@code check-config} checks
 * it, before anything changes), the web config file, rules and Alertmanager settings, the telemetry
 * section (only its changed parts restart), then migrations and targets: unchanged ones keep
 * running, changed ones are rebuilt, added ones start, removed ones stop and their series go. A
 * problem anywhere keeps everything as it was: 500 with one line per problem, each also logged, and
 * {@code vecwatch_config_last_reload_successful} 0. May block (reads files): call it off the event
 * loop.
 */
final class ConfigReload {
  // the agent's logger: reload lines read as the agent's own
  private static final Logger LOG = LoggerFactory.getLogger(Agent.class);
  private static final String TEXT = "text/plain; charset=utf-8";

  private final Optional<Path> configFile;
  private final UnaryOperator<VecwatchConfig> overrides;
  private final WebSecurity security;
  private final ReloadStatus reloadStatus;
  private final MeterRegistry registry;
  private final TargetSet targets;
  private final Parts parts;

  /** What a reload changes besides targets and rules. */
  record Parts(ReloadableTelemetry telemetry, Migrations migrations, Scheduler scheduler) {}

  ConfigReload(
      Optional<Path> configFile,
      UnaryOperator<VecwatchConfig> overrides,
      WebSecurity security,
      AgentMetrics metrics,
      TargetSet targets,
      Parts parts) {
    this.configFile = configFile;
    this.overrides = overrides;
    this.security = security;
    this.reloadStatus = metrics.reloads();
    this.registry = metrics.registry();
    this.targets = targets;
    this.parts = parts;
  }

  /**
   * Reloads against the running {@code config}; on success hands the new one to {@code applied}.
   */
  synchronized AlertingService.Reply reload(
      VecwatchConfig config, AlertingService alerting, Consumer<VecwatchConfig> applied) {
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
    String telemetry;
    try {
      telemetry = parts.telemetry().apply(fresh.telemetry(), fresh.targets());
    } catch (RuntimeException e) {
      // the section was checked; this is the exporter library refusing it
      return reloadFailed(List.of("telemetry: " + Errors.describe(e)));
    }
    TargetPlan plan = TargetPlan.of(config, fresh);
    Set<String> rebuilt = new HashSet<>(plan.changed());
    rebuilt.addAll(plan.removed());
    // migrations first: targets rebuilt below reserve room for, and report to, the new set
    Migrations migrations = parts.migrations();
    migrations.forget(rebuilt);
    targets.prepare(fresh);
    Migrations.Change moved =
        migrations.apply(
            fresh.migrations(),
            rebuilt,
            reloadedDatasets(config, fresh),
            targets::dataset,
            parts.scheduler());
    MigrationMetrics.apply(registry, migrations, moved);
    targets.apply(fresh, plan);
    applied.accept(fresh);
    reloadStatus.succeeded();
    LOG.info("config reloaded: {}; {}; {}", plan.summary(), telemetry, moved.summary());
    return new AlertingService.Reply(200, TEXT, "");
  }

  /** Datasets whose settings changed (they are loaded again). */
  private static Set<String> reloadedDatasets(VecwatchConfig before, VecwatchConfig after) {
    Set<String> out = new HashSet<>();
    for (DatasetConfig d : after.datasets()) {
      if (!before.datasets().contains(d)) {
        out.add(d.name());
      }
    }
    return out;
  }

  private AlertingService.Reply reloadFailed(List<String> problems) {
    reloadStatus.failed();
    LOG.error("reload failed, everything keeps running as before; {} problem(s):", problems.size());
    problems.forEach(p -> LOG.error("reload: {}", p));
    return new AlertingService.Reply(
        500, TEXT, "failed to reload config:\n" + String.join("\n", problems) + "\n");
  }
}
