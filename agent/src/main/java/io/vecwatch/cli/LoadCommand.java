package io.vecwatch.cli;

import io.vecwatch.config.ConfigLoader;
import io.vecwatch.config.DatasetConfig;
import io.vecwatch.config.ProbeConfig;
import io.vecwatch.config.TargetConfig;
import io.vecwatch.config.VecwatchConfig;
import io.vecwatch.dataset.Dataset;
import io.vecwatch.dataset.load.DatasetLoader;
import io.vecwatch.loadtest.LoadReport;
import io.vecwatch.loadtest.LoadSettings;
import io.vecwatch.loadtest.LoadTest;
import io.vecwatch.loadtest.Objective;
import io.vecwatch.loadtest.Progress;
import io.vecwatch.loadtest.ReportHtml;
import io.vecwatch.loadtest.ReportJson;
import io.vecwatch.loadtest.StepResult;
import io.vecwatch.target.FaultInjection;
import io.vecwatch.target.Target;
import io.vecwatch.target.TargetContext;
import io.vecwatch.target.registry.TargetKinds;
import io.vecwatch.time.Clock;
import io.vecwatch.time.Durations;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vecwatch bench load}: capacity of one configured target under load (closed-loop
 * concurrency sweep, open-loop capacity search, search-parameter sweep), written as {@code
 * report.json} and {@code report.html}. Sends load only to the target named; the agent ({@code
 * run}) never does this.
 */
@Command(
    name = "load",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Measure how much search load one configured target sustains, with the agent's dataset, ground truth and "
          + "recall code. Writes DIR/report.json, DIR/report.html and PNG plots.",
      "Phases: closed (N workers back to back, per concurrency level), open (fixed arrival rates, latency from "
          + "each request's intended start; rates grow until the objective breaks, then bisect: the capacity), "
          + "params (recall vs QPS per HNSW ef / IVF nprobe value; Pareto front and a recommendation).",
      "Ctrl-C stops at the next search and still writes the report of what was measured."
    },
    footer = {
      "",
      "Feed the capacity to the agent: capacity_from_report: {NAME: DIR/report.json} in its config."
    })
final class LoadCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--config",
      required = true,
      paramLabel = "FILE",
      description = "The agent's config file.")
  Path config;

  @Option(
      names = "--target",
      required = true,
      paramLabel = "NAME",
      description = "The target to load (only this one).")
  String targetName;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "DIR",
      description = "Where the report is written.")
  Path out;

  @Option(
      names = "--levels",
      split = ",",
      paramLabel = "N,N,...",
      description = "Closed-loop concurrency levels (default: 1,5,10,20,40,80).")
  List<Integer> levels;

  @Option(
      names = "--warmup",
      defaultValue = "2s",
      paramLabel = "DURATION",
      description = "Per step, sent but not measured (default: ${DEFAULT-VALUE}).")
  String warmup;

  @Option(
      names = "--first-warmup",
      defaultValue = "10s",
      paramLabel = "DURATION",
      description =
          "Once before the first step, sent but not measured, so the first step is not measured"
              + " cold (default: ${DEFAULT-VALUE}); extended in short rounds while the JIT compiler"
              + " is still busy, by up to twice this, as the report's notes say.")
  String firstWarmup;

  @Option(
      names = "--step",
      defaultValue = "10s",
      paramLabel = "DURATION",
      description = "Measured time per step (default: ${DEFAULT-VALUE}).")
  String step;

  @Option(
      names = "--phases",
      split = ",",
      paramLabel = "PHASE,...",
      description = "Which phases run: closed, open, params (default: all three).")
  List<String> phases;

  @Option(
      names = "--open-workers",
      defaultValue = "256",
      paramLabel = "N",
      description =
          "Threads serving open-loop arrivals, i.e. most searches in flight (default: ${DEFAULT-VALUE}).")
  int openWorkers;

  @Option(
      names = "--start-rate",
      defaultValue = "0",
      paramLabel = "RPS",
      description = "First open-loop rate (default: half the best closed-loop rate).")
  double startRate;

  @Option(
      names = "--growth",
      defaultValue = "1.5",
      paramLabel = "X",
      description = "Factor between open-loop rates until one breaks (default: ${DEFAULT-VALUE}).")
  double growth;

  @Option(
      names = "--precision",
      defaultValue = "0.05",
      paramLabel = "RATIO",
      description =
          "Bisect until the broken rate is within this share of the held one (default: ${DEFAULT-VALUE}).")
  double precision;

  @Option(
      names = "--max-rate",
      defaultValue = "100000",
      paramLabel = "RPS",
      description = "No step offers more than this (default: ${DEFAULT-VALUE}).")
  double maxRate;

  @Option(
      names = "--max-duration",
      defaultValue = "30m",
      paramLabel = "DURATION",
      description = "The whole run stops after this (default: ${DEFAULT-VALUE}).")
  String maxDuration;

  @Option(
      names = "--max-requests",
      defaultValue = "10000000",
      paramLabel = "N",
      description = "The whole run sends at most this many searches (default: ${DEFAULT-VALUE}).")
  long maxRequests;

  @Option(
      names = "--param",
      paramLabel = "NAME",
      description =
          "Search parameter to sweep: ef (HNSW) or nprobe (IVF) (default: the target's own, if any).")
  String param;

  @Option(
      names = "--param-values",
      split = ",",
      paramLabel = "V,V,...",
      description = "Its values (default: ef k,128,256,512 above k; nprobe 1,2,4,...,128).")
  List<Integer> paramValues;

  @Option(
      names = "--param-concurrency",
      defaultValue = "0",
      paramLabel = "N",
      description =
          "Concurrency of the parameter sweep (default: the level with the best closed-loop QPS).")
  int paramConcurrency;

  @Option(
      names = "--p99",
      defaultValue = "100ms",
      paramLabel = "DURATION",
      description = "Objective: P99 at most this (default: ${DEFAULT-VALUE}).")
  String p99;

  @Option(
      names = "--recall",
      defaultValue = "0.95",
      paramLabel = "RATIO",
      description = "Objective: mean recall@K at least this (default: ${DEFAULT-VALUE}).")
  double recall;

  @Option(
      names = "--recall-k",
      defaultValue = "10",
      paramLabel = "K",
      description = "Objective: the K of that recall (default: ${DEFAULT-VALUE}).")
  int recallK;

  @Option(
      names = "--error-ratio",
      defaultValue = "0.001",
      paramLabel = "RATIO",
      description = "Objective: errors + timeouts at most this share (default: ${DEFAULT-VALUE}).")
  double errorRatio;

  @Option(
      names = "--max-connections",
      defaultValue = "100",
      paramLabel = "N",
      description =
          "A remote target (Milvus) gets one client connection per worker, as one client process per"
              + " worker would; at most this many, beyond that workers share them (default:"
              + " ${DEFAULT-VALUE}).")
  int maxConnections;

  @Option(
      names = "--ready-timeout",
      defaultValue = "60s",
      paramLabel = "DURATION",
      description = "How long to wait for the target's first answer (default: ${DEFAULT-VALUE}).")
  String readyTimeout;

  Clock clock = Clock.system();

  /** Where tests reach the running test (to interrupt it); null outside tests. */
  Consumer<LoadTest> started;

  @Override
  public Integer call() throws Exception {
    LoadSettings settings = settings();
    Objective objective = objective();
    Duration ready = duration("--ready-timeout", readyTimeout);
    VecwatchConfig cfg = ConfigLoader.withSystemEnv(TargetKinds.lookup()).load(config);
    TargetConfig tc =
        cfg.targets().stream()
            .filter(t -> t.name().equals(targetName))
            .findFirst()
            .orElseThrow(
                () ->
                    new UserException(
                        "--target: no target named \""
                            + targetName
                            + "\" in "
                            + config
                            + " (known: "
                            + cfg.targets().stream()
                                .map(TargetConfig::name)
                                .collect(Collectors.joining(", "))
                            + ")"));
    ProbeConfig probe =
        cfg.probes().stream()
            .filter(p -> p.target().equals(targetName))
            .findFirst()
            .orElseThrow(
                () ->
                    new UserException(
                        "--target: target \""
                            + targetName
                            + "\" has no dataset to draw "
                            + "queries and ground truth from; give it a dataset (or a probe with one) in "
                            + config));
    DatasetConfig dc =
        cfg.datasets().stream()
            .filter(d -> d.name().equals(probe.dataset()))
            .findFirst()
            .orElseThrow();
    try {
      Files.createDirectories(out);
    } catch (IOException e) {
      throw new UserException("--out: cannot create " + out + ": " + e.getMessage());
    }
    PrintWriter o = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    o.printf(Locale.ROOT, "loading dataset %s ...%n", dc.name());
    o.flush();
    Dataset dataset;
    try {
      dataset = DatasetLoader.load(dc);
    } catch (Exception e) {
      throw new UserException(
          "dataset " + dc.name() + " could not be loaded: " + e.getMessage(), e);
    }
    int depth = dataset.groundTruthDepth();
    if (recallK > depth) {
      throw new UserException(
          "--recall-k: "
              + recallK
              + " exceeds the ground-truth depth "
              + depth
              + " of dataset "
              + dataset.name());
    }
    o.printf(Locale.ROOT, "building target %s (%s) ...%n", tc.name(), tc.kind());
    o.flush();
    Target target;
    try {
      target =
          TargetKinds.create(
              tc,
              new TargetContext() {
                @Override
                public Optional<Dataset> dataset(String name) {
                  return name.equals(dataset.name()) ? Optional.of(dataset) : Optional.empty();
                }

                @Override
                public Clock clock() {
                  return clock;
                }
              });
    } catch (Exception e) {
      throw new UserException("target " + tc.name() + " could not be built: " + e.getMessage(), e);
    }
    Map<String, Duration> delays = cfg.faults().delays();
    UnaryOperator<Target> decorate = UnaryOperator.identity();
    if (delays.containsKey(tc.name())) {
      FaultInjection faults = FaultInjection.of(Map.of(tc.name(), delays.get(tc.name())));
      decorate = faults::wrap;
      target = faults.wrap(target);
    }
    try (Target t = target) {
      awaitReady(t, dataset, probe.searchK(), ready);
      return sweep(t, decorate, ready, dataset, probe, objective, settings, o, err);
    }
  }

  private int sweep(
      Target t,
      UnaryOperator<Target> decorate,
      Duration ready,
      Dataset dataset,
      ProbeConfig probe,
      Objective objective,
      LoadSettings settings,
      PrintWriter o,
      PrintWriter err)
      throws UserException {
    Progress progress =
        System.console() != null ? new ProgressBar(err, clock) : new PlainProgress(o);
    LoadTest test =
        new LoadTest(
            t,
            decorate,
            maxConnections,
            ready,
            dataset,
            probe.recallK(),
            probe.timeout(),
            objective,
            settings,
            clock,
            progress);
    CountDownLatch written = new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              test.stop("interrupted (Ctrl-C)");
              try {
                written.await(30, TimeUnit.SECONDS); // let the main thread write what was measured
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "vecwatch-load-interrupt");
    Runtime.getRuntime().addShutdownHook(hook);
    if (started != null) {
      started.accept(test);
    }
    Instant begin = Instant.ofEpochMilli(clock.wallMillis());
    LoadReport report;
    try {
      report = test.run();
      write(report);
    } catch (RuntimeException e) {
      // a bug mid-run: still keep what was measured
      try {
        write(test.report(begin, 0));
      } catch (UserException ignored) {
        // the first failure is the one to show
      }
      throw e;
    } finally {
      written.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // Ctrl-C: the hook is running and waits for the count-down above
      }
    }
    verdict(report, o);
    return report.complete() || report.stopReason().startsWith("the ") ? 0 : 130;
  }

  private void write(LoadReport report) throws UserException {
    try {
      ReportJson.write(report, out.resolve("report.json"));
      ReportHtml.write(report, out);
    } catch (IOException e) {
      throw new UserException(
          "--out: cannot write the report into " + out + ": " + e.getMessage(), e);
    }
  }

  private void verdict(LoadReport r, PrintWriter o) {
    if (!r.complete()) {
      o.printf(
          Locale.ROOT, "stopped early: %s; the report holds what was measured%n", r.stopReason());
    }
    if (r.capacityRps() != null) {
      o.printf(
          Locale.ROOT,
          "capacity: %.1f requests/s%s%n",
          r.capacityRps(),
          r.capacityPrecision() != null
              ? String.format(Locale.ROOT, " (precise to %.1f %%)", r.capacityPrecision() * 100)
              : r.capacityCapped() ? " or more (capped by --max-rate)" : "");
    } else {
      o.println(
          "capacity: not found (no open-loop rate held the objective, or the open loop did not run)");
    }
    if (r.kneeConcurrency() != null) {
      o.printf(
          Locale.ROOT,
          "closed loop: best %.1f requests/s; knee at concurrency %d%n",
          r.maxClosedRps(),
          r.kneeConcurrency());
    }
    if (r.recommendedParams() != null) {
      o.printf(
          Locale.ROOT,
          "recommended: %s%n",
          r.recommendedParams().entrySet().stream()
              .map(e -> e.getKey() + "=" + e.getValue())
              .collect(Collectors.joining(", ")));
    } else if (r.parameter() != null) {
      o.printf(Locale.ROOT, "recommended: none (no %s value met the objective)%n", r.parameter());
    }
    r.notes().forEach(n -> o.println("note: " + n));
    o.printf(
        Locale.ROOT, "wrote %s and %s%n", out.resolve("report.json"), out.resolve("report.html"));
    if (r.capacityRps() != null) {
      o.printf(
          Locale.ROOT,
          "agent config:%n  capacity_from_report:%n    %s: %s%n",
          r.target(),
          out.resolve("report.json").toAbsolutePath());
    }
    o.flush();
  }

  /**
   * Connecting targets (Milvus) answer once connected: retry one search until it works or time runs
   * out.
   */
  private void awaitReady(Target t, Dataset dataset, int k, Duration timeout) throws UserException {
    long deadline = clock.monotonicNanos() + timeout.toNanos();
    float[] q = dataset.queries().row(0);
    Exception last = null;
    long pause = 50_000_000L;
    while (clock.monotonicNanos() < deadline) {
      try {
        t.search(q, k);
        return;
      } catch (Exception e) {
        last = e;
      }
      try {
        TimeUnit.NANOSECONDS.sleep(pause); // a connecting client: back off, never spin
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new UserException("interrupted while waiting for target " + t.name());
      }
      pause = Math.min(pause * 2, 1_000_000_000L);
    }
    throw new UserException(
        "target "
            + t.name()
            + " did not answer a search within "
            + Durations.format(timeout)
            + (last == null ? "" : ": " + last.getMessage()));
  }

  private LoadSettings settings() throws UserException {
    List<Integer> l = levels == null ? LoadSettings.DEFAULT_LEVELS : levels;
    if (l.isEmpty() || l.stream().anyMatch(c -> c < 1 || c > 10_000)) {
      throw new UserException("--levels: each level must be between 1 and 10000, got " + l);
    }
    List<String> ph = phases == null ? LoadSettings.ALL_PHASES : phases;
    for (String p : ph) {
      if (!LoadSettings.ALL_PHASES.contains(p)) {
        throw new UserException(
            "--phases: unknown phase \"" + p + "\" (known: closed, open, params)");
      }
    }
    if (openWorkers < 1 || openWorkers > 10_000) {
      throw new UserException("--open-workers: must be between 1 and 10000, got " + openWorkers);
    }
    if (!(growth > 1) || growth > 10) {
      throw new UserException("--growth: must be above 1 and at most 10, got " + growth);
    }
    if (!(precision > 0) || precision >= 1) {
      throw new UserException("--precision: must be above 0 and below 1, got " + precision);
    }
    if (!(maxRate > 0) || startRate < 0 || startRate > maxRate) {
      throw new UserException(
          "--max-rate must be positive and --start-rate between 0 and it, got "
              + maxRate
              + " and "
              + startRate);
    }
    if (maxConnections < 1 || maxConnections > 10_000) {
      throw new UserException(
          "--max-connections: must be between 1 and 10000, got " + maxConnections);
    }
    if (maxRequests < 1) {
      throw new UserException("--max-requests: must be positive, got " + maxRequests);
    }
    if (paramValues != null && paramValues.stream().anyMatch(v -> v < 1)) {
      throw new UserException("--param-values: each value must be positive, got " + paramValues);
    }
    if (param != null && !List.of("ef", "nprobe").contains(param)) {
      throw new UserException("--param: must be ef or nprobe, got \"" + param + "\"");
    }
    if (paramConcurrency < 0) {
      throw new UserException("--param-concurrency: must not be negative, got " + paramConcurrency);
    }
    Duration w = duration("--warmup", warmup);
    Duration s = duration("--step", step);
    if (s.isZero()) {
      throw new UserException("--step: must be positive");
    }
    return LoadSettings.defaults()
        .withLevels(l)
        .withTiming(w, s)
        .withFirstWarmup(duration("--first-warmup", firstWarmup))
        .withOpenLoop(openWorkers, startRate, growth, precision)
        .withGuards(maxRate, duration("--max-duration", maxDuration), maxRequests)
        .withParameterSweep(
            param == null ? "" : param,
            paramValues == null ? List.of() : paramValues,
            paramConcurrency)
        .withPhases(ph);
  }

  private Objective objective() throws UserException {
    Duration p = duration("--p99", p99);
    if (p.isZero()) {
      throw new UserException("--p99: must be positive");
    }
    if (!(recall >= 0 && recall <= 1)) {
      throw new UserException("--recall: must be between 0 and 1, got " + recall);
    }
    if (recallK < 1) {
      throw new UserException("--recall-k: must be positive, got " + recallK);
    }
    if (!(errorRatio >= 0 && errorRatio <= 1)) {
      throw new UserException("--error-ratio: must be between 0 and 1, got " + errorRatio);
    }
    return new Objective(p.toNanos() / 1e9, recallK, recall, errorRatio);
  }

  private static Duration duration(String option, String text) throws UserException {
    try {
      return Durations.parse(text);
    } catch (IllegalArgumentException e) {
      throw new UserException(option + ": " + e.getMessage());
    }
  }

  /** One line per finished step (not a terminal). */
  static final class PlainProgress implements Progress {
    private final PrintWriter out;

    PlainProgress(PrintWriter out) {
      this.out = out;
    }

    @Override
    public void stepStarted(String label, long plannedNanos) {}

    @Override
    public void stepFinished(String label, StepResult r) {
      out.println(line(label, r));
      out.flush();
    }
  }

  static String line(String label, StepResult r) {
    return String.format(
        Locale.ROOT,
        "%-24s %9.1f req/s  p50 %7.2f ms  p99 %7.2f ms  errors %.2f %%  recall@%s  %s%s%s",
        label,
        r.achievedRps(),
        r.p50Seconds() * 1e3,
        r.p99Seconds() * 1e3,
        r.errorRatio() * 100,
        r.recall().entrySet().stream()
            .map(e -> String.format(Locale.ROOT, "%d %.3f", e.getKey(), e.getValue()))
            .collect(Collectors.joining(", @")),
        r.holds() ? "holds" : "BREAKS",
        r.clientLimits().isEmpty() ? "" : "  client: " + String.join(",", r.clientLimits()),
        r.complete() ? "" : "  (cut short)");
  }

  /** A bar redrawn in place on a terminal while a step runs. */
  static final class ProgressBar implements Progress {
    private final PrintWriter err;
    private final Clock clock;
    private volatile Thread ticker;

    ProgressBar(PrintWriter err, Clock clock) {
      this.err = err;
      this.clock = clock;
    }

    @Override
    public void stepStarted(String label, long plannedNanos) {
      long start = clock.monotonicNanos();
      Thread t =
          new Thread(
              () -> {
                while (!Thread.currentThread().isInterrupted()) {
                  double f = Math.min(1, (clock.monotonicNanos() - start) / (double) plannedNanos);
                  int filled = (int) Math.round(f * 30);
                  synchronized (err) {
                    err.printf(
                        Locale.ROOT,
                        "\r%-24s [%s%s] %3.0f %%",
                        label,
                        "#".repeat(filled),
                        ".".repeat(30 - filled),
                        f * 100);
                    err.flush();
                  }
                  try {
                    TimeUnit.MILLISECONDS.sleep(200); // redraw rate of the bar
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              },
              "vecwatch-load-progress");
      t.setDaemon(true);
      ticker = t;
      t.start();
    }

    @Override
    public void stepFinished(String label, StepResult r) {
      Thread t = ticker;
      if (t != null) {
        t.interrupt();
        try {
          t.join(1000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      synchronized (err) {
        err.print("\r\033[K");
        err.println(line(label, r));
        err.flush();
      }
    }
  }
}
