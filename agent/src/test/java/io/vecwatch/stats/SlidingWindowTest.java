package io.vecwatch.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.vecwatch.time.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class SlidingWindowTest {
  private static final Duration WINDOW = Duration.ofSeconds(60);
  private static final int[] KS = {10, 100};

  private final ManualClock clock = new ManualClock();
  private final long origin = clock.monotonicNanos();

  /** One successful result as the test fed it. */
  private record Sample(long at, long latency, double r10, double r100) {}

  @Test
  void percentilesMatchAnExactComputationOnTheRawSamples() {
    SlidingWindow w = SlidingWindow.create(WINDOW, 2, origin);
    Random rnd = new Random(42);
    List<Sample> fed = new ArrayList<>();
    for (int i = 0; i < 5000; i++) {
      clock.advanceNanos(rnd.nextInt(10_000_000)); // ~25 s in total: everything stays in the window
      // log-uniform between 100 µs and 10 s
      long latency = (long) (1e5 * Math.pow(1e5, rnd.nextDouble()));
      fed.add(new Sample(clock.monotonicNanos(), latency, 0, 0));
      w.recordOk(clock.monotonicNanos(), latency, new double[] {1, 1}, null);
    }
    ProbeWindowStats s = w.stats(clock.monotonicNanos(), KS);
    long[] sorted = fed.stream().mapToLong(Sample::latency).sorted().toArray();
    assertThat(s.ok()).isEqualTo(sorted.length);
    for (double q : LatencyQuantiles.QUANTILES) {
      double exact = nearestRank(sorted, q) / 1e9;
      // HdrHistogram with 3 significant digits reports the top of the sample's bucket: within 0.1%
      // above it
      assertThat(s.latency().at(q)).as("quantile %s", q).isBetween(exact, exact * 1.001);
    }
  }

  /** The smallest sample such that at least q of all samples are ≤ it. */
  private static long nearestRank(long[] sorted, double q) {
    int rank = (int) Math.ceil(q * sorted.length);
    return sorted[Math.max(rank, 1) - 1];
  }

  @Test
  void rateCountsFinishedSearchesOverTheCoveredSpan() {
    SlidingWindow w = SlidingWindow.create(WINDOW, 2, origin);
    Random rnd = new Random(1);
    List<Long> finished = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      clock.advanceNanos(rnd.nextInt(120_000_000)); // ~3 minutes: older samples must drop out
      long at = clock.monotonicNanos();
      finished.add(at);
      switch (rnd.nextInt(3)) {
        case 0 -> w.recordOk(at, 1_000_000, new double[] {1, 1}, null);
        case 1 -> w.recordFailure(at, Outcome.ERROR);
        default -> w.recordFailure(at, Outcome.TIMEOUT);
      }
      w.recordSkipped(at); // skipped slots never count as finished
    }
    long now = clock.monotonicNanos();
    ProbeWindowStats s = w.stats(now, KS);
    long from = now - s.covered().toNanos();
    long inSpan = finished.stream().filter(t -> t >= from && t <= now).count();
    assertThat(s.covered())
        .isGreaterThan(WINDOW.minus(WINDOW.dividedBy(SlidingWindow.BUCKETS)))
        .isLessThanOrEqualTo(WINDOW);
    assertThat(s.finished()).isEqualTo(inSpan);
    assertThat(s.skipped()).isEqualTo(inSpan);
    assertThat(s.requestsPerSecond())
        .isCloseTo(inSpan / (s.covered().toNanos() / 1e9), within(1e-9));
  }

  @Test
  void samplesExpireWhenTimeStepsPastTheWindow() {
    SlidingWindow w = SlidingWindow.create(WINDOW, 2, origin);
    clock.advance(Duration.ofSeconds(5));
    w.recordOk(clock.monotonicNanos(), 2_000_000, new double[] {0.5, 0.25}, new double[] {1, 1});
    w.recordFailure(clock.monotonicNanos(), Outcome.ERROR);

    clock.advance(Duration.ofSeconds(54));
    ProbeWindowStats before = w.stats(clock.monotonicNanos(), KS);
    assertThat(before.ok()).isEqualTo(1);
    assertThat(before.errors()).isEqualTo(1);
    assertThat(before.recallAt(10).mean()).isEqualTo(0.5);

    clock.advance(Duration.ofSeconds(7)); // 61 s after the samples
    ProbeWindowStats after = w.stats(clock.monotonicNanos(), KS);
    assertThat(after.finished()).isZero();
    assertThat(after.latency()).isEqualTo(LatencyQuantiles.NONE);
    assertThat(after.recallAt(10).mean()).isNaN();
    assertThat(after.recallAt(10).queries()).isZero();
    assertThat(after.errorRatio()).isNaN();
    assertThat(after.requestsPerSecond()).isZero();
  }

  @Test
  void rateDuringWarmUpDividesByTheTimeSinceStart() {
    SlidingWindow w = SlidingWindow.create(WINDOW, 2, origin);
    clock.advance(Duration.ofSeconds(100)); // e.g. an index build before probing starts
    w.restartAt(clock.monotonicNanos());
    for (int i = 0; i < 50; i++) {
      clock.advance(Duration.ofMillis(200));
      w.recordOk(clock.monotonicNanos(), 1_000_000, new double[] {1, 1}, null);
    }
    ProbeWindowStats s = w.stats(clock.monotonicNanos(), KS);
    assertThat(s.covered()).isEqualTo(Duration.ofSeconds(10));
    assertThat(s.requestsPerSecond()).isCloseTo(5.0, within(1e-9));
  }

  @Test
  void ratiosAreOverFinishedSearches() {
    SlidingWindow w = SlidingWindow.create(WINDOW, 2, origin);
    for (int i = 0; i < 7; i++) {
      w.recordOk(clock.monotonicNanos(), 1000, new double[] {1, 1}, null);
    }
    for (int i = 0; i < 2; i++) {
      w.recordFailure(clock.monotonicNanos(), Outcome.ERROR);
    }
    w.recordFailure(clock.monotonicNanos(), Outcome.TIMEOUT);
    w.recordSkipped(clock.monotonicNanos());
    clock.advance(Duration.ofSeconds(1));
    ProbeWindowStats s = w.stats(clock.monotonicNanos(), KS);
    assertThat(s.errorRatio()).isEqualTo(2.0 / 10);
    assertThat(s.timeoutRatio()).isEqualTo(1.0 / 10);
    assertThat(s.skipped()).isEqualTo(1);
  }

  @Test
  void meanRecallPerKWithTheNumberOfQueriesBehindIt() {
    SlidingWindow w = SlidingWindow.create(WINDOW, 2, origin);
    Random rnd = new Random(9);
    double[] sum = new double[2];
    double[] distSum = new double[2];
    int n = 333;
    for (int i = 0; i < n; i++) {
      double[] r = {rnd.nextInt(11) / 10.0, rnd.nextInt(101) / 100.0};
      double[] d = {Math.min(1, r[0] + 0.1), Math.min(1, r[1] + 0.05)};
      sum[0] += r[0];
      sum[1] += r[1];
      distSum[0] += d[0];
      distSum[1] += d[1];
      clock.advanceNanos(1_000_000);
      w.recordOk(clock.monotonicNanos(), 5_000, r, d);
    }
    w.recordFailure(clock.monotonicNanos(), Outcome.ERROR); // errors carry no recall
    ProbeWindowStats s = w.stats(clock.monotonicNanos(), KS);
    assertThat(s.recall()).extracting(RecallWindow::k).containsExactly(10, 100);
    for (int i = 0; i < 2; i++) {
      RecallWindow r = s.recall().get(i);
      assertThat(r.queries()).isEqualTo(n);
      assertThat(r.mean()).isCloseTo(sum[i] / n, within(1e-12));
      assertThat(r.distanceQueries()).isEqualTo(n);
      assertThat(r.distanceMean()).isCloseTo(distSum[i] / n, within(1e-12));
    }
  }

  @Test
  void emptyWindowReportsUndefinedValues() {
    SlidingWindow w = SlidingWindow.create(WINDOW, 2, origin);
    ProbeWindowStats atStart = w.stats(clock.monotonicNanos(), KS);
    assertThat(atStart.covered()).isEqualTo(Duration.ZERO);
    assertThat(atStart.requestsPerSecond()).isNaN();
    assertThat(atStart.latency().p50()).isNaN();
    assertThat(atStart.timeoutRatio()).isNaN();
  }

  @Test
  void readsDoNotDisturbLaterReads() {
    SlidingWindow w = SlidingWindow.create(WINDOW, 2, origin);
    long[] latencies = {1_000, 2_000_000, 3_000_000_000L};
    for (long l : latencies) {
      w.recordOk(clock.monotonicNanos(), l, new double[] {1, 1}, null);
      w.stats(clock.monotonicNanos(), KS); // harvests the bucket between writes
    }
    ProbeWindowStats s = w.stats(clock.monotonicNanos(), KS);
    assertThat(s.ok()).isEqualTo(3);
    assertThat(s.latency().p999()).isBetween(3.0, 3.0 * 1.001);
    assertThat(s.latency().p50()).isBetween(0.002, 0.002 * 1.001);
  }

  @Test
  void aLatencyBeyondAnHourCountsAsAnHour() {
    SlidingWindow w = SlidingWindow.create(WINDOW, 2, origin);
    w.recordOk(clock.monotonicNanos(), Duration.ofHours(5).toNanos(), new double[] {1, 1}, null);
    w.recordOk(clock.monotonicNanos(), 2_000_000, new double[] {1, 1}, null);

    ProbeWindowStats s = w.stats(clock.monotonicNanos(), KS);
    assertThat(s.ok()).isEqualTo(2);
    assertThat(s.latency().p999()).isBetween(3600.0, 3600.0 * 1.001);
    assertThat(s.latency().p50()).isBetween(0.002, 0.002 * 1.001);
  }

  @Test
  void latenciesOfManyBucketsMergeAsOneHistogramWould() {
    SlidingWindow w = SlidingWindow.create(WINDOW, 2, origin);
    Random random = new Random(5);
    Histogram expected = new Histogram(3);
    for (int second = 0; second < 90; second++) {
      if (second > 0) {
        clock.advance(Duration.ofSeconds(1));
      }
      for (int i = 0; i < 7; i++) {
        long latency = 1 + (long) (Math.exp(random.nextGaussian() * 2 + 15));
        w.recordOk(clock.monotonicNanos(), latency, new double[] {1, 1}, null);
        if (second >= 30) {
          expected.recordValue(latency);
        }
      }
      if (second % 4 == 0) {
        w.stats(clock.monotonicNanos(), KS); // reads between writes harvest partial buckets
      }
    }
    // now in second 89: the window is seconds 30..89

    ProbeWindowStats s = w.stats(clock.monotonicNanos(), KS);
    assertThat(s.ok()).isEqualTo(expected.getTotalCount());
    for (double[] q :
        new double[][] {
          {50, s.latency().p50()},
          {95, s.latency().p95()},
          {99, s.latency().p99()},
          {99.9, s.latency().p999()}
        }) {
      assertThat(q[1]).as("p%s", q[0]).isEqualTo(expected.getValueAtPercentile(q[0]) / 1e9);
    }
  }

  @Test
  void concurrentWritersLoseNothingWhileAReaderReads() throws Exception {
    SlidingWindow w = SlidingWindow.create(WINDOW, 2, origin);
    int threads = 4;
    int perThread = 20_000;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch go = new CountDownLatch(1);
    for (int t = 0; t < threads; t++) {
      pool.execute(
          () -> {
            try {
              go.await();
            } catch (InterruptedException e) {
              return;
            }
            for (int i = 0; i < perThread; i++) {
              w.recordOk(clock.monotonicNanos(), 1000 + i, new double[] {1, 0.5}, null);
            }
          });
    }
    go.countDown();
    pool.shutdown();
    while (!pool.awaitTermination(1, TimeUnit.MILLISECONDS)) {
      ProbeWindowStats mid = w.stats(clock.monotonicNanos(), KS);
      // Readers are lock-free: a read racing writers may count results whose recall sums it has
      // not seen yet (never a sum without its count), so a mean seen mid-flight can be low (by the
      // writes that land while it reads, many of a small total at the start) but never above 1.
      // Exactness is asserted once writers are done.
      double mean = mid.recallAt(10).mean();
      assertThat(Double.isNaN(mean) || (mean >= 0 && mean <= 1.0)).as("mean %s", mean).isTrue();
    }
    ProbeWindowStats s = w.stats(clock.monotonicNanos(), KS);
    assertThat(s.ok()).isEqualTo((long) threads * perThread);
    assertThat(s.recallAt(100).mean()).isEqualTo(0.5);
    assertThat(s.recallAt(100).queries()).isEqualTo((long) threads * perThread);
  }

  @Test
  void rejectsAWindowShorterThanItsBuckets() {
    assertThatThrownBy(() -> SlidingWindow.create(Duration.ofMillis(10), 1, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 60ms");
  }

  @Test
  void keepsAWindowThatIsNotAWholeNumberOfSeconds() {
    SlidingWindow w = SlidingWindow.create(Duration.ofMillis(1500), 1, origin);
    clock.advance(Duration.ofSeconds(10));
    long now = clock.monotonicNanos();
    for (long back : new long[] {0, 1_000_000_000L, 1_450_000_000L, 1_600_000_000L}) {
      w.recordFailure(now - back, Outcome.ERROR);
    }
    ProbeWindowStats s = w.stats(now, new int[] {10});
    long from = now - s.covered().toNanos();
    long expected =
        Arrays.stream(new long[] {0, 1_000_000_000L, 1_450_000_000L, 1_600_000_000L})
            .filter(back -> now - back >= from)
            .count();
    assertThat(s.errors()).isEqualTo(expected);
    assertThat(s.covered()).isLessThanOrEqualTo(Duration.ofMillis(1500));
  }

  /**
   * Reads slide a running sum of the closed buckets; checked against percentiles of a histogram
   * built directly from the latencies inside each read's window, over reads that advance by 0 to 3
   * buckets, jump past the whole window, and go back in time.
   */
  @Test
  void latencyPercentilesFollowTheWindowAcrossManyReads() {
    long origin = 1_000_000_000L;
    long bucket = WINDOW.toNanos() / SlidingWindow.BUCKETS;
    SlidingWindow w = SlidingWindow.create(WINDOW, 0, origin);
    Random rnd = new Random(7);
    List<long[]> recorded = new ArrayList<>(); // {at, latency}
    long now = origin;
    for (int step = 0; step < 400; step++) {
      int move = rnd.nextInt(20);
      if (move == 0 && step > 0) {
        now += 70 * bucket; // past the whole window
      } else {
        now += (move % 4) * bucket + rnd.nextInt((int) Math.min(Integer.MAX_VALUE, bucket));
      }
      for (int r = rnd.nextInt(4); r > 0; r--) {
        long latency = 50_000 + (long) (rnd.nextDouble() * rnd.nextDouble() * 20_000_000);
        w.recordOk(now, latency, null, null);
        recorded.add(new long[] {now, latency});
      }
      long readAt =
          move == 1
              ? now - rnd.nextInt(3) * bucket
              : now; // now and then a read a little in the past
      if (readAt < origin) {
        readAt = now;
      }
      long nowEpoch = Math.floorDiv(readAt - origin, bucket);
      Histogram expected = new Histogram(3);
      for (long[] r : recorded) {
        long e = Math.floorDiv(r[0] - origin, bucket);
        if (e > nowEpoch - SlidingWindow.BUCKETS && e <= nowEpoch) {
          expected.recordValue(r[1]);
        }
      }
      LatencyQuantiles q = w.stats(readAt, new int[0]).latency();
      if (expected.getTotalCount() == 0) {
        assertThat(q).as("step %d", step).isEqualTo(LatencyQuantiles.NONE);
        continue;
      }
      assertThat(q.p50()).as("step %d", step).isEqualTo(expected.getValueAtPercentile(50.0) / 1e9);
      assertThat(q.p99()).as("step %d", step).isEqualTo(expected.getValueAtPercentile(99.0) / 1e9);
      assertThat(q.p999()).as("step %d", step).isEqualTo(expected.getValueAtPercentile(99.9) / 1e9);
    }
  }
}
