package io.vecwatch.agent;

import io.vecwatch.concurrent.DaemonThreads;
import io.vecwatch.concurrent.Scheduler;
import io.vecwatch.config.DatasetConfig;
import io.vecwatch.config.ProbeConfig;
import io.vecwatch.config.TargetConfig;
import io.vecwatch.config.VecwatchConfig;
import io.vecwatch.dataset.Dataset;
import io.vecwatch.errors.Errors;
import io.vecwatch.metrics.AgentMetrics;
import io.vecwatch.migration.Migrations;
import io.vecwatch.stats.OwnSearches;
import io.vecwatch.stats.ProbeStats;
import io.vecwatch.stats.TargetSnapshot;
import io.vecwatch.target.FaultInjection;
import io.vecwatch.target.Target;
import io.vecwatch.target.TargetContext;
import io.vecwatch.target.TargetException;
import io.vecwatch.target.registry.TargetKinds;
import io.vecwatch.telemetry.ReloadableTelemetry;
import io.vecwatch.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's targets and the datasets they need, with one lifecycle: {@link #start} loads datasets
 * and builds every target in the background on a small build pool (never on the event loop), each
 * target starting to be probed as soon as it is built; {@link #stop} stops them all. A target that
 * cannot be built is marked misconfigured with a one-line reason and the others carry on.
 *
 * <p>Each target is built, started and stopped on its own ({@link #buildAndStart(MonitoredTarget)},
 * {@link #stop(MonitoredTarget, Duration)}), so a config reload ({@link #apply}) adds, removes or
 * rebuilds one target without touching the others.
 *
 * <pre>{@code
 * TargetSet targets = TargetSet.create(config, clock, metrics, telemetry, probeScheduler);
 * targets.start(DatasetLoader::load);
 * ...
 * targets.stop(Duration.ofSeconds(2));
 * }</pre>
 */
final class TargetSet {
  private static final Logger LOG = LoggerFactory.getLogger(TargetSet.class);

  private static final long BUILDER_IDLE_SECONDS = 10;

  private volatile VecwatchConfig config;
  private final Clock clock;
  private final Scheduler probeScheduler;
  private final FaultInjection faults;
  private final AgentMetrics metrics;
  private final ReloadableTelemetry telemetry;
  private volatile List<MonitoredTarget> targets;
  private final Map<String, CompletableFuture<Dataset>> datasets = new ConcurrentHashMap<>();
  private final Map<String, DatasetConfig> datasetConfigs = new ConcurrentHashMap<>();
  private final ExecutorService buildPool;
  private volatile DatasetProvider provider;
  private volatile boolean stopped;
  private volatile Migrations migrations;
  private volatile Scheduler migrationScheduler;
  private final AtomicInteger pendingBuilds = new AtomicInteger();

  private final OwnSearches ownSearches;

  private TargetSet(
      VecwatchConfig config,
      Clock clock,
      Scheduler probeScheduler,
      FaultInjection faults,
      AgentMetrics metrics,
      ReloadableTelemetry telemetry,
      List<MonitoredTarget> targets,
      OwnSearches ownSearches) {
    this.ownSearches = ownSearches;
    this.config = config;
    this.clock = clock;
    this.probeScheduler = probeScheduler;
    this.faults = faults;
    this.metrics = metrics;
    this.telemetry = telemetry;
    this.targets = List.copyOf(targets);
    // builders are needed at start and at a reload: idle threads end after a while
    int builders = Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors()));
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            builders,
            builders,
            BUILDER_IDLE_SECONDS,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            DaemonThreads.numbered("vecwatch-build"));
    pool.allowCoreThreadTimeOut(true);
    this.buildPool = pool;
  }

  /**
   * Binds every configured target and probe to {@code metrics} and {@code telemetry}; builds
   * nothing yet.
   *
   * @param ownSearches where database targets count the searches they send (served traffic excludes
   *     them)
   */
  static TargetSet create(
      VecwatchConfig config,
      Clock clock,
      AgentMetrics metrics,
      ReloadableTelemetry telemetry,
      Scheduler probeScheduler,
      FaultInjection faults,
      OwnSearches ownSearches) {
    List<MonitoredTarget> ts = new ArrayList<>();
    for (TargetConfig tc : config.targets()) {
      ts.add(monitor(config, tc, clock, metrics, telemetry));
    }
    return new TargetSet(
        config, clock, probeScheduler, faults, metrics, telemetry, ts, ownSearches);
  }

  /**
   * A target of {@code c} with its probes' statistics, its series registered (state unknown until
   * built).
   */
  private static MonitoredTarget monitor(
      VecwatchConfig c,
      TargetConfig tc,
      Clock clock,
      AgentMetrics metrics,
      ReloadableTelemetry telemetry) {
    long now = clock.monotonicNanos();
    List<MonitoredTarget.Probe> probes = new ArrayList<>();
    for (ProbeConfig pc : TargetPlan.probes(c, tc)) {
      ProbeStats stats =
          ProbeStats.create(
              tc.name(),
              pc.dataset(),
              pc.recallK(),
              pc.window(),
              now,
              metrics.latencyRecorder(tc, pc));
      metrics.bindProbe(tc, pc, stats);
      probes.add(new MonitoredTarget.Probe(pc, stats));
    }
    metrics.bindTarget(tc);
    return new MonitoredTarget(tc, probes, clock, telemetry.probeListener(), telemetry.events());
  }

  /**
   * Applies a reload: stops removed and changed targets (their series go), starts added and changed
   * ones (their datasets loaded first when new or changed), and leaves kept ones running untouched.
   * Returns at once; builds run on the build pool.
   */
  synchronized void apply(VecwatchConfig fresh, TargetPlan plan) {
    Map<String, MonitoredTarget> running = new HashMap<>();
    targets.forEach(t -> running.put(t.config().name(), t));
    List<MonitoredTarget> stopping = new ArrayList<>();
    plan.removed().forEach(n -> stopping.add(running.get(n)));
    plan.changed().forEach(n -> stopping.add(running.get(n)));
    stopping.forEach(t -> metrics.unbindTarget(t.config().name()));
    List<MonitoredTarget> next = new ArrayList<>();
    List<MonitoredTarget> toBuild = new ArrayList<>();
    for (TargetConfig tc : fresh.targets()) {
      if (plan.kept().contains(tc.name())) {
        next.add(running.get(tc.name()));
      } else {
        MonitoredTarget m = monitor(fresh, tc, clock, metrics, telemetry);
        Migrations ms = migrations;
        if (ms != null) {
          share(ms, migrationScheduler, m);
        }
        next.add(m);
        toBuild.add(m);
      }
    }
    config = fresh;
    targets = List.copyOf(next);
    for (MonitoredTarget t : stopping) {
      Thread th =
          new Thread(
              () -> {
                try {
                  stop(t, Duration.ofSeconds(2));
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              },
              "vecwatch-stop-" + t.config().name());
      th.setDaemon(true);
      th.start();
    }
    loadDatasets(fresh);
    toBuild.forEach(this::buildAndStart);
  }

  /**
   * Before a reload is applied: starts loading the datasets of {@code fresh} that are new or
   * changed, so that migrations can wait for them too.
   */
  synchronized void prepare(VecwatchConfig fresh) {
    loadDatasets(fresh);
  }

  /**
   * Loads the datasets of {@code c} that are new or changed; an unchanged one keeps its loaded
   * vectors.
   */
  private void loadDatasets(VecwatchConfig c) {
    for (DatasetConfig dc : c.datasets()) {
      if (dc.equals(datasetConfigs.get(dc.name())) && datasets.containsKey(dc.name())) {
        continue;
      }
      datasetConfigs.put(dc.name(), dc);
      DatasetProvider p = provider;
      datasets.put(dc.name(), CompletableFuture.supplyAsync(() -> loadDataset(p, dc), buildPool));
    }
    Set<String> names = new HashSet<>();
    c.datasets().forEach(d -> names.add(d.name()));
    datasets.keySet().retainAll(names);
    datasetConfigs.keySet().retainAll(names);
  }

  List<MonitoredTarget> all() {
    return targets;
  }

  /**
   * Lets {@code migrations} compare targets: each target's worker pool gets room for their
   * searches, and each started (or misconfigured) target is reported to them.
   */
  void share(Migrations migrations, Scheduler scheduler) {
    this.migrations = migrations;
    this.migrationScheduler = scheduler;
    for (MonitoredTarget t : targets) {
      share(migrations, scheduler, t);
    }
  }

  /**
   * Targets added or rebuilt by a reload are shared the same way (their pools sized for the
   * migrations of the new config, which {@link Migrations#apply} has installed by then).
   */
  private void share(Migrations migrations, Scheduler scheduler, MonitoredTarget t) {
    t.reserveThreads(migrations.concurrencyOn(t.config().name()));
    t.whenStarted((target, pool) -> migrations.sideStarted(target, pool, datasets::get, scheduler));
    t.whenMisconfigured(why -> migrations.sideMisconfigured(t.config().name(), why));
  }

  /** The load of dataset {@code name}; null when it is not configured. */
  CompletableFuture<Dataset> dataset(String name) {
    return datasets.get(name);
  }

  boolean contains(String name) {
    return targets.stream().anyMatch(t -> t.config().name().equals(name));
  }

  /** Every target's snapshot at {@code nowNanos}, in config order. */
  List<TargetSnapshot> snapshots(long nowNanos) {
    List<TargetSnapshot> out = new ArrayList<>(targets.size());
    targets.forEach(t -> out.add(t.snapshot(nowNanos)));
    return out;
  }

  /** Every target was probed or health-checked at least once, or is misconfigured. */
  boolean observed() {
    return targets.stream().allMatch(t -> t.status().isObserved());
  }

  /**
   * Starts loading every dataset and, as soon as a target's datasets are there, builds and starts
   * it.
   */
  void start(DatasetProvider provider) {
    this.provider = provider;
    loadDatasets(config);
    targets.forEach(this::buildAndStart);
  }

  /**
   * Builds {@code t} once the datasets it needs are loaded, then starts probing it; returns at
   * once.
   */
  void buildAndStart(MonitoredTarget t) {
    Set<String> needed = new LinkedHashSet<>();
    t.config().dataset().ifPresent(needed::add);
    t.probes().forEach(p -> needed.add(p.config().dataset()));
    List<CompletableFuture<Dataset>> deps = new ArrayList<>();
    for (String name : needed) {
      deps.add(
          datasets.getOrDefault(
              name,
              CompletableFuture.failedFuture(
                  new TargetException("dataset " + name + " is not configured"))));
    }
    pendingBuilds.incrementAndGet();
    CompletableFuture.allOf(deps.toArray(CompletableFuture[]::new))
        .handleAsync(
            (ok, failure) -> {
              try {
                build(t, failure);
              } catch (RuntimeException | Error e) {
                // never leave a target "unknown" forever because its build died
                LOG.error("building target {} failed", t.config().name(), e);
                t.misconfigured(
                    e instanceof OutOfMemoryError
                        ? "not enough memory to build it (" + e.getMessage() + "): raise -Xmx"
                        : "build failed: " + Errors.describe(e));
                if (e instanceof VirtualMachineError && !(e instanceof OutOfMemoryError)) {
                  throw e;
                }
              } finally {
                if (pendingBuilds.decrementAndGet() == 0 && !stopped) {
                  releaseBuildMemory();
                }
              }
              return null;
            },
            buildPool);
  }

  /**
   * Once every pending build is done: one full collection. Loading datasets (ground truth) and
   * building in-process indexes leave tens of MiB of garbage in the old generation, which the
   * serial collector would otherwise keep (and keep resident) until its next full collection,
   * perhaps hours later; after this one it also shrinks the heap to the live set plus the
   * configured free ratio.
   */
  private static void releaseBuildMemory() {
    System.gc();
  }

  private Dataset loadDataset(DatasetProvider provider, DatasetConfig dc) {
    long t0 = clock.monotonicNanos();
    try {
      Dataset d = provider.load(dc);
      LOG.info(
          "dataset {} ready: {} base vectors, {} queries, dim {}, ground truth depth {} ({} ms)",
          dc.name(),
          d.base().map(v -> Integer.toString(v.count())).orElse("no"),
          d.queries().count(),
          d.dim(),
          d.groundTruthDepth(),
          (clock.monotonicNanos() - t0) / 1_000_000);
      return d;
    } catch (Exception e) {
      throw new CompletionException(
          new TargetException(
              "dataset " + dc.name() + " could not be loaded: " + Errors.describe(e), e));
    } catch (OutOfMemoryError e) {
      throw new CompletionException(
          new TargetException(
              "dataset "
                  + dc.name()
                  + " does not fit in memory ("
                  + e.getMessage()
                  + "): raise -Xmx",
              e));
    }
  }

  private void build(MonitoredTarget t, Throwable datasetFailure) {
    if (stopped) {
      return;
    }
    if (datasetFailure != null) {
      Throwable c =
          datasetFailure instanceof CompletionException && datasetFailure.getCause() != null
              ? datasetFailure.getCause()
              : datasetFailure;
      t.misconfigured(Errors.describe(c));
      return;
    }
    Map<String, Dataset> loaded = loadedDatasets();
    t.config()
        .dataset()
        .map(loaded::get)
        .flatMap(Dataset::base)
        .ifPresent(b -> t.expectedEntities(b.count()));
    long t0 = clock.monotonicNanos();
    Target built;
    try {
      built = TargetKinds.create(t.config(), new Context(loaded));
    } catch (Exception | LinkageError e) {
      t.misconfigured(Errors.describe(e));
      return;
    }
    built
        .expectedEntities()
        .ifPresent(t::expectedEntities); // the target's own setting wins over the dataset
    LOG.info(
        "target {} ({}) built in {} ms",
        t.config().name(),
        t.config().kind(),
        (clock.monotonicNanos() - t0) / 1_000_000);
    if (config.faults().mayDelay(t.config().name())) {
      built = faults.wrap(built);
    }
    t.start(built, loaded, probeScheduler);
  }

  private Map<String, Dataset> loadedDatasets() {
    Map<String, Dataset> m = new HashMap<>();
    datasets.forEach(
        (name, f) -> {
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

    @Override
    public OwnSearches ownSearches() {
      return ownSearches;
    }
  }

  /**
   * Stops probing {@code t}, waiting up to {@code grace} for its searches in flight, and closes it.
   */
  void stop(MonitoredTarget t, Duration grace) throws InterruptedException {
    t.stop(grace);
  }

  /**
   * Stops building, then stops every target in parallel (the grace period is shared rather than
   * summed over targets). Idempotent.
   */
  void stop(Duration grace) {
    stopped = true;
    buildPool.shutdownNow();
    List<Thread> stoppers = new ArrayList<>();
    for (MonitoredTarget t : targets) {
      Thread th =
          new Thread(
              () -> {
                try {
                  stop(t, grace);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              },
              "vecwatch-stop-" + t.config().name());
      th.start();
      stoppers.add(th);
    }
    for (Thread th : stoppers) {
      try {
        th.join(grace.toMillis() + 1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
  }
}
