package io.vecwatch.rules;

import io.vecwatch.concurrent.ExecutorScheduler;
import io.vecwatch.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@link RuleEngine#eval} every evaluation interval on its own {@link ExecutorScheduler}
 * ({@code vecwatch-rules}), with the time of the injected {@link Clock}. Evaluation blocks only on the engine's own lock; alerts are only queued.
 */
public final class RuleScheduler implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RuleScheduler.class);
  /** How long {@link #close()} lets an evaluation in progress finish. */
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(10);

  private final ExecutorScheduler scheduler;
  private final RuleEngine engine;
  private final Clock clock;
  private final long periodNanos;
  private final long originNanos;
  private long ticks;

  private RuleScheduler(ExecutorScheduler scheduler, RuleEngine engine, Clock clock) {
    this.scheduler = scheduler;
    this.engine = engine;
    this.clock = clock;
    this.periodNanos = engine.evaluationInterval().toNanos();
    this.originNanos = clock.monotonicNanos();
  }

  /** Starts evaluating now and then every {@code engine.evaluationInterval()} (at a fixed rate). */
  public static RuleScheduler start(RuleEngine engine, Clock clock) {
    RuleScheduler s = new RuleScheduler(ExecutorScheduler.create("vecwatch-rules"), engine, clock);
    s.scheduler.schedule(s::tick, 0);
    return s;
  }

  private void tick() {
    try {
      engine.eval(Instant.ofEpochMilli(clock.wallMillis()));
    } catch (RuntimeException e) {
      // Never let one bad tick cancel the schedule.
      LOG.error("rule evaluation tick failed", e);
    }
    // fixed rate: the next tick is due one period after the previous one was due, not after it finished
    ticks++;
    scheduler.schedule(this::tick, originNanos + ticks * periodNanos - clock.monotonicNanos());
  }

  @Override
  public void close() {
    scheduler.close(CLOSE_WAIT);
  }
}
