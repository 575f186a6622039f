package io.vecwatch.rules;

import io.vecwatch.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@link RuleEngine#tick} on its own thread ({@code vecwatch-rules}) at the times the engine asks for: each
 * group's evaluation slots ({@code offset + n × interval}, see {@link RuleGroup#evalTimestamp}). The first tick
 * is the first slot after the start, so targets have begun producing series by then. A late wake-up does not
 * shift the evaluation time: the engine evaluates at the slot. Evaluation blocks only on the engine's own lock;
 * alerts are only queued.
 */
public final class RuleScheduler implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RuleScheduler.class);
  private final ScheduledExecutorService executor;
  private final RuleEngine engine;
  private final Clock clock;
  private volatile boolean closed;

  private RuleScheduler(ScheduledExecutorService executor, RuleEngine engine, Clock clock) {
    this.executor = executor;
    this.engine = engine;
    this.clock = clock;
  }

  /** Starts ticking at the engine's next evaluation slot. */
  public static RuleScheduler start(RuleEngine engine, Clock clock) {
    ScheduledExecutorService ex = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "vecwatch-rules");
      t.setDaemon(true);
      return t;
    });
    RuleScheduler s = new RuleScheduler(ex, engine, clock);
    s.scheduleAt(engine.nextTick(clock.wallMillis()));
    return s;
  }

  private void scheduleAt(long wallMillis) {
    if (closed) {
      return;
    }
    try {
      executor.schedule(this::run, Math.max(0, wallMillis - clock.wallMillis()), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // closing
    }
  }

  private void run() {
    long next;
    try {
      next = engine.tick(clock.wallMillis());
    } catch (RuntimeException e) {
      // Never let one bad tick end the schedule.
      LOG.error("rule evaluation tick failed", e);
      next = engine.nextTick(clock.wallMillis());
    }
    scheduleAt(next);
  }

  @Override
  public void close() {
    closed = true;
    executor.shutdown();
    try {
      if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
        executor.shutdownNow();
      }
    } catch (InterruptedException e) {
      executor.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
