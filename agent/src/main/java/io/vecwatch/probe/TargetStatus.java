package io.vecwatch.probe;

import io.vecwatch.errors.Errors;
import io.vecwatch.stats.Diagnostics;
import io.vecwatch.stats.HealthSnapshot;
import io.vecwatch.stats.TargetState;
import io.vecwatch.target.Health;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What is known about one target besides its probes' statistics: whether it was built, its last
 * health check, entity count and last error. Written by the probe runners, the health checker and
 * the agent's builder; thread-safe, each field replaced as a whole.
 */
public final class TargetStatus {
  /** Longest error message kept; longer ones are cut. */
  static final int MAX_ERROR_LENGTH = Errors.MAX_LENGTH;

  private record LastError(String message, long wallMillis) {}

  private volatile String misconfigured;
  // found at a health check (a remote target whose settings do not fit the server); cleared by a
  // healthy check
  private volatile String misconfiguredAtContact;
  private volatile boolean observed;
  private final AtomicReference<Diagnostics> diagnostics = new AtomicReference<>(Diagnostics.EMPTY);
  private final AtomicReference<LastError> lastError = new AtomicReference<>();
  private final AtomicReference<HealthSnapshot> health = new AtomicReference<>(HealthSnapshot.NONE);
  private volatile long entities = -1;
  private volatile Transitions transitions = Transitions.NONE;

  /** Told when a health check turns the target up or down (the first check counts as a change). */
  @FunctionalInterface
  public interface Transitions {
    Transitions NONE = (up, reasons) -> {};

    /** Called on the health check's thread; must not block. */
    void changed(boolean up, List<String> reasons);
  }

  /** Sets who hears about up/down transitions (the event log). */
  public void onTransition(Transitions t) {
    transitions = Objects.requireNonNull(t);
  }

  /** The target could not be built; {@code message} is one line for the user. Final. */
  public void misconfigured(String message, long wallMillis) {
    String m = oneLine(message);
    misconfigured = m;
    lastError.set(new LastError(m, wallMillis));
  }

  public boolean isMisconfigured() {
    return misconfigured != null;
  }

  /** A search finished (any outcome) or a health check finished. */
  public void observed() {
    if (!observed) {
      observed = true;
    }
  }

  public boolean isObserved() {
    return observed || misconfigured != null;
  }

  public void error(String message, long wallMillis) {
    lastError.set(new LastError(oneLine(message), wallMillis));
  }

  /**
   * A health check found that the target's settings do not fit what it talks to (it threw {@link
   * io.vecwatch.target.TargetException}: wrong collection, field, dimension, credentials). The
   * target is misconfigured until a later check succeeds.
   */
  public void healthMisconfigured(String message, long wallMillis) {
    observed();
    String m = oneLine(message);
    misconfiguredAtContact = m;
    failHealth(List.of(m), wallMillis);
    error(m, wallMillis);
  }

  /** The target's latest {@link Diagnostics}. */
  public void diagnosed(Diagnostics d) {
    diagnostics.set(d);
  }

  public Diagnostics diagnostics() {
    return diagnostics.get();
  }

  /** A health check answered; {@code entities} is -1 when the target cannot tell. */
  public void healthChecked(Health h, long entityCount, long wallMillis) {
    observed();
    misconfiguredAtContact = null;
    if (entityCount >= 0) {
      entities = entityCount;
    }
    if (h.healthy()) {
      lastError.set(null); // healthy again: an old error no longer describes the target
      HealthSnapshot prev =
          health.getAndSet(new HealthSnapshot(true, 0, OptionalLong.of(wallMillis), List.of()));
      if (prev.lastCheckWallMillis().isEmpty() || !prev.up()) {
        transitions.changed(true, List.of());
      }
    } else {
      List<String> reasons =
          h.reasons().isEmpty()
              ? List.of("target reports unhealthy")
              : h.reasons().stream().map(TargetStatus::oneLine).toList();
      failHealth(reasons, wallMillis);
      error("unhealthy: " + String.join("; ", reasons), wallMillis);
    }
  }

  /**
   * A health check could not be completed (threw, or was still running when the next one was due).
   */
  public void healthFailed(String message, long wallMillis) {
    observed();
    misconfiguredAtContact = null;
    String m = oneLine(message);
    failHealth(List.of(m), wallMillis);
    error("health check: " + m, wallMillis);
  }

  private void failHealth(List<String> reasons, long wallMillis) {
    HealthSnapshot prev =
        health.getAndUpdate(
            p ->
                new HealthSnapshot(
                    false, p.consecutiveFailures() + 1, OptionalLong.of(wallMillis), reasons));
    if (prev.lastCheckWallMillis().isEmpty() || prev.up()) {
      transitions.changed(false, reasons);
    }
  }

  public TargetState state() {
    if (misconfigured != null || misconfiguredAtContact != null) {
      return TargetState.MISCONFIGURED;
    }
    HealthSnapshot h = health.get();
    if (h.lastCheckWallMillis().isEmpty()) {
      return TargetState.UNKNOWN;
    }
    return h.up() ? TargetState.UP : TargetState.DOWN;
  }

  public HealthSnapshot health() {
    return health.get();
  }

  public OptionalLong entities() {
    long e = entities;
    return e < 0 ? OptionalLong.empty() : OptionalLong.of(e);
  }

  public Optional<String> lastError() {
    LastError e = lastError.get();
    return e == null ? Optional.empty() : Optional.of(e.message());
  }

  public OptionalLong lastErrorWallMillis() {
    LastError e = lastError.get();
    return e == null ? OptionalLong.empty() : OptionalLong.of(e.wallMillis());
  }

  /** Same as {@link Errors#describe}; kept for the probe package's callers. */
  public static String describe(Throwable t) {
    return Errors.describe(t);
  }

  static String oneLine(String s) {
    return Errors.oneLine(s);
  }
}
