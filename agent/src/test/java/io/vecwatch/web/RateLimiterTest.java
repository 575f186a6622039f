package io.vecwatch.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.vecwatch.time.ManualClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
  @Test
  void allowsABurstThenOnePerSecond() {
    ManualClock clock = new ManualClock();
    RateLimiter l = RateLimiter.create(clock, 1.0, 5);
    for (int i = 0; i < 5; i++) {
      assertThat(l.tryAcquire()).isZero();
    }
    assertThat(l.tryAcquire()).isEqualTo(Duration.ofSeconds(1).toNanos());
    clock.advance(Duration.ofMillis(400));
    assertThat(l.tryAcquire())
        .isBetween(Duration.ofMillis(599).toNanos(), Duration.ofMillis(601).toNanos());
    clock.advance(Duration.ofMillis(600));
    assertThat(l.tryAcquire()).isZero();
    assertThat(l.tryAcquire()).isPositive();
  }

  @Test
  void refillsNoFurtherThanTheBurst() {
    ManualClock clock = new ManualClock();
    RateLimiter l = RateLimiter.create(clock, 1.0, 2);
    clock.advance(Duration.ofHours(1));
    assertThat(l.tryAcquire()).isZero();
    assertThat(l.tryAcquire()).isZero();
    assertThat(l.tryAcquire()).isPositive();
  }
}
