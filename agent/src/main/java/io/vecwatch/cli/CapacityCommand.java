package io.vecwatch.cli;

import io.vecwatch.capacity.IndexType;
import io.vecwatch.capacity.MemoryEstimate;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vecwatch capacity}: prints the memory a vector index needs, by the production guide's
 * formula (vectors × dim × 4 bytes + index overhead, +20 % buffer). See docs/capacity-planning.md.
 */
@Command(
    name = "capacity",
    mixinStandardHelpOptions = true,
    description = {
      "Estimates the memory a vector index needs: vectors x dim x 4 bytes + index overhead, plus a buffer.",
      "HNSW adds 2 x M x 4 bytes per vector; IVF adds 10%% of the vectors; SQ stores 1 byte per dimension;",
      "PQ stores m bytes per vector plus 256 x dim x 4 bytes of codebooks."
    })
final class CapacityCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--vectors",
      required = true,
      paramLabel = "N",
      description = "Number of vectors, e.g. 10000000, 10_000_000, 10M, 2.5k, 1B.")
  String vectors;

  @Option(names = "--dim", required = true, paramLabel = "D", description = "Vector dimension.")
  int dim;

  @Option(
      names = "--index",
      defaultValue = "hnsw",
      paramLabel = "TYPE",
      description =
          "flat, hnsw, ivf, sq (IVF_SQ8) or pq (IVF_PQ, 8 bits). Default: ${DEFAULT-VALUE}.")
  String index;

  @Option(
      names = "--hnsw-m",
      defaultValue = "16",
      paramLabel = "M",
      description = "HNSW M. Default: ${DEFAULT-VALUE}.")
  int hnswM;

  @Option(
      names = "--pq-m",
      paramLabel = "M",
      description =
          "PQ sub-quantizers (must divide dim). Default: dim / 8, i.e. 8x smaller than float32.")
  Integer pqM;

  @Option(
      names = "--buffer",
      defaultValue = "0.2",
      paramLabel = "RATIO",
      description = "Safety buffer as a ratio. Default: ${DEFAULT-VALUE} (20%%).")
  double buffer;

  @Option(
      names = "--replicas",
      defaultValue = "1",
      paramLabel = "R",
      description = "In-memory replicas; each holds a full copy. Default: ${DEFAULT-VALUE}.")
  int replicas;

  @Option(
      names = "--format",
      defaultValue = "text",
      paramLabel = "FMT",
      description = "text or json.")
  String format;

  @Override
  public Integer call() throws UserException {
    long n = parseCount(vectors);
    IndexType type = parseIndex(index);
    int m = pqM != null ? pqM : Math.max(1, dim / 8);
    MemoryEstimate e;
    try {
      e = MemoryEstimate.of(n, dim, type, hnswM, m, buffer, replicas);
    } catch (IllegalArgumentException | ArithmeticException ex) {
      throw new UserException(
          ex instanceof ArithmeticException ? "the estimate overflows 64 bits" : ex.getMessage());
    }
    PrintWriter out = spec.commandLine().getOut();
    switch (format) {
      case "text" -> printText(out, e);
      case "json" -> printJson(out, e);
      default -> throw new UserException("--format must be text or json, got \"" + format + "\"");
    }
    out.flush();
    return 0;
  }

  private static void printText(PrintWriter out, MemoryEstimate e) {
    out.printf(
        Locale.ROOT,
        "Memory estimate: %,d vectors x %d dims, %s%n",
        e.vectors(),
        e.dim(),
        describe(e));
    row(out, "vectors", e.vectorBytes());
    row(out, "index overhead", e.overheadBytes());
    row(out, "subtotal", e.subtotalBytes());
    row(
        out,
        String.format(Locale.ROOT, "buffer (+%s%%)", percent(e.bufferRatio())),
        e.bufferBytes());
    row(out, "per replica", e.perReplicaBytes());
    if (e.replicas() > 1) {
      row(out, "total (" + e.replicas() + " replicas)", e.totalBytes());
    }
  }

  private static void row(PrintWriter out, String label, long bytes) {
    out.printf(Locale.ROOT, "  %-22s %,20d B %14s%n", label, bytes, human(bytes));
  }

  /**
   * GiB from 1 GiB up (the production guide's unit), MiB or KiB below, so small indexes do not
   * print as 0.00 GiB.
   */
  static String human(long bytes) {
    if (bytes >= 1L << 30) {
      return String.format(Locale.ROOT, "%.2f GiB", MemoryEstimate.gib(bytes));
    }
    if (bytes >= 1L << 20) {
      return String.format(Locale.ROOT, "%.2f MiB", bytes / (double) (1L << 20));
    }
    return String.format(Locale.ROOT, "%.2f KiB", bytes / 1024.0);
  }

  private static void printJson(PrintWriter out, MemoryEstimate e) {
    out.printf(
        Locale.ROOT,
        "{\"vectors\":%d,\"dim\":%d,\"index\":\"%s\",\"hnsw_m\":%d,\"pq_m\":%d,\"buffer_ratio\":%s,\"replicas\":%d,"
            + "\"vector_bytes\":%d,\"overhead_bytes\":%d,\"subtotal_bytes\":%d,\"buffer_bytes\":%d,"
            + "\"per_replica_bytes\":%d,\"total_bytes\":%d,\"total_gib\":%.4f}%n",
        e.vectors(),
        e.dim(),
        e.index().name().toLowerCase(Locale.ROOT),
        e.hnswM(),
        e.pqM(),
        e.bufferRatio(),
        e.replicas(),
        e.vectorBytes(),
        e.overheadBytes(),
        e.subtotalBytes(),
        e.bufferBytes(),
        e.perReplicaBytes(),
        e.totalBytes(),
        MemoryEstimate.gib(e.totalBytes()));
  }

  private static String describe(MemoryEstimate e) {
    return switch (e.index()) {
      case FLAT -> "FLAT (no index structure)";
      case HNSW -> "HNSW M=" + e.hnswM() + " (2 x M x 4 B links per vector)";
      case IVF -> "IVF_FLAT (lists ~10% of vectors)";
      case SQ -> "IVF_SQ8 (1 B per dimension, lists ~10%)";
      case PQ ->
          "IVF_PQ m="
              + e.pqM()
              + " nbits=8 (m B per vector + 256 x dim x 4 B codebooks, lists ~10%)";
    };
  }

  private static String percent(double ratio) {
    double p = ratio * 100;
    return p == Math.rint(p) ? Long.toString((long) p) : String.format(Locale.ROOT, "%.1f", p);
  }

  private static IndexType parseIndex(String text) throws UserException {
    String t =
        text.trim()
            .toUpperCase(Locale.ROOT)
            .replace("IVF_FLAT", "IVF")
            .replace("IVF_SQ8", "SQ")
            .replace("IVF_PQ", "PQ");
    try {
      return IndexType.valueOf(t);
    } catch (IllegalArgumentException e) {
      throw new UserException(
          "--index must be one of flat, hnsw, ivf, sq, pq, got \"" + text + "\"");
    }
  }

  /** Parses 10000000, 10_000_000, 10,000,000, 10M, 2.5k, 1B (decimal suffixes k, M, B/G). */
  static long parseCount(String text) throws UserException {
    String t = text.trim().replace("_", "").replace(",", "");
    double factor = 1;
    if (!t.isEmpty()) {
      char last = Character.toUpperCase(t.charAt(t.length() - 1));
      factor =
          switch (last) {
            case 'K' -> 1e3;
            case 'M' -> 1e6;
            case 'B', 'G' -> 1e9;
            default -> 1;
          };
      if (factor != 1) {
        t = t.substring(0, t.length() - 1);
      }
    }
    try {
      if (factor == 1) {
        long v = Long.parseLong(t);
        if (v >= 0) {
          return v;
        }
      } else {
        double v = Double.parseDouble(t) * factor;
        if (v >= 0 && v < 9e18 && v == Math.rint(v)) {
          return (long) v;
        }
      }
    } catch (NumberFormatException e) {
      // fall through to the one-line error below
    }
    throw new UserException(
        "--vectors must be a non-negative whole number such as 10000000 or 10M, got \""
            + text
            + "\"");
  }
}
