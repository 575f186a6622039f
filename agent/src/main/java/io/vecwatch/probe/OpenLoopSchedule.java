package io.vecwatch.probe;

/**
 * Intended start times of an open-loop schedule: slot {@code i} starts at {@code start + i / rate},
 * whatever happened to earlier slots. Latency is measured from these times, so a stalled target or
 * agent shows up in the percentiles instead of silently thinning the sample (coordinated omission).
 */
public final class OpenLoopSchedule {
  private final long startNanos;
  private final double periodNanos;

  private OpenLoopSchedule(long startNanos, double periodNanos) {
    this.startNanos = startNanos;
    this.periodNanos = periodNanos;
  }

  /**
   * @param rate slots per second, positive and finite
   */
  public static OpenLoopSchedule of(long startNanos, double rate) {
    if (!(rate > 0) || Double.isInfinite(rate)) {
      throw new IllegalArgumentException("rate must be positive, got " + rate);
    }
    return new OpenLoopSchedule(startNanos, 1e9 / rate);
  }

  /** The intended start of slot {@code slot} (0-based), on the monotonic clock. */
  public long intendedStart(long slot) {
    return startNanos + Math.round(slot * periodNanos);
  }

  /** The first slot whose intended start is after {@code nowNanos}: slots below it are due. */
  public long firstSlotAfter(long nowNanos) {
    if (nowNanos < startNanos) {
      return 0;
    }
    long slot = (long) Math.floor((nowNanos - startNanos) / periodNanos);
    // correct for rounding in either direction
    while (slot > 0 && intendedStart(slot - 1) > nowNanos) {
      slot--;
    }
    while (intendedStart(slot) <= nowNanos) {
      slot++;
    }
    return slot;
  }
}
