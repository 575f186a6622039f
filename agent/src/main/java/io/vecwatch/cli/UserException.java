package io.vecwatch.cli;

/** A mistake the user can fix (missing file, bad input); printed as one line, exit code 2. */
public final class UserException extends Exception {
  private static final long serialVersionUID = 1L;

  public UserException(String message) {
    super(message);
  }

  public UserException(String message, Throwable cause) {
    super(message, cause);
  }
}
