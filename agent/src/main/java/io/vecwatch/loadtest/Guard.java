package io.vecwatch.loadtest;

import io.vecwatch.time.Clock;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The guard rails of one run: a total request budget, a deadline, and a stop switch (Ctrl-C). Every
 * search asks {@link #permit()} first, so none of the three can be overrun by more than the
 * searches already in flight.
 */
final class Guard {
  private final Clock clock;
  private final AtomicLong budget;
  private final long deadlineNanos;
  private final AtomicReference<String> stopReason = new AtomicReference<>();

  Guard(Clock clock, long requestBudget, long maxDurationNanos) {
    this.clock = clock;
    this.budget = new AtomicLong(requestBudget);
    this.deadlineNanos = clock.monotonicNanos() + maxDurationNanos;
  }

  /** Whether one more search may be sent; takes it from the budget. */
  boolean permit() {
    if (stopReason.get() != null) {
      return false;
    }
    if (clock.monotonicNanos() >= deadlineNanos) {
      stop("the maximum duration was reached");
      return false;
    }
    if (budget.decrementAndGet() < 0) {
      stop("the request budget was used up");
      return false;
    }
    return true;
  }

  /** Stops the run (the first reason given is kept). */
  void stop(String reason) {
    stopReason.compareAndSet(null, reason);
  }

  boolean stopped() {
    return stopReason.get() != null;
  }

  /** Why the run stopped early, or null while it may go on. */
  String stopReason() {
    return stopReason.get();
  }

  long remainingNanos() {
    return Math.max(0, deadlineNanos - clock.monotonicNanos());
  }
}
