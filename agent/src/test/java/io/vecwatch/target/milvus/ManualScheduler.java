package io.vecwatch.target.milvus;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A {@link Scheduler} for tests: records what it was asked to run and when, runs it only when told. */
final class ManualScheduler implements Scheduler {
  /** One scheduled task. */
  static final class Task {
    final Runnable body;
    final Duration delay;
    boolean cancelled;

    Task(Runnable body, Duration delay) {
      this.body = body;
      this.delay = delay;
    }
  }

  private final List<Task> pending = new ArrayList<>();
  private final List<Duration> delays = new ArrayList<>();
  boolean closed;

  @Override
  public synchronized Cancellable schedule(Runnable task, Duration delay) {
    Task t = new Task(task, delay);
    pending.add(t);
    delays.add(delay);
    return () -> t.cancelled = true;
  }

  /** Runs the oldest pending task that is not cancelled; returns its delay. */
  Duration runNext() {
    Task t;
    synchronized (this) {
      pending.removeIf(x -> x.cancelled);
      if (pending.isEmpty()) {
        throw new AssertionError("nothing scheduled");
      }
      t = pending.remove(0);
    }
    t.body.run();
    return t.delay;
  }

  synchronized int pendingCount() {
    pending.removeIf(x -> x.cancelled);
    return pending.size();
  }

  /** Every delay asked for, in order. */
  synchronized List<Duration> delays() {
    return List.copyOf(delays);
  }

  @Override
  public void close() {
    closed = true;
  }
}
