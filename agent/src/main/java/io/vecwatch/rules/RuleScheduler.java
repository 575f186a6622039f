package io.vecwatch.rules;

import io.vecwatch.concurrent.ExecutorScheduler;
import io.vecwatch.concurrent.Scheduler;
import io.vecwatch.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@link RuleEngine#tick} on its own {@link ExecutorScheduler} ({@code vecwatch-rules}) at the
 * times the engine asks for: each group's evaluation slots ({@code offset + n × interval}, see
 * {@link RuleGroup#evalTimestamp}). The first tick is the first slot after the start, so targets
 * have begun producing series by then. A late wake-up does not shift the evaluation time: the
 * engine evaluates at the slot. Evaluation blocks only on the engine's own lock; alerts are only
 * queued.
 */
public final class RuleScheduler implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RuleScheduler.class);

  /** How long {@link #close()} lets an evaluation in progress finish. */
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(10);

  private final Scheduler scheduler;
  private final RuleEngine engine;
  private final Clock clock;
  private volatile boolean closed;

  private RuleScheduler(Scheduler scheduler, RuleEngine engine, Clock clock) {
    this.scheduler = scheduler;
    this.engine = engine;
    this.clock = clock;
  }

  /** Starts ticking at the engine's next evaluation slot, on a scheduler thread of its own. */
  public static RuleScheduler start(RuleEngine engine, Clock clock) {
    return start(engine, clock, ExecutorScheduler.create("vecwatch-rules"));
  }

  /** The same on {@code scheduler} (a manual one in tests); {@link #close()} closes it. */
  public static RuleScheduler start(RuleEngine engine, Clock clock, Scheduler scheduler) {
    RuleScheduler s = new RuleScheduler(scheduler, engine, clock);
    s.scheduleAt(engine.nextTick(clock.wallMillis()));
    return s;
  }

  private void scheduleAt(long wallMillis) {
    if (!closed) {
      scheduler.schedule(
          this::run, TimeUnit.MILLISECONDS.toNanos(Math.max(0, wallMillis - clock.wallMillis())));
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
    if (scheduler instanceof ExecutorScheduler es) {
      es.close(CLOSE_WAIT);
    } else {
      scheduler.close();
    }
  }
}
