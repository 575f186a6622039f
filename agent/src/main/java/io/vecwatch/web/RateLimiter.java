package io.vecwatch.web;

import io.vecwatch.time.Clock;

/**
 * A token bucket: up to {@code burst} requests at once, then one per {@code 1/rate} seconds. Time
 * comes from the injected clock. Thread-safe.
 *
 * <pre>{@code
 * RateLimiter l = RateLimiter.create(clock, 1.0, 5);
 * long waitNanos = l.tryAcquire(); // 0: go ahead; otherwise how long until a token is free
 * }</pre>
 */
final class RateLimiter {
  private final Clock clock;
  private final double perNano;
  private final int burst;
  private double tokens;
  private long last;

  private RateLimiter(Clock clock, double ratePerSecond, int burst) {
    this.clock = clock;
    this.perNano = ratePerSecond / 1e9;
    this.burst = burst;
    this.tokens = burst;
    this.last = clock.monotonicNanos();
  }

  static RateLimiter create(Clock clock, double ratePerSecond, int burst) {
    if (!(ratePerSecond > 0) || burst < 1) {
      throw new IllegalArgumentException("rate must be positive and burst at least 1");
    }
    return new RateLimiter(clock, ratePerSecond, burst);
  }

  double ratePerSecond() {
    return perNano * 1e9;
  }

  int burst() {
    return burst;
  }

  /**
   * Takes a token: 0 when one was free, otherwise the nanoseconds until the next one (nothing
   * taken).
   */
  synchronized long tryAcquire() {
    long now = clock.monotonicNanos();
    tokens = Math.min(burst, tokens + (now - last) * perNano);
    last = now;
    if (tokens >= 1) {
      tokens -= 1;
      return 0;
    }
    return Math.max(1, (long) Math.ceil((1 - tokens) / perNano));
  }
}
