package io.vecwatch.loadtest;

import io.vecwatch.dataset.Dataset;
import io.vecwatch.probe.Recall;
import io.vecwatch.target.FaultInjection;
import io.vecwatch.target.MultiConnection;
import io.vecwatch.target.SearchResult;
import io.vecwatch.target.Target;
import io.vecwatch.target.Tunable;
import io.vecwatch.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;

/**
 * One {@code vecwatch bench load} run against one target: a closed-loop concurrency sweep,
 * open-loop rate steps with a capacity search, and a search-parameter sweep, within the guard rails
 * of {@link LoadSettings}. {@link #stop()} (Ctrl-C) ends the run at the next search; {@link #run()}
 * then returns what was measured.
 *
 * <pre>{@code
 * LoadTest t = new LoadTest(target, dataset, List.of(10, 100), Duration.ofSeconds(1), Objective.DEFAULT,
 *     LoadSettings.defaults(), Clock.system(), Progress.NONE);
 * LoadReport r = t.run();
 * }</pre>
 *
 * <p><b>Capacity.</b> Open-loop rates start at {@code start_rate} (default: half the best
 * closed-loop QPS) and grow by {@code growth} until a step breaks the latency or error objective or
 * delivers less than 95 % of the offered rate. Then the interval between the last rate that held
 * and the first that broke is halved until the broken rate is within {@code precision} of the held
 * one. The capacity is the highest rate that held; the report gives the remaining gap as its
 * precision. If the first rate already breaks, rates are lowered by {@code growth} until one holds.
 */
public final class LoadTest {
  private final Target target;
  private final TargetPool pool;
  private final Dataset dataset;
  private final Recall recall;
  private final Objective objective;
  private final LoadSettings settings;
  private final Clock clock;
  private final Progress progress;
  private final Guard guard;
  private final LoadDriver driver;
  private final List<StepResult> steps = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();
  private volatile GeneratorOverhead generator;
  private LongSupplier compilerMillis = JitActivity.compilerMillis();

  public LoadTest(
      Target target,
      Dataset dataset,
      List<Integer> recallKs,
      Duration timeout,
      Objective objective,
      LoadSettings settings,
      Clock clock,
      Progress progress) {
    this(
        TargetPool.shared(target),
        dataset,
        recallKs,
        timeout,
        objective,
        settings,
        clock,
        progress);
  }

  /**
   * A run whose workers each search through a connection of their own where {@code target} can open
   * more ({@link MultiConnection}, e.g. Milvus: one client per worker, at most {@code
   * maxConnections}); {@code decorate} is applied to each new connection (an injected delay).
   */
  public LoadTest(
      Target target,
      UnaryOperator<Target> decorate,
      int maxConnections,
      Duration readyTimeout,
      Dataset dataset,
      List<Integer> recallKs,
      Duration timeout,
      Objective objective,
      LoadSettings settings,
      Clock clock,
      Progress progress) {
    this(
        TargetPool.of(
            target,
            decorate,
            maxConnections,
            readyTimeout,
            dataset.queries().row(0),
            searchK(dataset, recallKs, objective),
            clock),
        dataset,
        recallKs,
        timeout,
        objective,
        settings,
        clock,
        progress);
  }

  private LoadTest(
      TargetPool pool,
      Dataset dataset,
      List<Integer> recallKs,
      Duration timeout,
      Objective objective,
      LoadSettings settings,
      Clock clock,
      Progress progress) {
    this.pool = pool;
    this.target = pool.primary();
    this.dataset = dataset;
    List<Integer> ks = new ArrayList<>(recallKs);
    if (!ks.contains(objective.recallK())) {
      ks.add(objective.recallK());
    }
    this.recall = Recall.of(dataset, ks);
    this.objective = objective;
    this.settings = settings;
    this.clock = clock;
    this.progress = progress;
    this.guard = new Guard(clock, settings.requestBudget(), settings.maxDuration().toNanos());
    this.driver = new LoadDriver(dataset, recall, timeout.toNanos(), clock, guard);
  }

  /**
   * Stops the run at the next search; {@link #run()} returns the partial report. Safe from any
   * thread.
   */
  public void stop(String reason) {
    guard.stop(reason);
  }

  /** Where the warm-up reads the JIT compiler's accumulated compile time (tests replace it). */
  void compilerMillis(LongSupplier source) {
    this.compilerMillis = source;
  }

  /** Whether the run was stopped (interrupt, budget or deadline). */
  public boolean stopped() {
    return guard.stopped();
  }

  private static int searchK(Dataset dataset, List<Integer> recallKs, Objective objective) {
    List<Integer> ks = new ArrayList<>(recallKs);
    ks.add(objective.recallK());
    return Recall.of(dataset, ks).searchK();
  }

  /**
   * Runs every phase (or what the guard rails allow) and returns the report. Connections opened for
   * the workers are closed before it returns.
   */
  public LoadReport run() {
    Instant started = Instant.ofEpochMilli(clock.wallMillis());
    long t0 = clock.monotonicNanos();
    try {
      generator = calibrate();
      warmUp();
      if (settings.phases().contains("closed")) {
        closedSweep();
      }
      if (settings.phases().contains("open")) {
        capacitySearch();
      }
      if (settings.phases().contains("params")) {
        parameterSweep();
      }
    } catch (InterruptedException e) {
      guard.stop("interrupted");
      Thread.currentThread().interrupt();
    } finally {
      connectionNotes();
      pool.close();
    }
    return report(started, (clock.monotonicNanos() - t0) / 1e9);
  }

  /** The report of what has been measured so far. */
  public synchronized LoadReport report(Instant started, double seconds) {
    List<StepResult> all = List.copyOf(steps);
    // capacity
    Double capacity = null;
    Double precision = null;
    boolean capped = false;
    double held = 0;
    double broke = Double.POSITIVE_INFINITY;
    for (StepResult s : all) {
      if (s.mode() == Mode.OPEN && s.complete()) {
        if (s.holds()) {
          held = Math.max(held, s.offeredRps());
        } else {
          broke = Math.min(broke, s.offeredRps());
        }
      }
    }
    if (held > 0) {
      capacity = held;
      if (broke < Double.POSITIVE_INFINITY && broke > held) {
        precision = broke / held - 1;
      } else {
        capped = held >= settings.maxRate();
      }
    }
    // knee of the closed loop
    List<StepResult> closed =
        all.stream().filter(s -> s.mode() == Mode.CLOSED && s.requests() > 0).toList();
    Double maxClosed =
        closed.stream().mapToDouble(StepResult::achievedRps).max().stream()
            .boxed()
            .findFirst()
            .orElse(null);
    Integer knee =
        maxClosed == null
            ? null
            : closed.stream()
                .filter(s -> s.achievedRps() >= 0.9 * maxClosed)
                .mapToInt(StepResult::concurrency)
                .min()
                .orElseThrow();
    // parameter sweep
    List<StepResult> params =
        all.stream().filter(s -> s.mode() == Mode.PARAMS && s.requests() > 0).toList();
    String parameter = params.isEmpty() ? null : params.get(0).params().keySet().iterator().next();
    List<Map<String, Integer>> pareto = new ArrayList<>();
    double bestRecall = Double.NEGATIVE_INFINITY;
    for (StepResult s :
        params.stream()
            .sorted(Comparator.comparingDouble(StepResult::achievedRps).reversed())
            .toList()) {
      double r = s.recall().getOrDefault(objective.recallK(), Double.NaN);
      if (r > bestRecall) {
        pareto.add(s.params());
        bestRecall = r;
      }
    }
    Map<String, Integer> recommended =
        params.stream()
            .filter(StepResult::holds)
            .max(Comparator.comparingDouble(StepResult::achievedRps))
            .map(StepResult::params)
            .orElse(null);
    String reason = guard.stopReason();
    return new LoadReport(
        target.name(),
        target.kind(),
        dataset.name(),
        started,
        seconds,
        objective,
        settings,
        all,
        capacity,
        precision,
        capped,
        parameter,
        recommended,
        pareto,
        knee,
        maxClosed,
        generator,
        reason == null,
        reason,
        List.copyOf(notes));
  }

  private GeneratorOverhead calibrate() throws InterruptedException {
    Guard own = new Guard(clock, Long.MAX_VALUE, Duration.ofSeconds(10).toNanos());
    LoadDriver d = new LoadDriver(dataset, recall, Long.MAX_VALUE, clock, own);
    // the answers are keyed by the very arrays this driver sends (rows are copies per driver)
    float[][] rows = d.queryRows();
    Map<float[], SearchResult> answers = new IdentityHashMap<>();
    for (int q = 0; q < rows.length; q++) {
      int[] gt = dataset.groundTruth(q);
      long[] ids = new long[recall.searchK()];
      for (int i = 0; i < ids.length; i++) {
        ids[i] = dataset.keyOf(gt[i]);
      }
      answers.put(rows[q], new SearchResult(ids, new float[0]));
    }
    Target noop =
        new Target() {
          @Override
          public String name() {
            return "noop";
          }

          @Override
          public String kind() {
            return "noop";
          }

          @Override
          public SearchResult search(float[] query, int k) {
            return answers.get(query);
          }
        };
    int threads = Runtime.getRuntime().availableProcessors();
    long cpu0 = LoadDriver.processCpuNanos();
    StepResult r =
        d.closed(Mode.CLOSED, List.of(noop), threads, 200_000_000L, 800_000_000L, Map.of());
    long cpu = LoadDriver.processCpuNanos() - cpu0;
    if (r.errorRatio() > 0) {
      // the figures below would be those of the failure path, not of the generator's work
      note(
          String.format(
              Locale.ROOT,
              "generator calibration: %.1f %% of its no-op searches failed",
              r.errorRatio() * 100));
    }
    double perRequest =
        r.requests() == 0 ? Double.NaN : cpu / 1e3 / (r.requests() * 1.25); // warm-up is 1/4 extra
    return new GeneratorOverhead(threads, r.achievedRps(), perRequest, 1e6 / perRequest);
  }

  /**
   * The run's first warm-up, at the first closed-loop level: reported as progress, not in the
   * report. It lasts {@code first_warmup}, then goes on in short rounds while the JIT compiler is
   * still busy (more than {@link JitActivity#SETTLED_SHARE} of the round's time spent compiling),
   * for at most twice {@code first_warmup} more: otherwise the first steps would measure a client
   * whose code is still being compiled, on compiler threads that take CPU from it and from the
   * server. The report notes an extension, and a compiler still busy at its end.
   */
  private void warmUp() throws InterruptedException {
    long nanos = settings.firstWarmup().toNanos();
    if (nanos <= 0 || settings.phases().isEmpty()) {
      return;
    }
    int c = settings.levels().isEmpty() ? 1 : settings.levels().get(0);
    List<Target> workers = pool.forWorkers(c);
    String label = "warm-up c=" + c;
    long round = Math.max(100_000_000L, Math.min(1_000_000_000L, nanos / 10));
    progress.stepStarted(label, nanos);
    if (nanos > 2 * round) {
      driver.closed(Mode.CLOSED, workers, c, 0, nanos - round, Map.of());
    }
    // how busy the compiler is: over the warm-up's last round
    long t0 = clock.monotonicNanos();
    long compiled = compilerMillis.getAsLong();
    StepResult r =
        driver.closed(Mode.CLOSED, workers, c, 0, nanos > 2 * round ? round : nanos, Map.of());
    long now = compilerMillis.getAsLong();
    double share = jitShare(compiled, now, t0);
    compiled = now;
    progress.stepFinished(label, r.withHolds(objective.latencyAndErrorsHold(r)));
    long cap = 2 * nanos;
    long extra = 0;
    int rounds = 0;
    boolean announced = false;
    while (compiled >= 0 && share >= JitActivity.SETTLED_SHARE && extra < cap && !guard.stopped()) {
      if (!announced) {
        progress.stepStarted(label + " until the JIT compiler settles", cap);
        announced = true;
      }
      t0 = clock.monotonicNanos();
      r = driver.closed(Mode.CLOSED, workers, c, 0, round, Map.of());
      extra += Math.max(1, clock.monotonicNanos() - t0);
      rounds++;
      now = compilerMillis.getAsLong();
      share = jitShare(compiled, now, t0);
      compiled = now;
    }
    if (announced) {
      progress.stepFinished(
          label + " until the JIT compiler settles",
          r.withHolds(objective.latencyAndErrorsHold(r)));
    }
    if (extra > 0 && share >= JitActivity.SETTLED_SHARE) {
      note(
          String.format(
              Locale.ROOT,
              "warm-up: the JIT compiler was still busy after %.1f s (%.0f %% of its last round"
                  + " compiling): the first steps were measured while the client's code was"
                  + " still being compiled; a longer --first-warmup avoids that",
              (nanos + extra) / 1e9,
              share * 100));
    } else if (rounds > 0) {
      note(
          String.format(
              Locale.ROOT,
              "warm-up: extended from %.1f s to %.1f s until the JIT compiler settled",
              nanos / 1e9,
              (nanos + extra) / 1e9));
    }
  }

  /**
   * The share of the time since {@code t0} the compiler spent compiling ({@code now - before} ms).
   */
  private double jitShare(long before, long now, long t0) {
    long elapsed = Math.max(1, clock.monotonicNanos() - t0);
    return before < 0 || now < 0 ? 0 : (now - before) * 1e6 / elapsed;
  }

  private void closedSweep() throws InterruptedException {
    for (int c : settings.levels()) {
      if (guard.stopped()) {
        return;
      }
      List<Target> workers = pool.forWorkers(c);
      step(
          "closed c=" + c,
          () -> driver.closed(Mode.CLOSED, workers, c, warmup(), measure(), Map.of()));
    }
  }

  private void capacitySearch() throws InterruptedException {
    double start = settings.startRate();
    if (start <= 0) {
      double best =
          steps(Mode.CLOSED).stream().mapToDouble(StepResult::achievedRps).max().orElse(0);
      start = best > 0 ? best / 2 : 10;
    }
    double rate = Math.min(start, settings.maxRate());
    double held = 0;
    double broke = Double.POSITIVE_INFINITY;
    while (!guard.stopped()) { // up until it breaks (or down until one holds)
      StepResult s = openStep(rate);
      if (!s.complete()) {
        return;
      }
      if (s.holds()) {
        held = rate;
        if (broke < Double.POSITIVE_INFINITY || rate >= settings.maxRate()) {
          break;
        }
        rate = Math.min(rate * settings.growth(), settings.maxRate());
      } else {
        broke = rate;
        if (held > 0) {
          break;
        }
        rate = rate / settings.growth();
        if (rate < 0.1) {
          return; // nothing holds even at a trickle
        }
      }
    }
    while (!guard.stopped()
        && held > 0
        && broke < Double.POSITIVE_INFINITY
        && broke / held - 1 > settings.precision()) {
      double mid = (held + broke) / 2;
      StepResult s = openStep(mid);
      if (!s.complete()) {
        return;
      }
      if (s.holds()) {
        held = mid;
      } else {
        broke = mid;
      }
    }
  }

  private StepResult openStep(double rate) throws InterruptedException {
    List<Target> workers = pool.forWorkers(settings.openWorkers());
    return step(
        String.format(Locale.ROOT, "open %.1f/s", rate),
        () -> driver.open(workers, rate, settings.openWorkers(), warmup(), measure()));
  }

  private void parameterSweep() throws InterruptedException {
    Tunable tunable = tunable(target).orElse(null);
    List<String> names = tunable == null ? List.of() : tunable.tunableParameters();
    String p =
        settings.parameter().isEmpty()
            ? (names.isEmpty() ? "" : names.get(0))
            : settings.parameter();
    if (p.isEmpty()) {
      note(
          "parameter sweep skipped: target "
              + target.name()
              + " ("
              + target.kind()
              + ") has no search parameter vecwatch can vary");
      return;
    }
    if (!names.contains(p)) {
      note(
          "parameter sweep skipped: target "
              + target.name()
              + " has no search parameter "
              + p
              + " (it has "
              + (names.isEmpty() ? "none" : String.join(", ", names))
              + ")");
      return;
    }
    List<Integer> values = settings.values().isEmpty() ? defaultValues(p) : settings.values();
    int c = settings.paramConcurrency();
    if (c <= 0) {
      c =
          steps(Mode.CLOSED).stream()
              .max(Comparator.comparingDouble(StepResult::achievedRps))
              .map(StepResult::concurrency)
              .orElse(10);
    }
    int concurrency = c;
    List<Target> connections = pool.forWorkers(concurrency);
    for (int v : values) {
      if (guard.stopped()) {
        return;
      }
      List<Target> tuned;
      try {
        tuned = tuned(connections, p, v);
      } catch (Exception e) {
        note("parameter sweep: " + p + "=" + v + " skipped: " + e.getMessage());
        continue;
      }
      step(
          "params " + p + "=" + v + " c=" + concurrency,
          () -> driver.closed(Mode.PARAMS, tuned, concurrency, warmup(), measure(), Map.of(p, v)));
    }
  }

  /** Each worker's connection searching with {@code p = v}; shared connections stay shared. */
  private static List<Target> tuned(List<Target> connections, String p, int v) throws Exception {
    Map<Target, Target> views = new IdentityHashMap<>();
    List<Target> out = new ArrayList<>(connections.size());
    for (Target t : connections) {
      Target view = views.get(t);
      if (view == null) {
        view = tunable(t).orElseThrow().withParameter(p, v);
        views.put(t, view);
      }
      out.add(view);
    }
    return out;
  }

  private static Optional<Tunable> tunable(Target t) {
    return t instanceof Tunable u
        ? Optional.of(u)
        : FaultInjection.unwrap(t).filter(Tunable.class::isInstance).map(Tunable.class::cast);
  }

  /** Says in the report how the workers reached a remote target. */
  private void connectionNotes() {
    if (!pool.multiConnection()) {
      return;
    }
    String problem = pool.problem();
    note(
        "each worker searched through its own connection ("
            + pool.size()
            + " opened"
            + (problem == null ? "" : "; " + problem + "; workers shared the others")
            + ")");
  }

  /**
   * {@code ef} below the number of hits asked for is rejected by Milvus and means {@code k} to
   * Lucene.
   */
  private List<Integer> defaultValues(String p) {
    if (!"ef".equals(p)) {
      return "nprobe".equals(p) ? LoadSettings.DEFAULT_NPROBE : List.of();
    }
    int k = recall.searchK();
    List<Integer> v = new ArrayList<>(List.of(k));
    LoadSettings.DEFAULT_EF.stream().filter(e -> e > k).forEach(v::add);
    return v;
  }

  private synchronized void note(String n) {
    notes.add(n);
  }

  private long warmup() {
    return settings.warmup().toNanos();
  }

  private long measure() {
    return settings.step().toNanos();
  }

  private synchronized List<StepResult> steps(Mode mode) {
    return steps.stream().filter(s -> s.mode() == mode).toList();
  }

  private interface StepRun {
    StepResult run() throws InterruptedException;
  }

  private StepResult step(String label, StepRun body) throws InterruptedException {
    progress.stepStarted(label, warmup() + measure());
    StepResult r = body.run();
    boolean holds = objective.latencyAndErrorsHold(r) && r.complete();
    if (r.mode() == Mode.OPEN) {
      holds &= r.achievedRps() >= 0.95 * r.offeredRps();
    } else {
      holds &= objective.recallHolds(r);
    }
    r = r.withHolds(holds);
    GeneratorOverhead g = generator;
    if (g != null && r.achievedRps() >= 0.5 * g.requestsPerSecondPerCore() * g.threads()) {
      r = r.withLimit(ClientLimit.NEAR_GENERATOR_LIMIT);
    }
    if (r.requests() > 0) {
      synchronized (this) {
        steps.add(r);
      }
    }
    progress.stepFinished(label, r);
    return r;
  }
}
