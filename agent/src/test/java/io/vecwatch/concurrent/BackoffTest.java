package io.vecwatch.concurrent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.time.Duration;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class BackoffTest {
  private static final Duration INITIAL = Duration.ofMillis(250);
  private static final Duration MAX = Duration.ofSeconds(30);

  @Test
  void ceilingDoublesFromTheInitialDelayUntilTheCap() {
    Backoff b = Backoff.of(INITIAL, MAX, () -> 0.0);
    for (int attempt = 0; attempt < 80; attempt++) {
      // independent formula: initial * 2^attempt, capped (BigInteger cannot overflow)
      BigInteger expected =
          BigInteger.valueOf(INITIAL.toNanos())
              .shiftLeft(attempt)
              .min(BigInteger.valueOf(MAX.toNanos()));
      assertThat(b.ceiling(attempt).toNanos())
          .as("attempt %d", attempt)
          .isEqualTo(expected.longValueExact());
    }
  }

  @Test
  void jitterStaysInTheUpperHalfOfTheCeiling() {
    for (double r : new double[] {0.0, 0.1, 0.5, 0.999999}) {
      Backoff b = Backoff.of(INITIAL, MAX, () -> r);
      for (int attempt = 0; attempt < 12; attempt++) {
        long c = b.ceiling(attempt).toNanos();
        long d = b.delay(attempt).toNanos();
        assertThat(d).isBetween(c / 2, c);
        assertThat((double) d).isCloseTo(c / 2 + r * (c - c / 2), Offset.offset(1.0));
      }
    }
  }

  @Test
  void neverWaitsLongerThanTheCapHoweverManyAttempts() {
    Backoff b = Backoff.of(INITIAL, MAX, () -> 0.999999);
    assertThat(b.delay(Integer.MAX_VALUE)).isLessThanOrEqualTo(MAX);
    assertThat(b.delay(Integer.MAX_VALUE)).isGreaterThan(MAX.dividedBy(2));
  }

  @Test
  void rejectsACapBelowTheInitialDelayAndNonPositiveDelays() {
    assertThatThrownBy(() -> Backoff.of(MAX, INITIAL, () -> 0.0))
        .hasMessage("max backoff PT0.25S is shorter than initial backoff PT30S");
    assertThatThrownBy(() -> Backoff.of(Duration.ZERO, MAX, () -> 0.0))
        .hasMessage("initial backoff must be positive, got PT0S");
  }

  @Test
  void rejectsARandomSourceOutsideTheUnitInterval() {
    Backoff b = Backoff.of(INITIAL, MAX, () -> 1.0);
    assertThatThrownBy(() -> b.delay(0)).hasMessage("random source returned 1.0, outside [0, 1)");
  }
}
