package io.vecwatch.stats;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;
import org.HdrHistogram.Recorder;

/**
 * Sliding-window statistics of one probe: a ring of {@value #BUCKETS} sub-intervals ("buckets", 1 s
 * for the default 60 s window) with outcome counts, recall sums and latency histograms. Counts and
 * sums go straight into the bucket their timestamp falls in. Latencies go into one HdrHistogram
 * {@link Recorder} per window; its interval histogram is harvested into the bucket of the
 * interval's epoch whenever time enters a new bucket (by the first writer that notices) and on
 * every read; a bucket keeps only the latencies it received, as (value, count) pairs. A stats read
 * merges the pairs of the buckets inside the window ending at {@code now}, so its cost follows the
 * number of distinct latencies in the window, not the histograms' full range (merging whole
 * histograms index by index was the largest part of the agent's CPU at 10 probes/s). Buckets older
 * than the window are ignored and later replaced, so expiry depends on time only, never on how
 * often anyone reads.
 *
 * <p>Writers never wait for readers: recording is a wait-free {@link Recorder#recordValue} plus
 * adder increments; the writer that opens a new bucket harvests only if it gets the lock at once
 * ({@code tryLock}), else its latency lands in the previous bucket (off by one bucket, only when
 * racing a reader at a bucket boundary). Readers serialise on the lock. A read concurrent with a
 * write may see that result's count without its recall sum (never the reverse, so a mean stays
 * within [0, 1]).
 *
 * <p>Latencies are kept at nanosecond resolution with 3 significant digits, up to {@link
 * #MAX_LATENCY_NANOS} (longer ones count as that). Memory: the recorder's two fixed-range
 * histograms (265 KiB each), the merge histogram (grows with the largest latency seen: 170 KiB for
 * 1 s, 200 KiB for 10 s), and 16 bytes per distinct latency per bucket.
 *
 * <pre>{@code
 * SlidingWindow w = SlidingWindow.create(Duration.ofSeconds(60), 2, clock.monotonicNanos());
 * w.recordOk(clock.monotonicNanos(), latencyNanos, new double[] {1.0, 0.97}, null);
 * ProbeWindowStats s = w.stats(clock.monotonicNanos(), new int[] {10, 100});
 * }</pre>
 */
public final class SlidingWindow {
  /** Sub-intervals per window: the window's time resolution is 1/60 of its length. */
  public static final int BUCKETS = 60;

  /** The longest latency kept: a probe never waits an hour for a search. */
  public static final long MAX_LATENCY_NANOS = TimeUnit.HOURS.toNanos(1);

  private static final int SIGNIFICANT_DIGITS = 3;

  private final long originNanos;
  private final long windowNanos;
  private final long bucketNanos;
  private final int recallSlots;
  // BUCKETS + 1 slots: a writer opening the bucket after "now" never overwrites the oldest bucket a
  // reader
  // at "now" still needs.
  private final AtomicReferenceArray<Bucket> ring = new AtomicReferenceArray<>(BUCKETS + 1);
  // fixed range: the recorder then keeps atomic (not phaser-guarded) counts, which a harvest reads
  // without taking a lock per count
  private final Recorder latency = new Recorder(1, MAX_LATENCY_NANOS, SIGNIFICANT_DIGITS);
  private final ReentrantLock lock = new ReentrantLock();
  // the epoch of the latencies in the recorder's current interval; written under the lock, read by
  // writers
  private volatile long intervalEpoch;
  private Histogram recycle; // guarded by lock
  private final Histogram merged = new Histogram(SIGNIFICANT_DIGITS); // guarded by lock
  // when recording began (the origin unless restartAt moved it): the warm-up span counts from here
  private volatile long startedNanos;

  private SlidingWindow(long originNanos, long windowNanos, int recallSlots) {
    this.originNanos = originNanos;
    this.windowNanos = windowNanos;
    this.bucketNanos = windowNanos / BUCKETS;
    this.recallSlots = recallSlots;
    this.startedNanos = originNanos;
  }

  /**
   * @param window window length, at least 60 ms (so each bucket is at least 1 ms)
   * @param recallSlots how many K values recall sums are kept for
   * @param originNanos monotonic time the window starts at (the probe's start); rates during
   *     warm-up divide by the time since then (see {@link #restartAt})
   */
  public static SlidingWindow create(Duration window, int recallSlots, long originNanos) {
    if (window.toMillis() < BUCKETS) {
      throw new IllegalArgumentException(
          "window must be at least " + BUCKETS + "ms, got " + window);
    }
    if (recallSlots < 0) {
      throw new IllegalArgumentException("recallSlots must not be negative");
    }
    return new SlidingWindow(
        originNanos, window.toNanos() - window.toNanos() % BUCKETS, recallSlots);
  }

  /**
   * Declares that recording really begins at {@code nanos} (e.g. the probe's runner started after
   * its index was built), so the warm-up span and the rate count from there.
   */
  public void restartAt(long nanos) {
    startedNanos = nanos;
  }

  public Duration window() {
    return Duration.ofNanos(windowNanos);
  }

  /**
   * Records a successful search.
   *
   * @param recall recall per K slot, or null when not computed
   * @param distanceRecall distance-variant recall per K slot, or null when not available
   */
  public void recordOk(long atNanos, long latencyNanos, double[] recall, double[] distanceRecall) {
    long epoch = epochOf(atNanos);
    Bucket b = bucketAt(epoch);
    if (b == null) {
      return;
    }
    if (epoch > intervalEpoch && lock.tryLock()) {
      try {
        rotateTo(epoch);
      } finally {
        lock.unlock();
      }
    }
    latency.recordValue(Math.min(MAX_LATENCY_NANOS, Math.max(1, latencyNanos)));
    b.ok.increment();
    // counts before sums: a concurrent reader may see a count without its sum, never a sum without
    // its count
    if (recall != null) {
      b.recallCount.increment();
      for (int i = 0; i < recallSlots; i++) {
        b.recallSum[i].add(recall[i]);
      }
    }
    if (distanceRecall != null) {
      b.distanceCount.increment();
      for (int i = 0; i < recallSlots; i++) {
        b.distanceSum[i].add(distanceRecall[i]);
      }
    }
  }

  /** Records a search that ended in {@link Outcome#ERROR} or {@link Outcome#TIMEOUT}. */
  public void recordFailure(long atNanos, Outcome outcome) {
    if (outcome == Outcome.OK) {
      throw new IllegalArgumentException("use recordOk for successful searches");
    }
    Bucket b = bucketAt(epochOf(atNanos));
    if (b != null) {
      (outcome == Outcome.ERROR ? b.errors : b.timeouts).increment();
    }
  }

  public void recordSkipped(long atNanos) {
    Bucket b = bucketAt(epochOf(atNanos));
    if (b != null) {
      b.skipped.increment();
    }
  }

  private long epochOf(long atNanos) {
    return Math.floorDiv(atNanos - originNanos, bucketNanos);
  }

  /**
   * The bucket of {@code epoch}, opening it if needed; null when that epoch is already out of the
   * ring.
   */
  private Bucket bucketAt(long epoch) {
    int slot = (int) Math.floorMod(epoch, (long) ring.length());
    while (true) {
      Bucket b = ring.get(slot);
      if (b != null && b.epoch == epoch) {
        return b;
      }
      if (b != null && b.epoch > epoch) {
        return null; // older than the whole ring: outside any window a reader can ask for
      }
      if (ring.compareAndSet(slot, b, new Bucket(epoch, recallSlots))) {
        return ring.get(slot);
      }
    }
  }

  /**
   * Statistics over the window ending at {@code nowNanos}: the buckets from {@code now - window}
   * (rounded up to a bucket start, and not before the origin) to {@code now}.
   *
   * @param ks the K of each recall slot, for labelling the result
   */
  public ProbeWindowStats stats(long nowNanos, int[] ks) {
    if (ks.length != recallSlots) {
      throw new IllegalArgumentException("expected " + recallSlots + " K values, got " + ks.length);
    }
    lock.lock();
    try {
      return statsLocked(nowNanos, ks);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Harvests the recorder's interval into its bucket and starts a new interval for {@code epoch}.
   */
  private void rotateTo(long epoch) {
    if (epoch > intervalEpoch) {
      harvest();
      intervalEpoch = epoch;
    }
  }

  /**
   * Moves the latencies recorded since the last harvest into the bucket of the current interval's
   * epoch.
   */
  private void harvest() {
    Histogram interval = latency.getIntervalHistogram(recycle);
    recycle = interval;
    if (interval.getTotalCount() == 0) {
      return;
    }
    Bucket b = bucketAt(intervalEpoch);
    if (b != null) {
      b.addLatencies(interval);
    }
  }

  private ProbeWindowStats statsLocked(long nowNanos, int[] ks) {
    long nowEpoch = epochOf(nowNanos);
    if (nowEpoch > intervalEpoch) {
      rotateTo(nowEpoch);
    } else {
      harvest();
    }
    long firstEpoch = nowEpoch - BUCKETS + 1;
    long from = Math.max(startedNanos, originNanos + firstEpoch * bucketNanos);
    long coveredNanos = Math.max(0, nowNanos - from);

    merged.reset();
    long ok = 0;
    long errors = 0;
    long timeouts = 0;
    long skipped = 0;
    long recallCount = 0;
    long distanceCount = 0;
    double[] recallSum = new double[recallSlots];
    double[] distanceSum = new double[recallSlots];
    for (int i = 0; i < ring.length(); i++) {
      Bucket b = ring.get(i);
      if (b == null || b.epoch < firstEpoch || b.epoch > nowEpoch) {
        continue;
      }
      // sums before counts (the mirror of the writers' order)
      for (int k = 0; k < recallSlots; k++) {
        recallSum[k] += b.recallSum[k].sum();
        distanceSum[k] += b.distanceSum[k].sum();
      }
      recallCount += b.recallCount.sum();
      distanceCount += b.distanceCount.sum();
      ok += b.ok.sum();
      errors += b.errors.sum();
      timeouts += b.timeouts.sum();
      skipped += b.skipped.sum();
      b.mergeLatenciesInto(merged);
    }

    long finished = ok + errors + timeouts;
    double seconds = coveredNanos / 1e9;
    LatencyQuantiles latency =
        merged.getTotalCount() == 0
            ? LatencyQuantiles.NONE
            : new LatencyQuantiles(
                seconds(merged, 50.0),
                seconds(merged, 95.0),
                seconds(merged, 99.0),
                seconds(merged, 99.9));
    List<RecallWindow> recall = new ArrayList<>(recallSlots);
    for (int k = 0; k < recallSlots; k++) {
      recall.add(
          new RecallWindow(
              ks[k],
              recallCount == 0 ? Double.NaN : Math.min(1.0, recallSum[k] / recallCount),
              recallCount,
              distanceCount == 0 ? Double.NaN : Math.min(1.0, distanceSum[k] / distanceCount),
              distanceCount));
    }
    return new ProbeWindowStats(
        window(),
        Duration.ofNanos(coveredNanos),
        ok,
        errors,
        timeouts,
        skipped,
        coveredNanos == 0 ? Double.NaN : finished / seconds,
        finished == 0 ? Double.NaN : (double) errors / finished,
        finished == 0 ? Double.NaN : (double) timeouts / finished,
        latency,
        recall);
  }

  private static double seconds(Histogram h, double percentile) {
    return h.getValueAtPercentile(percentile) / 1e9;
  }

  /**
   * One sub-interval. Writers touch the adders; {@code latency} is only touched under the window's
   * lock.
   */
  private static final class Bucket {
    final long epoch;
    final LongAdder ok = new LongAdder();
    final LongAdder errors = new LongAdder();
    final LongAdder timeouts = new LongAdder();
    final LongAdder skipped = new LongAdder();
    final LongAdder recallCount = new LongAdder();
    final LongAdder distanceCount = new LongAdder();
    final DoubleAdder[] recallSum;
    final DoubleAdder[] distanceSum;
    // the latencies harvested into this bucket as (value, count) pairs; guarded by the window's
    // lock
    private long[] latencyValues;
    private long[] latencyCounts;
    private int latencyPairs;

    Bucket(long epoch, int recallSlots) {
      this.epoch = epoch;
      this.recallSum = new DoubleAdder[recallSlots];
      this.distanceSum = new DoubleAdder[recallSlots];
      for (int i = 0; i < recallSlots; i++) {
        recallSum[i] = new DoubleAdder();
        distanceSum[i] = new DoubleAdder();
      }
    }

    /** Adds the recorded values of {@code h} (values are the highest equivalent of their bin). */
    void addLatencies(Histogram h) {
      for (HistogramIterationValue v : h.recordedValues()) {
        if (latencyValues == null) {
          latencyValues = new long[8];
          latencyCounts = new long[8];
        } else if (latencyPairs == latencyValues.length) {
          latencyValues = Arrays.copyOf(latencyValues, 2 * latencyPairs);
          latencyCounts = Arrays.copyOf(latencyCounts, 2 * latencyPairs);
        }
        latencyValues[latencyPairs] = v.getValueIteratedTo();
        latencyCounts[latencyPairs] = v.getCountAddedInThisIterationStep();
        latencyPairs++;
      }
    }

    /**
     * Records this bucket's latencies into {@code h} (same precision: each value lands in the bin
     * it came from).
     */
    void mergeLatenciesInto(Histogram h) {
      for (int i = 0; i < latencyPairs; i++) {
        h.recordValueWithCount(latencyValues[i], latencyCounts[i]);
      }
    }
  }
}
