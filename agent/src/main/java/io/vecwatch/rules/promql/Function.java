package io.vecwatch.rules.promql;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The supported PromQL functions with their argument and return types. */
public enum Function {
  RATE("rate", ValueType.VECTOR, ValueType.MATRIX),
  INCREASE("increase", ValueType.VECTOR, ValueType.MATRIX),
  AVG_OVER_TIME("avg_over_time", ValueType.VECTOR, ValueType.MATRIX),
  MIN_OVER_TIME("min_over_time", ValueType.VECTOR, ValueType.MATRIX),
  MAX_OVER_TIME("max_over_time", ValueType.VECTOR, ValueType.MATRIX),
  SUM_OVER_TIME("sum_over_time", ValueType.VECTOR, ValueType.MATRIX),
  COUNT_OVER_TIME("count_over_time", ValueType.VECTOR, ValueType.MATRIX),
  LAST_OVER_TIME("last_over_time", ValueType.VECTOR, ValueType.MATRIX),
  QUANTILE_OVER_TIME("quantile_over_time", ValueType.VECTOR, ValueType.SCALAR, ValueType.MATRIX),
  ABSENT("absent", ValueType.VECTOR, ValueType.VECTOR),
  ABS("abs", ValueType.VECTOR, ValueType.VECTOR),
  CLAMP("clamp", ValueType.VECTOR, ValueType.VECTOR, ValueType.SCALAR, ValueType.SCALAR),
  CLAMP_MIN("clamp_min", ValueType.VECTOR, ValueType.VECTOR, ValueType.SCALAR),
  CLAMP_MAX("clamp_max", ValueType.VECTOR, ValueType.VECTOR, ValueType.SCALAR),
  VECTOR("vector", ValueType.VECTOR, ValueType.SCALAR),
  SCALAR("scalar", ValueType.SCALAR, ValueType.VECTOR),
  TIME("time", ValueType.SCALAR);

  /** Every other function of Prometheus' PromQL: valid there, rejected here as unsupported. */
  static final Set<String> OTHER_PROMQL_FUNCTIONS =
      Set.of(
          "absent_over_time",
          "acos",
          "acosh",
          "asin",
          "asinh",
          "atan",
          "atanh",
          "avg_over_time",
          "ceil",
          "changes",
          "cos",
          "cosh",
          "day_of_month",
          "day_of_week",
          "day_of_year",
          "days_in_month",
          "deg",
          "delta",
          "deriv",
          "exp",
          "floor",
          "histogram_avg",
          "histogram_count",
          "histogram_fraction",
          "histogram_quantile",
          "histogram_sum",
          "histogram_stddev",
          "histogram_stdvar",
          "holt_winters",
          "double_exponential_smoothing",
          "hour",
          "idelta",
          "irate",
          "label_join",
          "label_replace",
          "ln",
          "log10",
          "log2",
          "mad_over_time",
          "minute",
          "month",
          "pi",
          "predict_linear",
          "present_over_time",
          "rad",
          "resets",
          "round",
          "sgn",
          "sin",
          "sinh",
          "sort",
          "sort_desc",
          "sort_by_label",
          "sort_by_label_desc",
          "sqrt",
          "stddev_over_time",
          "stdvar_over_time",
          "tan",
          "tanh",
          "timestamp",
          "year",
          "info",
          "first_over_time",
          "ts_of_max_over_time",
          "ts_of_min_over_time",
          "ts_of_last_over_time",
          "ts_of_first_over_time");

  private final String promName;
  private final ValueType returnType;
  private final List<ValueType> argTypes;

  Function(String promName, ValueType returnType, ValueType... argTypes) {
    this.promName = promName;
    this.returnType = returnType;
    this.argTypes = List.of(argTypes);
  }

  public String promName() {
    return promName;
  }

  public ValueType returnType() {
    return returnType;
  }

  public List<ValueType> argTypes() {
    return argTypes;
  }

  /** The index of the range-vector argument, or -1. */
  public int matrixArgIndex() {
    return argTypes.indexOf(ValueType.MATRIX);
  }

  static Optional<Function> byName(String name) {
    for (Function f : values()) {
      if (f.promName.equals(name)) {
        return Optional.of(f);
      }
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return promName;
  }
}
