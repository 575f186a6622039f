package io.vecwatch.cli;

import io.vecwatch.dataset.AnnBenchmarksHdf5;
import io.vecwatch.dataset.DatasetException;
import io.vecwatch.dataset.Metric;
import io.vecwatch.dataset.TexmexFiles;
import io.vecwatch.dataset.VectorFiles;
import io.vecwatch.dataset.Vectors;
import io.vecwatch.knn.CompileAhead;
import io.vecwatch.knn.ExactKnn;
import io.vecwatch.knn.KnnProgress;
import io.vecwatch.knn.KnnResult;
import io.vecwatch.target.GroundTruthBase;
import io.vecwatch.time.Clock;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vecwatch groundtruth}: exact k nearest neighbours of queries over base vectors, written as
 * .ivecs (and distances as .fvecs). Input sources are separate from the computation: {@link
 * BaseSource} says where base vectors come from (a file, or a database collection), {@link
 * #compute} is the same exact k-NN datasets use.
 */
@Command(
    name = "groundtruth",
    mixinStandardHelpOptions = true,
    description = "Compute exact k nearest neighbours (ground truth) of queries over base vectors.",
    footer = {
      "",
      "Files: .fvecs / .bvecs (Texmex), or .hdf5 (ann-benchmarks: base from 'train', queries from 'test').",
      "Run java with --add-modules jdk.incubator.vector for the SIMD kernel."
    })
final class GroundTruthCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @ArgGroup(exclusive = true, multiplicity = "1")
  BaseSource base;

  @Option(names = "--queries", required = true, paramLabel = "FILE", description = "Query vectors.")
  Path queries;

  @Option(names = "--k", required = true, paramLabel = "N", description = "Neighbours per query.")
  int k;

  @Option(
      names = "--metric",
      required = true,
      paramLabel = "METRIC",
      description = "l2, ip or cosine.")
  String metric;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "FILE.ivecs",
      description = "Neighbour ids, nearest first.")
  Path out;

  @Option(names = "--distances-out", paramLabel = "FILE.fvecs", description = "Their distances.")
  Path distancesOut;

  @Option(
      names = "--threads",
      paramLabel = "N",
      description = "Worker threads (default: available cores).")
  Integer threads;

  /** Where base vectors come from; exactly one option of this group is given. */
  static final class BaseSource {
    @Option(names = "--base", required = true, paramLabel = "FILE", description = "Base vectors.")
    Path file;

    @ArgGroup(
        exclusive = false,
        heading = "Base vectors from a Milvus collection (ids written are its keys):%n")
    DatabaseBaseSource database;

    Vectors load() throws UserException {
      return read(file, AnnBenchmarksHdf5.TRAIN);
    }

    String describe() {
      return file.toString();
    }
  }

  Clock clock = Clock.system();

  @Override
  public Integer call() throws UserException {
    Metric m =
        Metric.parse(metric)
            .orElseThrow(
                () ->
                    new UserException(
                        "--metric: must be one of l2, ip, cosine, got \"" + metric + "\""));
    int t = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
    if (t < 1) {
      throw new UserException("--threads: must be at least 1, got " + t);
    }
    if (k < 1) {
      throw new UserException("--k: must be at least 1, got " + k);
    }
    requireFormat("--out", out, TexmexFiles.Format.IVECS);
    if (distancesOut != null) {
      requireFormat("--distances-out", distancesOut, TexmexFiles.Format.FVECS);
    }
    if (base.database != null) {
      return fromDatabase(base.database, m, t);
    }
    Vectors b;
    Vectors q;
    try (CompileAhead ahead = CompileAhead.start(m)) { // the JIT compiles k-NN while files load
      b = base.load();
      q = read(queries, AnnBenchmarksHdf5.TEST);
    }
    if (q.dim() != b.dim()) {
      throw new UserException(
          queries
              + ": dimension "
              + q.dim()
              + " does not match the base vectors ("
              + base.describe()
              + " has dimension "
              + b.dim()
              + ")");
    }
    if (k > b.count()) {
      throw new UserException(
          "--k: "
              + k
              + " exceeds the number of base vectors ("
              + b.count()
              + " in "
              + base.describe()
              + ")");
    }

    long start = clock.monotonicNanos();
    KnnProgress progress =
        System.console() != null
            ? new ProgressLine(spec.commandLine().getErr(), clock, q.count())
            : KnnProgress.NONE;
    KnnResult result = compute(b, q, m, k, t, progress);
    double seconds = (clock.monotonicNanos() - start) / 1e9;

    write(out, () -> TexmexFiles.writeIvecs(out, result.idMatrix()));
    if (distancesOut != null) {
      write(distancesOut, () -> TexmexFiles.writeFvecs(distancesOut, result.distanceMatrix()));
    }
    PrintWriter o = spec.commandLine().getOut();
    o.printf(
        Locale.ROOT,
        "wrote %s: %d queries x %d neighbours (%s, %d base vectors) in %.2f s%n",
        out,
        q.count(),
        k,
        m.id(),
        b.count(),
        seconds);
    o.flush();
    return 0;
  }

  private int fromDatabase(DatabaseBaseSource source, Metric m, int t) throws UserException {
    Vectors q = read(queries, AnnBenchmarksHdf5.TEST);
    long start = clock.monotonicNanos();
    GroundTruthBase.Result r = source.compute(q, m, k, t, spec.commandLine().getErr(), clock);
    double seconds = (clock.monotonicNanos() - start) / 1e9;
    int[][] ids = new int[r.keys().length][];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = new int[r.keys()[i].length];
      for (int j = 0; j < ids[i].length; j++) {
        long key = r.keys()[i][j];
        if (key < 0 || key > Integer.MAX_VALUE) {
          throw new UserException(
              "--out: key "
                  + key
                  + " of "
                  + source.describe()
                  + " does not fit the "
                  + "non-negative int32 ids of an .ivecs file");
        }
        ids[i][j] = (int) key;
      }
    }
    write(out, () -> TexmexFiles.writeIvecs(out, ids));
    if (distancesOut != null) {
      write(distancesOut, () -> TexmexFiles.writeFvecs(distancesOut, r.distances()));
    }
    PrintWriter o = spec.commandLine().getOut();
    o.printf(
        Locale.ROOT,
        "wrote %s: %d queries x %d neighbours (%s, %d rows of %s, %s) in %.2f s%n",
        out,
        q.count(),
        k,
        m.id(),
        r.rows(),
        source.describe(),
        r.serverVersion(),
        seconds);
    o.flush();
    return 0;
  }

  /** The exact k-NN behind every ground truth in vecwatch. */
  static KnnResult compute(
      Vectors base, Vectors queries, Metric metric, int k, int threads, KnnProgress progress) {
    return ExactKnn.builder(base, metric).threads(threads).build().search(queries, k, progress);
  }

  static Vectors read(Path file, String hdf5Dataset) throws UserException {
    try {
      return VectorFiles.read(file, hdf5Dataset);
    } catch (DatasetException e) {
      throw new UserException(e.getMessage(), e);
    }
  }

  private static void requireFormat(String option, Path file, TexmexFiles.Format format)
      throws UserException {
    if (TexmexFiles.Format.of(file).orElse(null) != format) {
      throw new UserException(option + ": must be a " + format.extension() + " file, got " + file);
    }
  }

  private interface Writer {
    void write() throws IOException;
  }

  private static void write(Path file, Writer writer) throws UserException {
    try {
      writer.write();
    } catch (IOException e) {
      throw new UserException(
          file + ": cannot write (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")",
          e);
    }
  }

  /**
   * One self-overwriting line on a terminal: percent done and queries per second, at most 5 times a
   * second.
   */
  static final class ProgressLine implements KnnProgress {
    private static final long INTERVAL_NANOS = 200_000_000L;
    private final PrintWriter err;
    private final Clock clock;
    private final int queries;
    private final long start;
    private long lastPrint;

    ProgressLine(PrintWriter err, Clock clock, int queries) {
      this.err = err;
      this.clock = clock;
      this.queries = queries;
      this.start = clock.monotonicNanos();
      this.lastPrint = start;
    }

    @Override
    public synchronized void advanced(long done, long total) {
      long now = clock.monotonicNanos();
      boolean finished = done >= total;
      if (!finished && now - lastPrint < INTERVAL_NANOS) {
        return;
      }
      lastPrint = now;
      double fraction = total == 0 ? 1 : (double) done / total;
      double elapsed = Math.max(1e-9, (now - start) / 1e9);
      err.printf(
          Locale.ROOT,
          "\rground truth: %3d%% (%.0f queries/s)%s",
          (int) (fraction * 100),
          fraction * queries / elapsed,
          finished ? System.lineSeparator() : "");
      err.flush();
    }
  }
}
