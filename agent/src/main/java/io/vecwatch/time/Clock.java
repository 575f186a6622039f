package io.vecwatch.time;

/**
 * The only source of time for vecwatch logic. Production code uses {@link #system()}; tests use
 * {@link ManualClock} and step it, so no logic ever reads the wall clock by itself.
 */
public interface Clock {
  /** Wall-clock time in milliseconds since the epoch (for timestamps shown to users). */
  long wallMillis();

  /**
   * A monotonic reading in nanoseconds, only meaningful as a difference (for latencies and
   * schedules).
   */
  long monotonicNanos();

  static Clock system() {
    return SystemClock.INSTANCE;
  }
}
