package io.vecwatch.concurrent;

import io.vecwatch.time.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * A {@link Scheduler} for tests: tasks run only when the test says so. Either step time with {@link
 * #advance} (each task runs at its due time on the {@link ManualClock}, in order), or run tasks one
 * at a time in the order they were scheduled with {@link #runNext} and check the delays asked for
 * with {@link #delays}.
 */
public final class ManualScheduler implements Scheduler {
  private static final class Task {
    final long due;
    final long seq;
    final Runnable run;
    final long delayNanos;
    volatile boolean cancelled;

    Task(long due, long seq, Runnable run, long delayNanos) {
      this.due = due;
      this.seq = seq;
      this.run = run;
      this.delayNanos = delayNanos;
    }
  }

  private final ManualClock clock;
  private final PriorityQueue<Task> tasks =
      new PriorityQueue<>(Comparator.<Task>comparingLong(t -> t.due).thenComparingLong(t -> t.seq));
  private final List<Duration> delays = new ArrayList<>();
  private long seq;

  /** Set by {@link #close()}. */
  public volatile boolean closed;

  /** A scheduler on {@code clock}: {@link #advance} moves it. */
  public ManualScheduler(ManualClock clock) {
    this.clock = clock;
  }

  /** A scheduler on a clock of its own, for tests that only use {@link #runNext}. */
  public ManualScheduler() {
    this(new ManualClock());
  }

  @Override
  public synchronized Cancellable schedule(Runnable task, long delayNanos) {
    Task t = new Task(clock.monotonicNanos() + Math.max(0, delayNanos), seq++, task, delayNanos);
    tasks.add(t);
    delays.add(Duration.ofNanos(delayNanos));
    return () -> t.cancelled = true;
  }

  /** Steps the clock by {@code d}, running each task at its due time, in order. */
  public void advance(Duration d) {
    long target = clock.monotonicNanos() + d.toNanos();
    while (true) {
      Task t;
      synchronized (this) {
        t = tasks.peek();
        if (t == null || t.due > target) {
          break;
        }
        tasks.poll();
      }
      if (t.due > clock.monotonicNanos()) {
        clock.advanceNanos(t.due - clock.monotonicNanos());
      }
      if (!t.cancelled) {
        t.run.run();
      }
    }
    if (target > clock.monotonicNanos()) {
      clock.advanceNanos(target - clock.monotonicNanos());
    }
  }

  /**
   * Runs the tasks already due, without moving the clock (e.g. after the clock jumped: an agent
   * stall).
   */
  public void runDue() {
    advance(Duration.ZERO);
  }

  /**
   * Runs the oldest scheduled task that is not cancelled, whatever its delay, without moving the
   * clock.
   */
  public Duration runNext() {
    Task next;
    synchronized (this) {
      tasks.removeIf(t -> t.cancelled);
      next =
          tasks.stream()
              .min(Comparator.comparingLong(t -> t.seq))
              .orElseThrow(() -> new AssertionError("nothing scheduled"));
      tasks.remove(next);
    }
    next.run.run();
    return Duration.ofNanos(next.delayNanos);
  }

  /** Scheduled tasks not yet run or cancelled. */
  public synchronized int pending() {
    return (int) tasks.stream().filter(t -> !t.cancelled).count();
  }

  /** Same as {@link #pending()}. */
  public int pendingCount() {
    return pending();
  }

  /** Every delay asked for, in order. */
  public synchronized List<Duration> delays() {
    return List.copyOf(delays);
  }

  @Override
  public void close() {
    closed = true;
  }
}
