package io.vecwatch.probe;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;

/** An executor for tests that holds tasks until the test runs them, on the test's thread. */
final class QueuedExecutor implements Executor {
  private final Queue<Runnable> queue = new ArrayDeque<>();

  @Override
  public synchronized void execute(Runnable command) {
    queue.add(command);
  }

  /** Runs every queued task (and tasks they queue) in order; returns how many ran. */
  int runAll() {
    int n = 0;
    while (true) {
      Runnable r;
      synchronized (this) {
        r = queue.poll();
      }
      if (r == null) {
        return n;
      }
      r.run();
      n++;
    }
  }

  synchronized int size() {
    return queue.size();
  }
}
