package io.vecwatch.rules.promql;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** The supported aggregation operators. */
public enum AggregationOp {
  SUM,
  AVG,
  MIN,
  MAX,
  COUNT;

  /** PromQL aggregators vecwatch recognises but does not evaluate. */
  static final Set<String> UNSUPPORTED =
      Set.of(
          "topk",
          "bottomk",
          "quantile",
          "count_values",
          "stddev",
          "stdvar",
          "group",
          "limitk",
          "limit_ratio");

  static Optional<AggregationOp> byName(String word) {
    for (AggregationOp op : values()) {
      if (op.name().equalsIgnoreCase(word)) {
        return Optional.of(op);
      }
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
