package io.vecwatch.target;

/**
 * A target cannot be built or used because of something the user can fix; the message says what.
 */
public final class TargetException extends Exception {
  private static final long serialVersionUID = 1L;

  public TargetException(String message) {
    super(message);
  }

  public TargetException(String message, Throwable cause) {
    super(message, cause);
  }
}
