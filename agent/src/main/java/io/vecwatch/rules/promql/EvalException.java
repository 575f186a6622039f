package io.vecwatch.rules.promql;

/** Evaluation failed at run time (e.g. many-to-many matching, duplicate label sets). */
public final class EvalException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public EvalException(String message) {
    super(message);
  }
}
