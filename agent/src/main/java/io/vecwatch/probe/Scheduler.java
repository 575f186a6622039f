package io.vecwatch.probe;

/**
 * Runs short, non-blocking tasks after a delay on the agent's monotonic clock. Production uses
 * {@link ExecutorScheduler}; tests use a manual scheduler stepped together with a {@code ManualClock}.
 */
public interface Scheduler {
  /** Runs {@code task} once, {@code delayNanos} from now (at once when not positive). */
  Cancellable schedule(Runnable task, long delayNanos);

  /** A scheduled task that may be cancelled before it runs. */
  @FunctionalInterface
  interface Cancellable {
    void cancel();
  }
}
