package io.vecwatch.rules.promql;

/**
 * An expression cannot be used: a syntax or type error, or a construct outside the supported subset
 * (then the message starts with {@code unsupported: }).
 */
public final class PromQLException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final boolean unsupported;

  private PromQLException(String message, boolean unsupported) {
    super(message);
    this.unsupported = unsupported;
  }

  public static PromQLException syntax(int pos, String message) {
    return new PromQLException("parse error at char " + (pos + 1) + ": " + message, false);
  }

  public static PromQLException unsupported(String construct) {
    return new PromQLException("unsupported: " + construct, true);
  }

  public static PromQLException type(String message) {
    return new PromQLException(message, false);
  }

  /** Whether the expression is valid PromQL that vecwatch does not evaluate. */
  public boolean isUnsupported() {
    return unsupported;
  }
}
