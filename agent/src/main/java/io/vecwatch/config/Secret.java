package io.vecwatch.config;

import java.util.Objects;

/**
 * A token or password. Its {@link #toString()} never reveals the value, so it is safe in logs,
 * errors and JSON; call {@link #reveal()} only where the value goes over the wire.
 */
public final class Secret {
  private final String value;

  private Secret(String value) {
    this.value = Objects.requireNonNull(value);
  }

  public static Secret of(String value) {
    return new Secret(value);
  }

  public String reveal() {
    return value;
  }

  @Override
  public String toString() {
    return "<secret>";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Secret s && s.value.equals(value);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }
}
