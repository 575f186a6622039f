package io.vecwatch.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

class OpenLoopScheduleTest {
  @Test
  void intendedStartsAreEvenlySpacedFromTheStart() {
    OpenLoopSchedule s = OpenLoopSchedule.of(1_000, 4.0);
    assertThat(s.intendedStart(0)).isEqualTo(1_000);
    assertThat(s.intendedStart(1)).isEqualTo(1_000 + 250_000_000L);
    assertThat(s.intendedStart(400)).isEqualTo(1_000 + 100_000_000_000L);
  }

  @Test
  void firstSlotAfterAgreesWithCountingSlotByBruteForce() {
    Random rnd = new Random(5);
    for (int trial = 0; trial < 500; trial++) {
      double rate = 0.01 + rnd.nextDouble() * 3000;
      long start = rnd.nextLong() / 4;
      OpenLoopSchedule s = OpenLoopSchedule.of(start, rate);
      long now = start + (long) (rnd.nextDouble() * 2e9);
      long count = 0;
      while (s.intendedStart(count) <= now) {
        count++;
      }
      assertThat(s.firstSlotAfter(now)).as("rate %s", rate).isEqualTo(count);
    }
  }

  @Test
  void nothingIsDueBeforeTheStart() {
    assertThat(OpenLoopSchedule.of(1_000_000, 10).firstSlotAfter(999_999)).isZero();
  }

  @Test
  void rejectsANonPositiveRate() {
    assertThatThrownBy(() -> OpenLoopSchedule.of(0, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
