package io.vecwatch.migration;

import io.vecwatch.concurrent.Scheduler;
import io.vecwatch.config.MigrationConfig;
import io.vecwatch.dataset.Dataset;
import io.vecwatch.errors.Errors;
import io.vecwatch.target.Target;
import io.vecwatch.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
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
  private volatile List<MigrationMonitor> monitors;
  private final Clock clock;
  private final Random random;
  private final Map<String, MigrationMonitor.Endpoint> started = new HashMap<>(); // guarded by this
  private volatile List<MigrationReport> latest;

  /** A migration's snapshot, its gate's thresholds and the gate's verdicts. */
  public record MigrationReport(
      MigrationSnapshot snapshot, MigrationConfig.Gate thresholds, ReleaseGate.Report gate) {}

  /**
   * What {@link #apply} did, by migration name: kept running, rebuilt, started, stopped.
   *
   * <pre>{@code
   * Migrations.Change c =
   *     migrations.apply(fresh.migrations(), Set.of("old"), Set.of(), datasets::get, scheduler);
   * c.summary(); // "migrations: 1 kept, 1 changed (a), 0 added, 0 removed"
   * }</pre>
   */
  public record Change(
      List<String> kept, List<String> changed, List<String> added, List<String> removed) {
    public Change {
      kept = List.copyOf(kept);
      changed = List.copyOf(changed);
      added = List.copyOf(added);
      removed = List.copyOf(removed);
    }

    /** One line for the log: {@code migrations: 1 kept, 0 changed, 1 added (b), 0 removed}. */
    public String summary() {
      return "migrations: "
          + kept.size()
          + " kept, "
          + part(changed, "changed")
          + ", "
          + part(added, "added")
          + ", "
          + part(removed, "removed");
    }

    private static String part(List<String> names, String what) {
      return names.size()
          + " "
          + what
          + (names.isEmpty() ? "" : " (" + String.join(", ", names) + ")");
    }
  }

  private Migrations(List<MigrationMonitor> monitors, Clock clock, Random random) {
    this.monitors = List.copyOf(monitors);
    this.clock = clock;
    this.random = random;
    refresh();
  }

  public static Migrations create(List<MigrationConfig> configs, Clock clock, Random random) {
    List<MigrationMonitor> ms = new ArrayList<>();
    for (MigrationConfig c : configs) {
      ms.add(MigrationMonitor.create(c, clock, random));
    }
    return new Migrations(ms, clock, random);
  }

  /**
   * A reload: a migration whose settings are unchanged and whose two targets both keep running
   * carries on with its windows and counters; a changed one (or one with a rebuilt side) is stopped
   * and started afresh; a new one starts as soon as both its targets are started; a removed one
   * stops. Call {@link #forget} for the rebuilt and removed targets before they are replaced.
   *
   * @param rebuilt targets that are being rebuilt (or removed): their migrations start afresh
   * @param reloaded datasets whose settings changed: their migrations start afresh too
   * @param datasets the agent's dataset loads by name (null for a name that is not configured)
   */
  public Change apply(
      List<MigrationConfig> configs,
      Set<String> rebuilt,
      Set<String> reloaded,
      Function<String, CompletableFuture<Dataset>> datasets,
      Scheduler scheduler) {
    Map<String, MigrationMonitor> running = new HashMap<>();
    List<String> kept = new ArrayList<>();
    List<String> changed = new ArrayList<>();
    List<String> added = new ArrayList<>();
    List<MigrationMonitor> stopping = new ArrayList<>();
    List<MigrationMonitor> fresh = new ArrayList<>();
    Map<String, MigrationMonitor.Endpoint> now;
    synchronized (this) {
      monitors.forEach(m -> running.put(m.config().name(), m));
      Set<String> names = new HashSet<>();
      for (MigrationConfig c : configs) {
        names.add(c.name());
        MigrationMonitor old = running.get(c.name());
        if (old != null
            && old.config().equals(c)
            && !rebuilt.contains(c.source())
            && !rebuilt.contains(c.destination())
            && !reloaded.contains(c.dataset())) {
          kept.add(c.name());
          fresh.add(old);
          continue;
        }
        if (old == null) {
          added.add(c.name());
        } else {
          changed.add(c.name());
          stopping.add(old);
        }
        fresh.add(MigrationMonitor.create(c, clock, random));
      }
      List<String> removed = new ArrayList<>();
      for (MigrationMonitor m : monitors) {
        if (!names.contains(m.config().name())) {
          removed.add(m.config().name());
          stopping.add(m);
        }
      }
      stopping.forEach(MigrationMonitor::stop);
      monitors = List.copyOf(fresh);
      now = Map.copyOf(started);
      refresh();
      Change change = new Change(kept, changed, added, removed);
      // new ones whose two sides already run start now; the others when their sides start
      for (MigrationMonitor m : fresh) {
        if (!kept.contains(m.config().name())) {
          startWhenReady(m, now, datasets, scheduler);
        }
      }
      return change;
    }
  }

  /**
   * {@code targets} are being rebuilt or removed: the migrations must no longer use what was built
   * for them.
   */
  public synchronized void forget(Collection<String> targets) {
    started.keySet().removeAll(targets);
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
    for (MigrationMonitor m : monitors()) {
      String s = m.config().source();
      String d = m.config().destination();
      if ((s.equals(target.name()) || d.equals(target.name()))
          && now.containsKey(s)
          && now.containsKey(d)) {
        ready.add(m);
      }
    }
    for (MigrationMonitor m : ready) {
      startWhenReady(m, now, datasets, scheduler);
    }
  }

  /** Starts {@code m} on the sides in {@code now} once its dataset is loaded. */
  private static void startWhenReady(
      MigrationMonitor m,
      Map<String, MigrationMonitor.Endpoint> now,
      Function<String, CompletableFuture<Dataset>> datasets,
      Scheduler scheduler) {
    MigrationMonitor.Endpoint source = now.get(m.config().source());
    MigrationMonitor.Endpoint destination = now.get(m.config().destination());
    if (source == null || destination == null) {
      return;
    }
    CompletableFuture<Dataset> f = datasets.apply(m.config().dataset());
    if (f == null) {
      m.misconfigured("dataset " + m.config().dataset() + " is not configured");
      return;
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
            m.start(source, destination, d, scheduler);
          }
        });
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
  public synchronized void close() {
    monitors.forEach(MigrationMonitor::stop);
  }
}
