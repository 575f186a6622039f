package io.vecwatch.stats;

import java.util.Locale;

/** How one canary search ended. The lower-case name is the {@code outcome} label value. */
public enum Outcome {
  /** The target answered before the deadline. */
  OK,
  /** The target threw (connection refused, server error, ...). */
  ERROR,
  /** No answer by the deadline (intended start + timeout); a late answer is discarded. */
  TIMEOUT;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
