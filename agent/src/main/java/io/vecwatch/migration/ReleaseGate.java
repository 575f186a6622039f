package io.vecwatch.migration;

import io.vecwatch.config.MigrationConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The release gate of a migration: a pure function of a {@link MigrationSnapshot} and the
 * configured thresholds. Each check passes, fails, or has too little data to say; the overall
 * verdict fails if any check fails, else is "insufficient data" if any check is, else passes.
 *
 * <pre>{@code
 * ReleaseGate.Report r = ReleaseGate.evaluate(snapshot, config.gate());
 * if (r.verdict() == ReleaseGate.Verdict.PASS) { ... shift the next share of reads ... }
 * }</pre>
 */
public final class ReleaseGate {
  /** Check names, as the {@code check} label of {@code vecwatch_migration_gate_passing}. */
  public static final String OVERLAP = "overlap";

  public static final String MISSING_RECORDS = "missing_records";
  public static final String MISMATCHED_RECORDS = "mismatched_records";
  public static final String COUNT_DIFFERENCE = "count_difference";
  public static final String LATENCY_P99_RATIO = "latency_p99_ratio";

  /** The overall verdict's {@code check} label. */
  public static final String OVERALL = "overall";

  public static final List<String> CHECKS =
      List.of(OVERLAP, MISSING_RECORDS, MISMATCHED_RECORDS, COUNT_DIFFERENCE, LATENCY_P99_RATIO);

  private ReleaseGate() {}

  /** A check's outcome. */
  public enum Verdict {
    PASS,
    FAIL,
    INSUFFICIENT_DATA;

    /** As written in JSON: {@code pass}, {@code fail}, {@code insufficient data}. */
    public String label() {
      return name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }
  }

  /**
   * One check.
   *
   * @param comparison how {@code value} must compare with {@code threshold}: {@code >=} or {@code
   *     <=}
   * @param detail one line saying what was compared or why there is not enough data
   */
  public record Check(
      String name,
      double value,
      String comparison,
      double threshold,
      Verdict verdict,
      String detail) {}

  /** Every check, in {@link #CHECKS} order, and the overall verdict. */
  public record Report(List<Check> checks, Verdict verdict) {
    public Report {
      checks = List.copyOf(checks);
    }

    /** The names of the failing checks. */
    public List<String> failing() {
      return checks.stream().filter(c -> c.verdict() == Verdict.FAIL).map(Check::name).toList();
    }
  }

  public static Report evaluate(MigrationSnapshot s, MigrationConfig.Gate g) {
    List<Check> checks = new ArrayList<>();
    boolean enoughPairs = s.pairs() >= g.minPairs();
    String fewPairs = s.pairs() + " pairs in the window, " + g.minPairs() + " needed";
    double overlap = s.overlapAt(g.overlapAtK());
    checks.add(
        atLeast(
            OVERLAP,
            overlap,
            g.minOverlap(),
            enoughPairs,
            fewPairs,
            "mean overlap@" + g.overlapAtK() + " over " + s.pairs() + " pairs"));

    MigrationSnapshot.Records r = s.records();
    boolean enoughRecords = r.unavailable().isEmpty() && r.sampled() >= g.minRecords();
    String fewRecords =
        r.unavailable().orElse(r.sampled() + " sampled records, " + g.minRecords() + " needed");
    checks.add(
        atMost(
            MISSING_RECORDS,
            r.missingRatio(),
            g.maxMissingRatio(),
            enoughRecords,
            fewRecords,
            r.missing() + " of " + r.sampled() + " sampled records missing on the destination"));
    checks.add(
        atMost(
            MISMATCHED_RECORDS,
            r.mismatchedRatio(),
            g.maxMismatchedRatio(),
            enoughRecords,
            fewRecords,
            r.mismatched() + " of " + r.sampled() + " sampled records differ"));

    MigrationSnapshot.Counts c = s.counts();
    checks.add(
        atMost(
            COUNT_DIFFERENCE,
            Math.abs(c.difference()),
            g.maxCountDifference(),
            c.samples() > 0,
            "no entity counts read yet",
            "destination " + fmt(c.destination()) + " − source " + fmt(c.source())));

    checks.add(
        atMost(
            LATENCY_P99_RATIO,
            s.latencyRatio().p99(),
            g.maxP99LatencyRatio(),
            enoughPairs,
            fewPairs,
            "destination P99 ÷ source P99 over " + s.pairs() + " pairs"));

    Verdict overall =
        checks.stream().anyMatch(x -> x.verdict() == Verdict.FAIL)
            ? Verdict.FAIL
            : checks.stream().anyMatch(x -> x.verdict() == Verdict.INSUFFICIENT_DATA)
                ? Verdict.INSUFFICIENT_DATA
                : Verdict.PASS;
    return new Report(checks, overall);
  }

  private static Check atLeast(
      String name, double value, double threshold, boolean enough, String why, String what) {
    if (!enough || Double.isNaN(value)) {
      return new Check(
          name, value, ">=", threshold, Verdict.INSUFFICIENT_DATA, enough ? "no value yet" : why);
    }
    return new Check(
        name, value, ">=", threshold, value >= threshold ? Verdict.PASS : Verdict.FAIL, what);
  }

  private static Check atMost(
      String name, double value, double threshold, boolean enough, String why, String what) {
    if (!enough || Double.isNaN(value)) {
      return new Check(
          name, value, "<=", threshold, Verdict.INSUFFICIENT_DATA, enough ? "no value yet" : why);
    }
    return new Check(
        name, value, "<=", threshold, value <= threshold ? Verdict.PASS : Verdict.FAIL, what);
  }

  private static String fmt(double v) {
    return Double.isNaN(v) ? "unknown" : Long.toString((long) v);
  }
}
