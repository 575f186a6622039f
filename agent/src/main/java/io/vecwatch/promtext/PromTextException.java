package io.vecwatch.promtext;

/** The exposition text is malformed; the message names the line. */
public final class PromTextException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public PromTextException(int line, String message) {
    super("line " + line + ": " + message);
  }
}
