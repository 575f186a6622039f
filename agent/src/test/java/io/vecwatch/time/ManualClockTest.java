package io.vecwatch.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ManualClockTest {

  @Test
  void standsStillUntilAdvanced() {
    ManualClock c = new ManualClock(1_000L);

    assertThat(c.monotonicNanos()).isZero();
    assertThat(c.wallMillis()).isEqualTo(1_000L);
    assertThat(c.monotonicNanos()).isZero();
  }

  @Test
  void advancesWallAndMonotonicTimeTogether() {
    ManualClock c = new ManualClock(1_000L);

    c.advance(Duration.ofMillis(1500)).advanceNanos(250_000);

    assertThat(c.monotonicNanos()).isEqualTo(1_500_250_000L);
    assertThat(c.wallMillis()).isEqualTo(2_500L);
  }

  @Test
  void systemClockIsMonotonic() {
    Clock c = Clock.system();
    long a = c.monotonicNanos();
    long b = c.monotonicNanos();

    assertThat(b).isGreaterThanOrEqualTo(a);
    assertThat(c.wallMillis()).isPositive();
  }
}
