package io.vecwatch.web;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * What the status page remembers between requests, bounded: per target the last {@link #SLOTS}
 * samples taken {@link #STEP} apart (30 minutes: P99 latency and the smallest K's recall, for the
 * sparklines), and since when the target is in its current state. Fed by a periodic sampler; time
 * comes from the samples themselves. Thread-safe (the sampler writes, HTTP handlers read copies).
 */
final class StatusHistory {
  static final Duration STEP = Duration.ofSeconds(10);
  static final Duration SPAN = Duration.ofMinutes(30);
  static final int SLOTS = (int) (SPAN.toMillis() / STEP.toMillis());

  /** One target's copy for rendering, oldest first. */
  record Series(double[] p99, double[] recall, String state, long stateSinceMillis) {}

  private static final class Ring {
    final double[] p99 = new double[SLOTS];
    final double[] recall = new double[SLOTS];
    int size;
    int next;
    long lastSampleMillis = Long.MIN_VALUE;
    String state;
    long stateSince;
  }

  private final Map<String, Ring> rings = new HashMap<>();
  private final int maxTargets;

  /**
   * @param maxTargets targets remembered at most (the configured ones; others are ignored)
   */
  StatusHistory(int maxTargets) {
    this.maxTargets = maxTargets;
  }

  /**
   * Records what a target looks like at {@code wallMillis}: its state always (for "since"), its
   * values when {@link #STEP} passed since its last sample.
   */
  synchronized void observe(
      String target, long wallMillis, String state, double p99, double recall) {
    Ring r = rings.get(target);
    if (r == null) {
      if (rings.size() >= maxTargets) {
        return;
      }
      r = new Ring();
      rings.put(target, r);
    }
    if (!state.equals(r.state)) {
      r.state = state;
      r.stateSince = wallMillis;
    }
    if (r.lastSampleMillis != Long.MIN_VALUE && wallMillis - r.lastSampleMillis < STEP.toMillis()) {
      return;
    }
    // a gap (agent paused) leaves NaN slots, so the chart's time axis stays true
    long missed =
        r.lastSampleMillis == Long.MIN_VALUE
            ? 0
            : Math.min(SLOTS, (wallMillis - r.lastSampleMillis) / STEP.toMillis() - 1);
    for (long i = 0; i < missed; i++) {
      push(r, Double.NaN, Double.NaN);
    }
    push(r, p99, recall);
    r.lastSampleMillis = wallMillis;
  }

  private static void push(Ring r, double p99, double recall) {
    r.p99[r.next] = p99;
    r.recall[r.next] = recall;
    r.next = (r.next + 1) % SLOTS;
    r.size = Math.min(SLOTS, r.size + 1);
  }

  /** A copy of {@code target}'s history, or null when it was never observed. */
  synchronized Series series(String target) {
    Ring r = rings.get(target);
    if (r == null) {
      return null;
    }
    double[] p = new double[r.size];
    double[] rc = new double[r.size];
    int start = (r.next - r.size + SLOTS) % SLOTS;
    for (int i = 0; i < r.size; i++) {
      p[i] = r.p99[(start + i) % SLOTS];
      rc[i] = r.recall[(start + i) % SLOTS];
    }
    return new Series(p, rc, r.state, r.stateSince);
  }
}
