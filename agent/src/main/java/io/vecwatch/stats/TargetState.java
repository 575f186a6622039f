package io.vecwatch.stats;

import java.util.Locale;

/** A target's state as shown on {@code /api/v1/targets}. */
public enum TargetState {
  /** Being built, or not health-checked yet. */
  UNKNOWN,
  /** The last health check succeeded and said healthy. */
  UP,
  /** The last health check failed or said unhealthy. */
  DOWN,
  /** The target could not be built (bad settings, missing dataset, ...); see its last error. */
  MISCONFIGURED;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
