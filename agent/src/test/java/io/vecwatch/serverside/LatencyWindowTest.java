package io.vecwatch.serverside;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class LatencyWindowTest {
  private static final double INF = Double.POSITIVE_INFINITY;
  private static final double[] BOUNDS = {1, 2, 4, INF};
  private static final long S = TimeUnit.SECONDS.toNanos(1);

  @Test
  void serverAndClientCoverTheSameIntervalsOfTheWindow() {
    LatencyWindow w = new LatencyWindow(60 * S);
    Random rnd = new Random(7);
    List<Long> clientInWindow = new ArrayList<>();
    double[][] counts = {
      {2, 2, 2, 2}, {2, 2, 2, 2}, {2, 5, 6, 6}, {2, 8, 9, 9}, {2, 10, 12, 12}, {2, 12, 14, 14}
    };
    double[] sums = {3, 3, 20, 30, 40, 50};
    for (int i = 0; i < counts.length; i++) {
      Histogram h = new Histogram(3);
      for (int j = 0; j < 50; j++) {
        long v = 500_000 + rnd.nextInt(5_000_000);
        h.recordValue(v);
        if (i
            >= 2) { // the base entry at 15 s starts the window at 75 s; its own interval is outside
          clientInWindow.add(v);
        }
      }
      w.add(i * 15 * S, new Buckets(BOUNDS, counts[i]), sums[i], h);
    }

    LatencyComparison s = w.stats();
    assertThat(s.seconds()).isEqualTo(60);
    // delta 75 s - 15 s: {0, 10, 12, 12}
    assertThat(s.serverRate()).isCloseTo(12.0 / 60, within(1e-12));
    assertThat(s.serverP50()).isCloseTo((1 + (2 - 1) * (6.0 - 0) / 10) / 1000, within(1e-12));
    assertThat(s.serverP99()).isCloseTo((2 + (4 - 2) * (0.99 * 12 - 10) / 2) / 1000, within(1e-12));
    assertThat(s.serverMean()).isCloseTo((50.0 - 3) / 12 / 1000, within(1e-12));

    long[] sorted = clientInWindow.stream().mapToLong(Long::longValue).sorted().toArray();
    assertThat(s.clientCount()).isEqualTo(sorted.length);
    double exactP99 = sorted[(int) Math.ceil(0.99 * sorted.length) - 1] / 1e9;
    assertThat(s.clientP99()).isCloseTo(exactP99, within(exactP99 * 0.002));
    double exactMean = Arrays.stream(sorted).average().orElseThrow() / 1e9;
    assertThat(s.clientMean()).isCloseTo(exactMean, within(exactMean * 0.002));
    assertThat(s.gapP99()).isCloseTo(s.clientP99() - s.serverP99(), within(0.0));
  }

  @Test
  void aServerRestartStartsTheWindowOver() {
    LatencyWindow w = new LatencyWindow(60 * S);
    w.add(0, new Buckets(BOUNDS, new double[] {5, 5, 5, 5}), 5, new Histogram(3));
    w.add(15 * S, new Buckets(BOUNDS, new double[] {6, 6, 6, 6}), 6, new Histogram(3));
    assertThat(w.stats().serverRate()).isCloseTo(1.0 / 15, within(1e-12));

    w.add(30 * S, new Buckets(BOUNDS, new double[] {1, 1, 1, 1}), 1, new Histogram(3));

    assertThat(w.stats()).isEqualTo(LatencyComparison.EMPTY);
  }

  @Test
  void noSearchesMeansNoQuantiles() {
    LatencyWindow w = new LatencyWindow(60 * S);
    w.add(0, Buckets.EMPTY, Double.NaN, new Histogram(3));
    w.add(15 * S, Buckets.EMPTY, Double.NaN, new Histogram(3));

    LatencyComparison s = w.stats();
    assertThat(s.serverRate()).isZero();
    assertThat(s.serverP99()).isNaN();
    assertThat(s.clientP99()).isNaN();
    assertThat(s.gapP99()).isNaN();
  }
}
