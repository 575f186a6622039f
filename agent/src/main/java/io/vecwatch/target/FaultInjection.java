package io.vecwatch.target;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

/**
 * Artificial search delays per target (config {@code faults.delays}, changeable at run time through
 * the opt-in admin endpoint), for alerting tests and demos: {@link #wrap} returns a target whose
 * searches wait the current delay first, on the caller's (worker) thread, so the probe runner
 * measures it like a slow index.
 */
public final class FaultInjection {
  private final Map<String, Long> delayNanos = new ConcurrentHashMap<>();

  private FaultInjection(Map<String, Duration> initial) {
    initial.forEach((t, d) -> delayNanos.put(t, d.toNanos()));
  }

  public static FaultInjection of(Map<String, Duration> initial) {
    return new FaultInjection(initial);
  }

  /** Sets {@code target}'s delay (zero clears it). */
  public void setDelay(String target, Duration delay) {
    delayNanos.put(target, Math.max(0, delay.toNanos()));
  }

  public Duration delay(String target) {
    return Duration.ofNanos(delayNanos.getOrDefault(target, 0L));
  }

  /** {@code target} with the delay applied to each search. */
  public Target wrap(Target target) {
    return new Delayed(target, this);
  }

  /** The wrapped target, when {@code t} came from {@link #wrap}. */
  public static Optional<Target> unwrap(Target t) {
    return t instanceof Delayed d ? Optional.of(d.delegate) : Optional.empty();
  }

  private static final class Delayed implements Target {
    private final Target delegate;
    private final FaultInjection faults;

    Delayed(Target delegate, FaultInjection faults) {
      this.delegate = delegate;
      this.faults = faults;
    }

    @Override
    public String name() {
      return delegate.name();
    }

    @Override
    public String kind() {
      return delegate.kind();
    }

    @Override
    public SearchResult search(float[] query, int k) throws Exception {
      long wait = faults.delayNanos.getOrDefault(delegate.name(), 0L);
      long deadline = System.nanoTime() + wait;
      // An injected stall of the index itself: the caller is a worker thread that may block.
      for (long left = wait; left > 0; left = deadline - System.nanoTime()) {
        LockSupport.parkNanos(left);
        if (Thread.interrupted()) {
          throw new InterruptedException("search interrupted during an injected delay");
        }
      }
      return delegate.search(query, k);
    }

    @Override
    public Health health() throws Exception {
      return delegate.health();
    }

    @Override
    public long entityCount() throws Exception {
      return delegate.entityCount();
    }

    @Override
    public void close() {
      delegate.close();
    }
  }
}
