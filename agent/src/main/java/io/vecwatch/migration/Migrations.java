package io.vecwatch.migration;

import io.vecwatch.concurrent.Scheduler;
import io.vecwatch.config.MigrationConfig;
import io.vecwatch.dataset.Dataset;
import io.vecwatch.errors.Errors;
import io.vecwatch.target.Target;
import io.vecwatch.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * Every configured migration of an agent. The agent reports each target as it starts ({@link
 * #sideStarted}); a migration starts once both its targets have and its dataset is loaded. {@link
 * #refresh} (on the agent's stats timer) takes a snapshot of each and evaluates its gate; HTTP and
 * metrics read that immutable result.
 *
 * <pre>{@code
 * Migrations m = Migrations.create(config.migrations(), clock, new Random());
 * monitoredTarget.whenStarted((target, pool) -> m.sideStarted(target, pool, datasets::get, scheduler));
 * m.refresh();
 * List<MigrationReport> reports = m.reports();
 * }</pre>
 */
public final class Migrations implements AutoCloseable {
  private final List<MigrationMonitor> monitors;
  private final Clock clock;
  private final Map<String, MigrationMonitor.Endpoint> started = new HashMap<>(); // guarded by this
  private volatile List<MigrationReport> latest;

  /** A migration's snapshot, its gate's thresholds and the gate's verdicts. */
  public record MigrationReport(
      MigrationSnapshot snapshot, MigrationConfig.Gate thresholds, ReleaseGate.Report gate) {}

  private Migrations(List<MigrationMonitor> monitors, Clock clock) {
    this.monitors = List.copyOf(monitors);
    this.clock = clock;
    refresh();
  }

  public static Migrations create(List<MigrationConfig> configs, Clock clock, Random random) {
    List<MigrationMonitor> ms = new ArrayList<>();
    for (MigrationConfig c : configs) {
      ms.add(MigrationMonitor.create(c, clock, random));
    }
    return new Migrations(ms, clock);
  }

  /** The monitors, in config order. */
  public List<MigrationMonitor> monitors() {
    return monitors;
  }

  /**
   * Searches the migrations may hold in flight on {@code target} at once (its worker pool needs the
   * room).
   */
  public int concurrencyOn(String target) {
    return monitors.stream()
        .filter(m -> m.config().source().equals(target) || m.config().destination().equals(target))
        .mapToInt(MigrationMonitor::concurrency)
        .sum();
  }

  /**
   * {@code target} is built and probed; its blocking calls run on {@code pool}. Starts every
   * migration whose other side is already started, once its dataset is loaded.
   *
   * @param datasets the agent's dataset loads by name (null for a name that is not configured)
   */
  public void sideStarted(
      Target target,
      Executor pool,
      Function<String, CompletableFuture<Dataset>> datasets,
      Scheduler scheduler) {
    List<MigrationMonitor> ready = new ArrayList<>();
    Map<String, MigrationMonitor.Endpoint> now;
    synchronized (this) {
      started.put(target.name(), new MigrationMonitor.Endpoint(target, pool));
      now = Map.copyOf(started);
    }
    for (MigrationMonitor m : monitors) {
      String s = m.config().source();
      String d = m.config().destination();
      if ((s.equals(target.name()) || d.equals(target.name()))
          && now.containsKey(s)
          && now.containsKey(d)) {
        ready.add(m);
      }
    }
    for (MigrationMonitor m : ready) {
      CompletableFuture<Dataset> f = datasets.apply(m.config().dataset());
      if (f == null) {
        m.misconfigured("dataset " + m.config().dataset() + " is not configured");
        continue;
      }
      f.whenComplete(
          (d, e) -> {
            if (e != null) {
              m.misconfigured(
                  "dataset "
                      + m.config().dataset()
                      + ": "
                      + Errors.describe(e.getCause() != null ? e.getCause() : e));
            } else {
              m.start(
                  now.get(m.config().source()), now.get(m.config().destination()), d, scheduler);
            }
          });
    }
  }

  /** {@code target} cannot be built: the migrations it belongs to cannot run. */
  public void sideMisconfigured(String target, String message) {
    for (MigrationMonitor m : monitors) {
      if (m.config().source().equals(target) || m.config().destination().equals(target)) {
        m.misconfigured("target " + target + ": " + message);
      }
    }
  }

  /** Takes a fresh snapshot of every migration and evaluates its gate. */
  public void refresh() {
    long now = clock.monotonicNanos();
    List<MigrationReport> out = new ArrayList<>(monitors.size());
    for (MigrationMonitor m : monitors) {
      MigrationSnapshot s = m.snapshot(now);
      out.add(
          new MigrationReport(s, m.config().gate(), ReleaseGate.evaluate(s, m.config().gate())));
    }
    latest = List.copyOf(out);
  }

  /** The reports of the last {@link #refresh}, in config order. */
  public List<MigrationReport> reports() {
    return latest;
  }

  /** The last report of migration {@code name}. */
  public Optional<MigrationReport> report(String name) {
    return latest.stream().filter(r -> r.snapshot().name().equals(name)).findFirst();
  }

  /** Stops every migration (before the targets' pools shut down). */
  @Override
  public void close() {
    monitors.forEach(MigrationMonitor::stop);
  }
}
