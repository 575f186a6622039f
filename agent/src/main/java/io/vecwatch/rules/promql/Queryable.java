package io.vecwatch.rules.promql;

/** The stored series an expression reads. */
public interface Queryable {
  /**
   * Every series that may match a selector: all series named {@code metricName}, or every series
   * when it is null (the selector has no equality matcher on the name). The evaluator applies the
   * matchers.
   */
  Iterable<? extends Series> candidates(String metricName);

  /**
   * A number that changes whenever a series named {@code metricName} (any series, when null) gets a
   * sample; lets the evaluator reuse a result computed earlier at the same time. The default never
   * changes: no reuse.
   */
  default long version(String metricName) {
    return -1;
  }
}
