package io.vecwatch.concurrent;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Makes named daemon threads, so a thread dump says what each thread is for and no agent thread
 * keeps the JVM alive after {@code main} returns.
 *
 * <pre>{@code
 * Executors.newFixedThreadPool(2, DaemonThreads.numbered("vecwatch-build"));   // vecwatch-build-1, -2
 * Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("vecwatch-stats"));
 * }</pre>
 */
public final class DaemonThreads implements ThreadFactory {
  private final String name;
  private final boolean numbered;
  private final AtomicInteger count = new AtomicInteger();

  private DaemonThreads(String name, boolean numbered) {
    this.name = name;
    this.numbered = numbered;
  }

  /** Every thread is called {@code name} (for single-thread executors). */
  public static DaemonThreads named(String name) {
    return new DaemonThreads(name, false);
  }

  /** Threads are called {@code prefix-1}, {@code prefix-2}, ... */
  public static DaemonThreads numbered(String prefix) {
    return new DaemonThreads(prefix, true);
  }

  @Override
  public Thread newThread(Runnable r) {
    Thread t = new Thread(r, numbered ? name + "-" + count.incrementAndGet() : name);
    t.setDaemon(true);
    return t;
  }
}
