package io.vecwatch.web;

import io.vecwatch.target.FaultInjection;
import io.vecwatch.time.Clock;
import io.vecwatch.time.Durations;
import java.time.Duration;
import java.util.OptionalLong;

/**
 * The status page's one-click demo fault: every search of one target waits {@link #DELAY} (longer
 * than the demo probes' 1 s timeout, so they time out) for {@link #DURATION}, then the delay is
 * cleared. With the default rule pack {@code VecwatchTimeoutRateHigh} turns pending at once, firing
 * after its 2 minutes, and resolves about a window (1 minute) after the fault ends. Only present
 * when the config names a target in {@code faults.demo_target}; the embedded demo does.
 */
public final class DemoFault {
  static final Duration DELAY = Duration.ofMillis(1500);
  static final Duration DURATION = Duration.ofMinutes(3);

  private final FaultInjection faults;
  private final String target;
  private final Clock clock;
  private long untilMillis; // guarded by this; 0 when inactive

  public DemoFault(FaultInjection faults, String target, Clock clock) {
    this.faults = faults;
    this.target = target;
    this.clock = clock;
  }

  public String target() {
    return target;
  }

  /** Slows the target now, for {@link #DURATION} from now (again from now when already active). */
  synchronized void start() {
    faults.setDelay(target, DELAY);
    untilMillis = clock.wallMillis() + DURATION.toMillis();
  }

  /** Clears the delay when its time is up; returns whether it did. Called by a timer. */
  synchronized boolean expire() {
    if (untilMillis != 0 && clock.wallMillis() >= untilMillis) {
      faults.setDelay(target, Duration.ZERO);
      untilMillis = 0;
      return true;
    }
    return false;
  }

  /** When the active fault ends, empty when none is active. */
  synchronized OptionalLong activeUntil() {
    return untilMillis == 0 ? OptionalLong.empty() : OptionalLong.of(untilMillis);
  }

  String describe() {
    return "every search of "
        + target
        + " waits "
        + Durations.format(DELAY)
        + " for "
        + Durations.format(DURATION);
  }
}
