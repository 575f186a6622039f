package io.vecwatch.concurrent;

import java.time.Duration;

/**
 * Runs short, non-blocking tasks after a delay on the agent's monotonic clock. The one scheduling
 * abstraction of the agent: probe schedules, health checks, snapshot refreshes, rule evaluation and
 * Milvus reconnects all use it. Production uses {@link ExecutorScheduler}; tests use the manual
 * scheduler of the test sources ({@code io.vecwatch.concurrent.ManualScheduler}), stepped together
 * with a {@code ManualClock}.
 *
 * <pre>{@code
 * try (ExecutorScheduler s = ExecutorScheduler.create("vecwatch-scheduler")) {
 *   Scheduler.Cancellable c = s.schedule(task, Duration.ofSeconds(5));
 * }
 * }</pre>
 */
public interface Scheduler extends AutoCloseable {
  /** Runs {@code task} once, {@code delayNanos} from now (at once when not positive). */
  Cancellable schedule(Runnable task, long delayNanos);

  /** Runs {@code task} once after {@code delay}. */
  default Cancellable schedule(Runnable task, Duration delay) {
    return schedule(task, delay.toNanos());
  }

  /**
   * Stops running tasks; what is still scheduled never runs. Nothing to do for schedulers without
   * threads.
   */
  @Override
  default void close() {}

  /** A scheduled task that may be cancelled before it runs. */
  @FunctionalInterface
  interface Cancellable {
    void cancel();
  }
}
