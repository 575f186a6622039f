package io.vecwatch.rules;

import io.vecwatch.time.Clock;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@link RuleEngine#eval} every evaluation interval on its own thread ({@code vecwatch-rules}), with the
 * time of the injected {@link Clock}. Evaluation blocks only on the engine's own lock; alerts are only queued.
 */
public final class RuleScheduler implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RuleScheduler.class);
  private final ScheduledExecutorService executor;

  private RuleScheduler(ScheduledExecutorService executor) {
    this.executor = executor;
  }

  /** Starts evaluating now and then every {@code engine.evaluationInterval()}. */
  public static RuleScheduler start(RuleEngine engine, Clock clock) {
    ScheduledExecutorService ex = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "vecwatch-rules");
      t.setDaemon(true);
      return t;
    });
    long period = engine.evaluationInterval().toMillis();
    ex.scheduleAtFixedRate(() -> {
      try {
        engine.eval(Instant.ofEpochMilli(clock.wallMillis()));
      } catch (RuntimeException e) {
        // Never let one bad tick cancel the schedule.
        LOG.error("rule evaluation tick failed", e);
      }
    }, 0, period, TimeUnit.MILLISECONDS);
    return new RuleScheduler(ex);
  }

  @Override
  public void close() {
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
