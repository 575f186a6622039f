package io.vecwatch.concurrent;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Capped exponential backoff with "equal jitter": attempt {@code n} (0-based) waits a random time
 * in {@code [d/2, d]} where {@code d = min(max, initial * 2^n)}. The jitter keeps many agents that
 * lost the same server from reconnecting in lock-step; the lower half-bound keeps the wait from
 * collapsing to zero.
 *
 * <pre>{@code
 * Backoff b = Backoff.of(Duration.ofSeconds(1), Duration.ofMinutes(1), random::nextDouble);
 * Duration wait = b.delay(attempt);
 * }</pre>
 */
public final class Backoff {
  private final Duration initial;
  private final Duration max;
  private final DoubleSupplier random;

  private Backoff(Duration initial, Duration max, DoubleSupplier random) {
    this.initial = initial;
    this.max = max;
    this.random = random;
  }

  /**
   * @param random returns values in {@code [0, 1)}; injected so tests choose the jitter
   */
  public static Backoff of(Duration initial, Duration max, DoubleSupplier random) {
    if (initial.isNegative() || initial.isZero()) {
      throw new IllegalArgumentException("initial backoff must be positive, got " + initial);
    }
    if (max.compareTo(initial) < 0) {
      throw new IllegalArgumentException(
          "max backoff " + max + " is shorter than initial backoff " + initial);
    }
    return new Backoff(initial, max, random);
  }

  /** The capped, un-jittered delay of attempt {@code attempt} (0-based). */
  public Duration ceiling(int attempt) {
    if (attempt < 0) {
      throw new IllegalArgumentException("attempt must be >= 0, got " + attempt);
    }
    long initialNanos = initial.toNanos();
    long maxNanos = max.toNanos();
    // 2^attempt overflows quickly; stop doubling once the cap is reached
    long d = initialNanos;
    for (int i = 0; i < attempt && d < maxNanos; i++) {
      d = d > maxNanos / 2 ? maxNanos : d * 2;
    }
    return Duration.ofNanos(Math.min(d, maxNanos));
  }

  /**
   * The jittered delay before attempt {@code attempt + 1}: uniform in {@code [ceiling/2, ceiling]}.
   */
  public Duration delay(int attempt) {
    long c = ceiling(attempt).toNanos();
    double r = random.getAsDouble();
    if (!(r >= 0 && r < 1)) {
      throw new IllegalStateException("random source returned " + r + ", outside [0, 1)");
    }
    long half = c / 2;
    return Duration.ofNanos(half + (long) (r * (c - half)));
  }

  public Duration max() {
    return max;
  }

  public Duration initial() {
    return initial;
  }
}
