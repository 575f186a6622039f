package io.vecwatch.stats;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The last probe results of one target, like blackbox_exporter's probe history: two bounded rings,
 * one for successful searches and a longer one for failed ones, so a failure stays visible after
 * many successes. Recording overwrites the oldest entry of its ring (and counts it); {@link
 * #snapshot()} returns an immutable copy, newest first. Thread-safe; recording is a short critical
 * section (a few searches per second).
 *
 * <pre>{@code
 * RecentProbes recent = RecentProbes.create(20, 50);
 * recent.record(RecentProbes.Entry.ok(wallMillis, latencyNanos, Map.of(10, 0.9)));
 * List<RecentProbes.Entry> newestFirst = recent.snapshot();
 * }</pre>
 */
public final class RecentProbes {
  /** Successful results kept per target by default. */
  public static final int DEFAULT_OK = 20;

  /**
   * Failed results kept per target by default (more than successes: they are what someone looks
   * for).
   */
  public static final int DEFAULT_FAILED = 50;

  /**
   * One finished search.
   *
   * @param wallMillis when it finished (epoch millis)
   * @param outcome {@code ok}, {@code error} or {@code timeout}
   * @param latencyNanos from the intended start to completion (to the deadline for a timeout)
   * @param recall recall@K by K, ascending; empty for failures
   * @param error what went wrong, one line; empty for successes
   */
  public record Entry(
      long wallMillis,
      String outcome,
      long latencyNanos,
      Map<Integer, Double> recall,
      Optional<String> error) {
    public Entry {
      recall = Collections.unmodifiableMap(new TreeMap<>(recall));
    }

    public static Entry ok(long wallMillis, long latencyNanos, Map<Integer, Double> recall) {
      return new Entry(wallMillis, "ok", latencyNanos, recall, Optional.empty());
    }

    public static Entry failed(long wallMillis, String outcome, long latencyNanos, String error) {
      return new Entry(wallMillis, outcome, latencyNanos, Map.of(), Optional.of(error));
    }

    public boolean ok() {
      return outcome.equals("ok");
    }
  }

  private final Entry[] okRing;
  private final Entry[] failedRing;
  private long okCount;
  private long failedCount;

  private RecentProbes(int ok, int failed) {
    this.okRing = new Entry[ok];
    this.failedRing = new Entry[failed];
  }

  /**
   * Keeps the last {@code ok} successful and the last {@code failed} failed results (each at least
   * 1).
   */
  public static RecentProbes create(int ok, int failed) {
    if (ok < 1 || failed < 1) {
      throw new IllegalArgumentException(
          "ring sizes must be positive, got " + ok + " and " + failed);
    }
    return new RecentProbes(ok, failed);
  }

  public static RecentProbes create() {
    return create(DEFAULT_OK, DEFAULT_FAILED);
  }

  public synchronized void record(Entry e) {
    if (e.ok()) {
      okRing[(int) (okCount++ % okRing.length)] = e;
    } else {
      failedRing[(int) (failedCount++ % failedRing.length)] = e;
    }
  }

  /** Every kept entry, newest first. */
  public List<Entry> snapshot() {
    List<Entry> out = new ArrayList<>(okRing.length + failedRing.length);
    synchronized (this) {
      for (Entry e : okRing) {
        if (e != null) {
          out.add(e);
        }
      }
      for (Entry e : failedRing) {
        if (e != null) {
          out.add(e);
        }
      }
    }
    out.sort(Comparator.comparingLong(Entry::wallMillis).reversed());
    return List.copyOf(out);
  }

  /** Results overwritten so far because their ring was full. */
  public synchronized long overwritten() {
    return Math.max(0, okCount - okRing.length) + Math.max(0, failedCount - failedRing.length);
  }
}
