package io.vecwatch.rules.promql;

/** PromQL's value types, named as in Prometheus' error messages. */
public enum ValueType {
  SCALAR("scalar"),
  VECTOR("instant vector"),
  MATRIX("range vector"),
  STRING("string");

  private final String display;

  ValueType(String display) {
    this.display = display;
  }

  @Override
  public String toString() {
    return display;
  }
}
