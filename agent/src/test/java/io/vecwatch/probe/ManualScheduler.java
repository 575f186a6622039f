package io.vecwatch.probe;

import io.vecwatch.time.ManualClock;
import java.time.Duration;
import java.util.PriorityQueue;

/** A {@link Scheduler} for tests: tasks run only when the test steps time with {@link #advance}. */
public final class ManualScheduler implements Scheduler {
  private record Task(long due, long seq, Runnable run, boolean[] cancelled) {}

  private final ManualClock clock;
  private final PriorityQueue<Task> tasks = new PriorityQueue<>(
      (a, b) -> a.due() != b.due() ? Long.compare(a.due(), b.due()) : Long.compare(a.seq(), b.seq()));
  private long seq;

  public ManualScheduler(ManualClock clock) {
    this.clock = clock;
  }

  @Override
  public synchronized Cancellable schedule(Runnable task, long delayNanos) {
    boolean[] cancelled = {false};
    tasks.add(new Task(clock.monotonicNanos() + Math.max(0, delayNanos), seq++, task, cancelled));
    return () -> cancelled[0] = true;
  }

  /** Steps the clock by {@code d}, running each task at its due time, in order. */
  public void advance(Duration d) {
    long target = clock.monotonicNanos() + d.toNanos();
    while (true) {
      Task t;
      synchronized (this) {
        t = tasks.peek();
        if (t == null || t.due() > target) {
          break;
        }
        tasks.poll();
      }
      if (t.due() > clock.monotonicNanos()) {
        clock.advanceNanos(t.due() - clock.monotonicNanos());
      }
      if (!t.cancelled()[0]) {
        t.run().run();
      }
    }
    if (target > clock.monotonicNanos()) {
      clock.advanceNanos(target - clock.monotonicNanos());
    }
  }

  /** Runs the tasks already due, without moving the clock (e.g. after the clock jumped: an agent stall). */
  public void runDue() {
    advance(Duration.ZERO);
  }

  public synchronized int pending() {
    return (int) tasks.stream().filter(t -> !t.cancelled()[0]).count();
  }
}
