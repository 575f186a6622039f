package io.vecwatch.errors;

/**
 * Turns a failure into the one line a user reads (a status page, a log line, an HTTP reply): the
 * exception's message, its cause's message when that adds something, line breaks folded, at most
 * {@link #MAX_LENGTH} characters.
 *
 * <pre>{@code
 * status.error(Errors.describe(e), clock.wallMillis());
 * }</pre>
 */
public final class Errors {
  /** The longest line {@link #describe} and {@link #oneLine} return. */
  public static final int MAX_LENGTH = 300;

  private Errors() {}

  /**
   * The message of {@code t} (its class name when it has none), plus its cause's message when new.
   */
  public static String describe(Throwable t) {
    String m = t.getMessage();
    String text = m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
    Throwable c = t.getCause();
    if (c != null && c != t && c.getMessage() != null && !text.contains(c.getMessage())) {
      text = text + ": " + c.getMessage();
    }
    return oneLine(text);
  }

  /** {@code s} on one line, cut to {@link #MAX_LENGTH} characters with an ellipsis. */
  public static String oneLine(String s) {
    String one = s.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
    return one.length() <= MAX_LENGTH ? one : one.substring(0, MAX_LENGTH - 1) + "…";
  }
}
