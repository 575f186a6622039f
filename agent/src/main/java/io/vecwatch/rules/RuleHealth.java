package io.vecwatch.rules;

/**
 * Whether a rule's last evaluation worked; named as in Prometheus' API ({@code ok}, {@code err},
 * {@code unknown}).
 */
public enum RuleHealth {
  UNKNOWN("unknown"),
  OK("ok"),
  ERR("err");

  private final String api;

  RuleHealth(String api) {
    this.api = api;
  }

  @Override
  public String toString() {
    return api;
  }
}
