package io.vecwatch.serverside;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class BucketsTest {
  private static final double INF = Double.POSITIVE_INFINITY;

  @Test
  void interpolatesLinearlyInsideTheBucketHoldingTheRank() {
    // 10 observations: 2 in (0,1], 6 in (1,2], 2 in (2,4]
    Buckets b = new Buckets(new double[] {1, 2, 4, INF}, new double[] {2, 8, 10, 10});

    // rank 5 lies in (1,2], 3 of its 6 observations in: 1 + 1 * 3/6
    assertThat(b.quantile(0.5)).isCloseTo(1 + (2 - 1) * (5.0 - 2) / 6, within(1e-12));
    // rank 9.9 lies in (2,4]: 2 + 2 * 1.9/2
    assertThat(b.quantile(0.99)).isCloseTo(2 + (4 - 2) * (9.9 - 8) / 2, within(1e-12));
    // rank 1 lies in the first bucket, which starts at 0
    assertThat(b.quantile(0.1)).isCloseTo(1 * (1.0 / 2), within(1e-12));
  }

  @Test
  void rankInTheInfBucketAnswersTheHighestFiniteBound() {
    Buckets b = new Buckets(new double[] {1, 2, INF}, new double[] {1, 1, 10});

    assertThat(b.quantile(0.99)).isEqualTo(2);
  }

  @Test
  void emptyOrBoundlessHistogramsHaveNoQuantile() {
    assertThat(new Buckets(new double[] {1, INF}, new double[] {0, 0}).quantile(0.5)).isNaN();
    assertThat(Buckets.EMPTY.quantile(0.5)).isNaN();
    assertThat(new Buckets(new double[] {1, 2}, new double[] {1, 2}).quantile(0.5)).isNaN();
  }

  @Test
  void differenceFailsWhenACountWentDown() {
    Buckets before = new Buckets(new double[] {1, INF}, new double[] {5, 9});
    Buckets after = new Buckets(new double[] {1, INF}, new double[] {1, 2});

    assertThat(after.minus(before)).isNull();
    assertThat(before.minus(after).cumulativeCounts()).containsExactly(4, 7);
  }
}
