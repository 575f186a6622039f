package io.vecwatch.probe;

import io.vecwatch.concurrent.Scheduler;
import io.vecwatch.target.Health;
import io.vecwatch.target.Target;
import io.vecwatch.target.TargetDiagnostics;
import io.vecwatch.target.TargetException;
import io.vecwatch.time.Clock;
import io.vecwatch.time.Durations;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Checks one target's {@link Target#health()} and {@link Target#entityCount()} every {@code
 * interval}, on the target's worker pool, then takes its {@link TargetDiagnostics} if it has them.
 * A {@link TargetException} from the health check marks the target misconfigured until a check
 * succeeds. A check still running when the next one is due counts as a failure (the hung one is not
 * duplicated), so a target that stops answering turns down after one interval.
 */
public final class HealthChecker {
  private final Target target;
  private final TargetStatus status;
  private final Executor pool;
  private final Scheduler scheduler;
  private final Clock clock;
  private final long intervalNanos;
  private final AtomicBoolean inFlight = new AtomicBoolean();
  private volatile boolean stopped;
  private volatile Scheduler.Cancellable next;
  private long startNanos;
  private long round;

  private HealthChecker(
      Target target,
      TargetStatus status,
      Executor pool,
      Scheduler scheduler,
      Clock clock,
      Duration interval) {
    this.target = target;
    this.status = status;
    this.pool = pool;
    this.scheduler = scheduler;
    this.clock = clock;
    this.intervalNanos = interval.toNanos();
  }

  public static HealthChecker create(
      Target target,
      TargetStatus status,
      Executor pool,
      Scheduler scheduler,
      Clock clock,
      Duration interval) {
    if (interval.isZero() || interval.isNegative()) {
      throw new IllegalArgumentException("health interval must be positive, got " + interval);
    }
    return new HealthChecker(target, status, pool, scheduler, clock, interval);
  }

  /** Checks at once, then every interval (fixed rate). */
  public void start() {
    startNanos = clock.monotonicNanos();
    next = scheduler.schedule(this::tick, 0);
  }

  public void stop() {
    stopped = true;
    Scheduler.Cancellable n = next;
    if (n != null) {
      n.cancel();
    }
  }

  private void tick() {
    if (stopped) {
      return;
    }
    try {
      check();
    } finally {
      round++;
      long due = startNanos + round * intervalNanos;
      next = scheduler.schedule(this::tick, due - clock.monotonicNanos());
    }
  }

  /**
   * Extra signals of targets that have them, also while down (connection state matters most then).
   */
  private void diagnose() {
    if (target instanceof TargetDiagnostics d) {
      try {
        status.diagnosed(d.diagnostics());
      } catch (Exception e) {
        // keep the last snapshot; the health check reports what is wrong
      }
    }
  }

  private void check() {
    if (!inFlight.compareAndSet(false, true)) {
      status.healthFailed(
          "still running after " + Durations.format(Duration.ofNanos(intervalNanos)),
          clock.wallMillis());
      return;
    }
    try {
      pool.execute(
          () -> {
            try {
              Health h = target.health();
              long entities = h.healthy() ? target.entityCount() : -1;
              status.healthChecked(h, entities, clock.wallMillis());
            } catch (TargetException e) {
              status.healthMisconfigured(TargetStatus.describe(e), clock.wallMillis());
            } catch (Exception e) {
              status.healthFailed(TargetStatus.describe(e), clock.wallMillis());
            } finally {
              diagnose();
              inFlight.set(false);
            }
          });
    } catch (RejectedExecutionException e) {
      inFlight.set(false);
      status.healthFailed("worker pool full", clock.wallMillis());
    }
  }
}
