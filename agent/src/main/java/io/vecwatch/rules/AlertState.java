package io.vecwatch.rules;

import java.util.Locale;

/** The state of one alert instance, as in Prometheus. */
public enum AlertState {
  INACTIVE,
  PENDING,
  FIRING;

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
