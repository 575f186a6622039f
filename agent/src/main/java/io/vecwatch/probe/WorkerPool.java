package io.vecwatch.probe;

import io.vecwatch.concurrent.DaemonThreads;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The bounded, named thread pool one target's blocking calls (searches, health checks) run on, so a
 * slow or hung target only ever occupies its own threads. Callers bound the work they submit (each
 * probe holds at most {@code concurrency} searches in flight); the queue is bounded too, and a task
 * beyond it is rejected.
 */
public final class WorkerPool implements Executor, AutoCloseable {
  private final ThreadPoolExecutor executor;

  private WorkerPool(ThreadPoolExecutor executor) {
    this.executor = executor;
  }

  /**
   * @param name the target's name; threads are called {@code vecwatch-<name>-<n>}
   * @param threads most threads (the sum of the target's probe concurrencies, plus one for health
   *     checks)
   */
  public static WorkerPool create(String name, int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be positive, got " + threads);
    }
    // daemon threads: a search stuck inside a client library must not keep the JVM alive at
    // shutdown
    ThreadPoolExecutor e =
        new ThreadPoolExecutor(
            threads,
            threads,
            60,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(threads),
            DaemonThreads.numbered("vecwatch-" + name),
            new ThreadPoolExecutor.AbortPolicy());
    e.allowCoreThreadTimeOut(true);
    return new WorkerPool(e);
  }

  /**
   * @throws java.util.concurrent.RejectedExecutionException when the pool and its queue are full or
   *     closed
   */
  @Override
  public void execute(Runnable task) {
    executor.execute(task);
  }

  /**
   * Stops taking work and waits up to {@code grace} for running tasks; returns whether all
   * finished.
   */
  public boolean shutdown(Duration grace) throws InterruptedException {
    executor.shutdown();
    boolean done = executor.awaitTermination(grace.toNanos(), TimeUnit.NANOSECONDS);
    if (!done) {
      executor.shutdownNow();
    }
    return done;
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
