package io.vecwatch.cli;

import io.vecwatch.dataset.GaussianMixture;
import io.vecwatch.dataset.Metric;
import io.vecwatch.dataset.Vectors;
import io.vecwatch.knn.ExactKnn;
import io.vecwatch.knn.ExactKnn.Implementation;
import io.vecwatch.knn.KnnResult;
import io.vecwatch.time.Clock;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vecwatch bench ...}: built-in benchmarks that compare against a baseline measured in the same run. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Run a built-in benchmark (each reports a baseline measured in the same run).",
    subcommands = {BenchCommand.GroundTruth.class, LoadCommand.class})
final class BenchCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing benchmark, one of: groundtruth, load");
  }

  /**
   * Exact k-NN on generated data: the plain scalar loop, the blocked scalar kernel and the default kernel, each
   * warmed up first and timed as best of several runs (layout + search, data generation excluded), with the
   * ids cross-checked.
   */
  @Command(
      name = "groundtruth",
      mixinStandardHelpOptions = true,
      description = "Time exact k-NN (ground truth) against a plain scalar loop on generated data.")
  static final class GroundTruth implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--base-count", defaultValue = "100000", description = "Base vectors (default: ${DEFAULT-VALUE}).")
    int baseCount;

    @Option(names = "--dim", defaultValue = "128", description = "Dimension (default: ${DEFAULT-VALUE}).")
    int dim;

    @Option(names = "--queries", defaultValue = "1000", description = "Queries (default: ${DEFAULT-VALUE}).")
    int queries;

    @Option(names = "--k", defaultValue = "100", description = "Neighbours per query (default: ${DEFAULT-VALUE}).")
    int k;

    @Option(names = "--metric", defaultValue = "l2", description = "l2, ip or cosine (default: ${DEFAULT-VALUE}).")
    String metric;

    @Option(names = "--threads", description = "Worker threads (default: available cores).")
    Integer threads;

    @Option(names = "--runs", defaultValue = "3", description = "Timed runs per kernel, best kept (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--baseline-runs", defaultValue = "2",
        description = "Timed runs of the slow plain loop (default: ${DEFAULT-VALUE}).")
    int baselineRuns;

    @Option(names = "--seed", defaultValue = "42", description = "Generator seed (default: ${DEFAULT-VALUE}).")
    long seed;

    private final Clock clock = Clock.system();

    @Override
    public Integer call() throws UserException {
      Metric m = Metric.parse(metric).orElseThrow(
          () -> new UserException("--metric: must be one of l2, ip, cosine, got \"" + metric + "\""));
      int t = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
      if (baseCount < 1 || dim < 1 || queries < 1 || t < 1 || runs < 1 || baselineRuns < 1) {
        throw new UserException("--base-count, --dim, --queries, --threads, --runs and --baseline-runs must be positive");
      }
      if (k < 1 || k > baseCount) {
        throw new UserException("--k must be between 1 and --base-count (" + baseCount + "), got " + k);
      }
      PrintWriter out = spec.commandLine().getOut();
      GaussianMixture mix = GaussianMixture.of(dim, 100, 1.0, seed);
      Vectors base = mix.base(baseCount);
      Vectors qs = mix.queries(queries);
      double gflop = 2.0 * baseCount * (double) queries * dim / 1e9;
      out.printf(Locale.ROOT, "exact k-NN: base %d x %d, %d queries, k=%d, %s, %d threads, Vector API %s%n",
          baseCount, dim, queries, k, m.id(), t, ExactKnn.vectorApiAvailable() ? "available" : "not available");
      out.printf(Locale.ROOT, "work: %.1f GFLOP in distances (2 x n x q x d); times include laying out the base;"
          + " cpu = process CPU time of that run (below threads x wall: the machine was shared)%n", gflop);
      out.flush();

      Timing plain = time(Implementation.PLAIN, base, qs, m, t, baselineRuns);
      report(out, plain, gflop);
      Timing scalar = time(Implementation.SCALAR, base, qs, m, t, runs);
      report(out, scalar, gflop);
      Timing best = scalar;
      if (ExactKnn.vectorApiAvailable()) {
        best = time(Implementation.VECTOR, base, qs, m, t, runs);
        report(out, best, gflop);
      }
      out.printf(Locale.ROOT, "speed-up vs plain scalar loop: %.1fx (%s)%n", plain.seconds / best.seconds, best.kernel);
      int mismatches = mismatches(plain.result, scalar.result) + mismatches(plain.result, best.result);
      out.printf(Locale.ROOT, "same ids as the plain loop: %s%n",
          mismatches == 0 ? "yes (" + queries + " queries x " + k + ")" : "NO, " + mismatches + " differ");
      out.flush();
      return mismatches == 0 ? 0 : 1;
    }

    private Timing time(Implementation impl, Vectors base, Vectors qs, Metric m, int t, int n) {
      // warm-up on a slice of the queries: enough for the JIT to compile the kernel, cheap for the slow loop
      int warm = Math.min(qs.count(), 100);
      run(impl, base, Vectors.wrap(java.util.Arrays.copyOf(qs.data(), warm * qs.dim()), warm, qs.dim()), m, t);
      long bestNanos = Long.MAX_VALUE;
      long bestCpu = 0;
      KnnResult result = null;
      String kernel = null;
      for (int i = 0; i < n; i++) {
        long cpu = processCpuNanos();
        long start = clock.monotonicNanos();
        ExactKnn knn = ExactKnn.builder(base, m).implementation(impl).threads(t).build();
        result = knn.search(qs, k);
        long nanos = clock.monotonicNanos() - start;
        if (nanos < bestNanos) {
          bestNanos = nanos;
          bestCpu = processCpuNanos() - cpu;
        }
        kernel = knn.describe();
      }
      return new Timing(kernel, bestNanos / 1e9, bestCpu / 1e9, n, result);
    }

    private KnnResult run(Implementation impl, Vectors base, Vectors qs, Metric m, int t) {
      return ExactKnn.builder(base, m).implementation(impl).threads(t).build().search(qs, k);
    }

    /** CPU time of the whole process: with wall time it shows how much of the machine the run really had. */
    private static long processCpuNanos() {
      java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
      return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : 0;
    }

    private static void report(PrintWriter out, Timing t, double gflop) {
      out.printf(Locale.ROOT, "%-62s best of %d: %8.3f s %7.1f GFLOP/s  (cpu %.2f s)%s%n", t.kernel, t.runs,
          t.seconds, gflop / t.seconds, t.cpuSeconds,
          t.result.exactRescans() == 0 ? "" : " (" + t.result.exactRescans() + " exact rescans)");
      out.flush();
    }

    private static int mismatches(KnnResult a, KnnResult b) {
      int n = 0;
      for (int q = 0; q < a.queryCount(); q++) {
        if (!java.util.Arrays.equals(a.ids(q), b.ids(q))) {
          n++;
        }
      }
      return n;
    }

    private record Timing(String kernel, double seconds, double cpuSeconds, int runs, KnnResult result) {}
  }
}
