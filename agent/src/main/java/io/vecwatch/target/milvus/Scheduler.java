package io.vecwatch.target.milvus;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs a task after a delay. Production uses one daemon thread per target; tests use a manual scheduler and step
 * through the delays it was asked for, so backoff is checked without sleeping.
 */
public interface Scheduler extends AutoCloseable {
  /** Runs {@code task} once after {@code delay}; the handle cancels it. */
  Cancellable schedule(Runnable task, Duration delay);

  @Override
  void close();

  /** A scheduled task that may still be cancelled. */
  interface Cancellable {
    void cancel();
  }

  /** One named daemon thread: connection attempts of one target never run concurrently. */
  static Scheduler singleThread(String threadName) {
    ScheduledExecutorService ses = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, threadName);
      t.setDaemon(true);
      return t;
    });
    return new Scheduler() {
      @Override
      public Cancellable schedule(Runnable task, Duration delay) {
        ScheduledFuture<?> f = ses.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
        return () -> f.cancel(false);
      }

      @Override
      public void close() {
        ses.shutdownNow();
      }
    };
  }
}
