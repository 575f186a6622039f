package io.vecwatch.concurrent;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Scheduler} on one daemon thread. Tasks must be short and non-blocking (they only
 * dispatch work to worker pools or record a timeout); a task that throws is logged and does not
 * stop the thread. Once closed, scheduling is silently ignored, so self-rescheduling tasks simply
 * end.
 */
public final class ExecutorScheduler implements Scheduler {
  private static final Logger LOG = LoggerFactory.getLogger(ExecutorScheduler.class);

  private final ScheduledThreadPoolExecutor executor;

  private ExecutorScheduler(String threadName) {
    this.executor = new ScheduledThreadPoolExecutor(1, DaemonThreads.named(threadName));
    executor.setRemoveOnCancelPolicy(true);
    executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
  }

  /** A scheduler whose thread is called {@code threadName}. */
  public static ExecutorScheduler create(String threadName) {
    return new ExecutorScheduler(threadName);
  }

  @Override
  public Cancellable schedule(Runnable task, long delayNanos) {
    Runnable guarded =
        () -> {
          try {
            task.run();
          } catch (RuntimeException e) {
            LOG.error("scheduled task failed", e);
          }
        };
    ScheduledFuture<?> f;
    try {
      f = executor.schedule(guarded, Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      if (executor.isShutdown()) {
        return () -> {}; // closing: a task rescheduling itself just stops
      }
      throw e;
    }
    return () -> f.cancel(false);
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }

  /**
   * Lets a task that is running finish (up to {@code wait}), drops the scheduled ones, then stops
   * the thread. For tasks that must not be interrupted half-way, such as a rule evaluation.
   */
  public void close(Duration wait) {
    executor.shutdown();
    try {
      if (!executor.awaitTermination(wait.toNanos(), TimeUnit.NANOSECONDS)) {
        executor.shutdownNow();
      }
    } catch (InterruptedException e) {
      executor.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
