package io.vecwatch.promtext;

/**
 * The exposition text is malformed; the message names the line. It is one line of bounded length
 * whatever the page holds: line breaks and other control characters the message quotes from the
 * page (an unescaped quoted label name, say) are escaped, and a long message is cut.
 */
public final class PromTextException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Longest message kept; the rest is replaced by "...". */
  static final int MAX_MESSAGE_CHARS = 300;

  public PromTextException(int line, String message) {
    super(oneLine("line " + line + ": " + message));
  }

  private static String oneLine(String s) {
    StringBuilder b = new StringBuilder(Math.min(s.length(), MAX_MESSAGE_CHARS) + 8);
    int i = 0;
    for (; i < s.length() && b.length() < MAX_MESSAGE_CHARS; i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x7f || c == 0x85 || c == 0x2028 || c == 0x2029) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return i == s.length() ? b.toString() : b + "...";
  }
}
