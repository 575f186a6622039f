package io.vecwatch.knn;

import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;

/**
 * Runs work on a fixed number of threads for the duration of one call: the calling thread plus
 * {@code threads - 1} short-lived daemon threads. A failure in any worker stops the others from
 * taking new work and is rethrown in the caller.
 */
final class Workers {
  /** A contiguous range of work items {@code [from, to)}. */
  interface Range {
    void run(int from, int to);
  }

  private static final AtomicInteger SEQUENCE = new AtomicInteger();
  private final int threads;

  private Workers(int threads) {
    this.threads = threads;
  }

  static Workers of(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1, got " + threads);
    }
    return new Workers(threads);
  }

  int threads() {
    return threads;
  }

  /** Splits {@code [0, n)} into one contiguous range per thread. */
  void forEachRange(int n, Range range) {
    int parts = Math.max(1, Math.min(threads, n));
    AtomicInteger next = new AtomicInteger();
    run(
        parts,
        () -> {
          int p;
          while ((p = next.getAndIncrement()) < parts) {
            int from = (int) ((long) n * p / parts);
            int to = (int) ((long) n * (p + 1) / parts);
            range.run(from, to);
          }
        });
  }

  /**
   * Hands out items {@code 0 .. n-1} one at a time to whichever thread is free (load balancing).
   */
  void forEachItem(int n, IntConsumer item) {
    AtomicInteger next = new AtomicInteger();
    AtomicReference<Throwable> failed = new AtomicReference<>();
    run(
        Math.min(threads, n),
        () -> {
          int i;
          while (failed.get() == null
              && !Thread.currentThread().isInterrupted()
              && (i = next.getAndIncrement()) < n) {
            try {
              item.accept(i);
            } catch (RuntimeException | Error e) {
              failed.compareAndSet(null, e);
              throw e;
            }
          }
        });
  }

  private void run(int parallelism, Runnable body) {
    if (parallelism <= 1) {
      body.run();
      if (Thread.currentThread().isInterrupted()) {
        throw new CancellationException("exact k-NN interrupted");
      }
      return;
    }
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread[] helpers = new Thread[parallelism - 1];
    for (int t = 0; t < helpers.length; t++) {
      helpers[t] =
          new Thread(
              () -> {
                try {
                  body.run();
                } catch (Throwable e) {
                  failure.compareAndSet(null, e);
                }
              },
              "vecwatch-knn-" + SEQUENCE.incrementAndGet());
      helpers[t].setDaemon(true);
      helpers[t].start();
    }
    try {
      body.run();
    } catch (Throwable e) {
      failure.compareAndSet(null, e);
    }
    try {
      for (Thread h : helpers) {
        h.join();
      }
    } catch (InterruptedException e) {
      for (Thread h : helpers) {
        h.interrupt();
      }
      Thread.currentThread().interrupt();
      throw new CancellationException("exact k-NN interrupted");
    }
    Throwable f = failure.get();
    if (f instanceof RuntimeException re) {
      throw re;
    }
    if (f instanceof Error err) {
      throw err;
    }
    if (f != null) {
      throw new IllegalStateException(f);
    }
  }
}
