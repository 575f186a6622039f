package io.vecwatch.cli;

import io.vecwatch.dataset.DatasetException;
import io.vecwatch.dataset.GaussianMixture;
import io.vecwatch.dataset.Metric;
import io.vecwatch.dataset.TexmexFiles;
import io.vecwatch.dataset.Vectors;
import io.vecwatch.knn.ExactKnn;
import io.vecwatch.knn.ExactKnn.Implementation;
import io.vecwatch.knn.KnnResult;
import io.vecwatch.time.Clock;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vecwatch bench ...}: built-in benchmarks that compare against a baseline measured in the
 * same run.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description =
        "Run a built-in benchmark (each compares with the real alternative measured in the same run).",
    subcommands = {BenchCommand.GroundTruth.class, LoadCommand.class})
final class BenchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "missing benchmark, one of: groundtruth, load");
  }

  /**
   * Exact k-NN on generated data against numpy and faiss-cpu on the same vectors: vecwatch in this
   * process (base layout + search; warmed up first), numpy and faiss each in a fresh Python process
   * running the reference script shipped in the jar (its search time, and the whole process),
   * interleaved, min and median. vecwatch's ids must equal numpy's exact answer. Without a Python
   * that has numpy there is nothing honest to compare with: the command says so, times vecwatch
   * alone and cross-checks it against the plain loop.
   */
  @Command(
      name = "groundtruth",
      mixinStandardHelpOptions = true,
      description = {
        "Time exact k-NN (ground truth) against numpy and faiss-cpu on generated data.",
        "Needs a Python with numpy (and faiss-cpu for the faiss column): --python, or bench/compare.sh, which",
        "installs both in a throwaway virtualenv and times whole processes on files."
      })
  static final class GroundTruth implements Callable<Integer> {
    static final String REFERENCE_SCRIPT = "/io/vecwatch/bench/knn_reference.py";

    @Spec CommandSpec spec;

    @Option(
        names = "--base-count",
        defaultValue = "100000",
        description = "Base vectors (default: ${DEFAULT-VALUE}).")
    int baseCount;

    @Option(
        names = "--dim",
        defaultValue = "128",
        description = "Dimension (default: ${DEFAULT-VALUE}).")
    int dim;

    @Option(
        names = "--queries",
        defaultValue = "1000",
        description = "Queries (default: ${DEFAULT-VALUE}).")
    int queries;

    @Option(
        names = "--k",
        defaultValue = "100",
        description = "Neighbours per query (default: ${DEFAULT-VALUE}).")
    int k;

    @Option(
        names = "--metric",
        defaultValue = "l2",
        description = "l2, ip or cosine (default: ${DEFAULT-VALUE}).")
    String metric;

    @Option(names = "--threads", description = "Worker threads (default: available cores).")
    Integer threads;

    @Option(
        names = "--runs",
        defaultValue = "3",
        description = "Timed runs of each, interleaved (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(
        names = "--python",
        defaultValue = "python3",
        paramLabel = "PATH",
        description = "Python with numpy and faiss-cpu (default: ${DEFAULT-VALUE}).")
    String python;

    @Option(
        names = "--seed",
        defaultValue = "42",
        description = "Generator seed (default: ${DEFAULT-VALUE}).")
    long seed;

    private final Clock clock = Clock.system();

    @Override
    public Integer call() throws UserException, IOException, InterruptedException {
      Metric m =
          Metric.parse(metric)
              .orElseThrow(
                  () ->
                      new UserException(
                          "--metric: must be one of l2, ip, cosine, got \"" + metric + "\""));
      int t = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
      if (baseCount < 1 || dim < 1 || queries < 1 || t < 1 || runs < 1) {
        throw new UserException(
            "--base-count, --dim, --queries, --threads and --runs must be positive");
      }
      if (k < 1 || k > baseCount) {
        throw new UserException(
            "--k must be between 1 and --base-count (" + baseCount + "), got " + k);
      }
      PrintWriter out = spec.commandLine().getOut();
      GaussianMixture mix = GaussianMixture.of(dim, 100, 1.0, seed);
      Vectors base = mix.base(baseCount);
      Vectors qs = mix.queries(queries);
      double gflop = 2.0 * baseCount * (double) queries * dim / 1e9;
      out.printf(
          Locale.ROOT,
          "exact k-NN: base %d x %d, %d queries, k=%d, %s, %d threads, Vector API %s%n",
          baseCount,
          dim,
          queries,
          k,
          m.id(),
          t,
          ExactKnn.vectorApiAvailable() ? "available" : "not available");
      out.printf(
          Locale.ROOT,
          "work: %.1f GFLOP in distances (2 x n x q x d); load average %.2f%n",
          gflop,
          ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
      out.flush();

      Path dir = Files.createTempDirectory("vecwatch-bench");
      try {
        Reference reference = Reference.find(python, dir);
        if (reference.tools().isEmpty()) {
          out.println(
              "numpy and faiss-cpu not found ("
                  + reference.why()
                  + "): no reference to compare with. "
                  + "Pass --python with a Python that has them, or run bench/compare.sh.");
        }
        Path basePath = dir.resolve("base.fvecs");
        Path queryPath = dir.resolve("queries.fvecs");
        if (!reference.tools().isEmpty()) {
          TexmexFiles.writeFvecs(basePath, base);
          TexmexFiles.writeFvecs(queryPath, qs);
        }
        // warm-up on a slice of the queries: the JIT compiles the kernel before the timed runs
        int warm = Math.min(qs.count(), 100);
        ExactKnn.builder(base, m)
            .threads(t)
            .build()
            .search(Vectors.wrap(Arrays.copyOf(qs.data(), warm * qs.dim()), warm, qs.dim()), k);
        List<Double> own = new ArrayList<>();
        Map<String, List<double[]>> theirs = new LinkedHashMap<>();
        KnnResult result = null;
        String kernel = null;
        for (int run = 0; run < runs; run++) {
          long start = clock.monotonicNanos();
          ExactKnn knn = ExactKnn.builder(base, m).threads(t).build();
          result = knn.search(qs, k);
          own.add((clock.monotonicNanos() - start) / 1e9);
          kernel = knn.describe();
          for (String tool : reference.tools()) {
            theirs
                .computeIfAbsent(tool, x -> new ArrayList<>())
                .add(
                    reference.run(
                        tool, m, basePath, queryPath, k, dir.resolve(tool + ".ivecs"), clock));
          }
        }
        out.printf(
            Locale.ROOT,
            "%-10s %26s %14s %12s%n",
            "",
            "search min / median",
            "GFLOP/s",
            "vs vecwatch");
        double ownMin = min(own);
        report(out, "vecwatch", ownMin, median(own), gflop, ownMin);
        for (Map.Entry<String, List<double[]>> e : theirs.entrySet()) {
          List<Double> search = e.getValue().stream().map(r -> r[0]).toList();
          report(out, e.getKey(), min(search), median(search), gflop, ownMin);
        }
        for (Map.Entry<String, List<double[]>> e : theirs.entrySet()) {
          List<Double> whole = e.getValue().stream().map(r -> r[1]).toList();
          out.printf(
              Locale.ROOT,
              "%s whole process (Python start, reading the files, search, writing): "
                  + "min %.3f s, median %.3f s%n",
              e.getKey(),
              min(whole),
              median(whole));
        }
        out.println(
            "vecwatch: "
                + kernel
                + "; search = base layout + search in this process;"
                + " others: their search call in a fresh process");
        int mismatches;
        if (reference.tools().contains("numpy")) {
          mismatches = mismatches(result, TexmexFiles.readIvecs(dir.resolve("numpy.ivecs")));
          out.printf(
              Locale.ROOT,
              "same ids as numpy's exact answer (double-precision re-rank, ties by id): %s%n",
              mismatches == 0
                  ? "yes (" + queries + " queries x " + k + ")"
                  : "NO, " + mismatches + " queries differ");
        } else {
          KnnResult plain =
              ExactKnn.builder(base, m)
                  .implementation(Implementation.PLAIN)
                  .threads(t)
                  .build()
                  .search(qs, k);
          mismatches = mismatches(result, plain.idMatrix());
          out.printf(
              Locale.ROOT,
              "same ids as the plain one-pair-at-a-time loop: %s%n",
              mismatches == 0 ? "yes" : "NO, " + mismatches + " queries differ");
        }
        if (reference.tools().contains("faiss")) {
          out.printf(
              Locale.ROOT,
              "same ids as faiss (float32 order, so near-ties may differ): %d of %d queries%n",
              queries - mismatches(result, TexmexFiles.readIvecs(dir.resolve("faiss.ivecs"))),
              queries);
        }
        out.flush();
        return mismatches == 0 ? 0 : 1;
      } catch (DatasetException e) {
        throw new UserException("reading a reference result: " + e.getMessage(), e);
      } finally {
        try (Stream<Path> files = Files.list(dir)) {
          for (Path f : files.toList()) {
            Files.deleteIfExists(f);
          }
        }
        Files.deleteIfExists(dir);
      }
    }

    private static void report(
        PrintWriter out, String tool, double min, double median, double gflop, double own) {
      out.printf(
          Locale.ROOT,
          "%-10s %11.3f s / %8.3f s %14.1f %11.2fx%n",
          tool,
          min,
          median,
          gflop / min,
          min / own);
    }

    private static double min(List<Double> xs) {
      return xs.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    private static double median(List<Double> xs) {
      double[] s = xs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
      return s[(s.length - 1) / 2];
    }

    private static int mismatches(KnnResult a, int[][] b) {
      int n = 0;
      for (int q = 0; q < a.queryCount(); q++) {
        if (q >= b.length || !Arrays.equals(a.ids(q), b[q])) {
          n++;
        }
      }
      return n;
    }
  }

  /** numpy / faiss through the reference script, in a fresh Python process per run. */
  record Reference(String python, Path script, List<String> tools, String why) {
    static Reference find(String python, Path dir) throws IOException, InterruptedException {
      Path script = dir.resolve("knn_reference.py");
      try (InputStream in = BenchCommand.class.getResourceAsStream(GroundTruth.REFERENCE_SCRIPT)) {
        if (in == null) {
          throw new IOException(GroundTruth.REFERENCE_SCRIPT + " is missing from the jar");
        }
        Files.copy(in, script);
      }
      List<String> tools = new ArrayList<>();
      String why = "";
      for (String tool : List.of("numpy", "faiss")) {
        try {
          Process p =
              new ProcessBuilder(python, "-c", "import " + tool).redirectErrorStream(true).start();
          String text =
              new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
          if (p.waitFor() == 0) {
            tools.add(tool);
          } else if (why.isEmpty()) {
            why =
                python
                    + ": "
                    + text.lines().reduce((x, y) -> y).orElse("import " + tool + " failed");
          }
        } catch (IOException e) {
          why = python + ": " + e.getMessage();
          break;
        }
      }
      if (!tools.contains("numpy")) {
        tools.clear(); // the reference script needs numpy for either tool
      }
      return new Reference(python, script, List.copyOf(tools), why);
    }

    /** Runs one tool; returns {search seconds, whole-process seconds}. */
    double[] run(String tool, Metric metric, Path base, Path queries, int k, Path out, Clock clock)
        throws IOException, InterruptedException {
      ProcessBuilder pb =
          new ProcessBuilder(
                  python,
                  script.toString(),
                  tool,
                  metric.id(),
                  base.toString(),
                  queries.toString(),
                  Integer.toString(k),
                  out.toString())
              .redirectErrorStream(true);
      // faiss-cpu's bundled OpenBLAS takes AVX-512 Xeons it does not know for an old core: give it
      // its best
      if (tool.equals("faiss")) {
        pb.environment().put("OPENBLAS_CORETYPE", "SkylakeX");
      } else {
        pb.environment().remove("OPENBLAS_CORETYPE");
      }
      long start = clock.monotonicNanos();
      Process p = pb.start();
      String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      int code = p.waitFor();
      double whole = (clock.monotonicNanos() - start) / 1e9;
      String line = text.lines().filter(l -> l.startsWith("seconds=")).findFirst().orElse(null);
      if (code != 0 || line == null) {
        throw new IOException(tool + " reference failed (exit " + code + "): " + text.strip());
      }
      return new double[] {Double.parseDouble(line.substring("seconds=".length())), whole};
    }
  }
}
