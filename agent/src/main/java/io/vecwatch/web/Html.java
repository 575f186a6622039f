package io.vecwatch.web;

/**
 * HTML escaping for text and attribute values: every value from config, a database or the user goes
 * through it.
 */
final class Html {
  private Html() {}

  /** {@code s} safe inside element text and double- or single-quoted attributes. */
  static String esc(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder b = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      String r =
          switch (c) {
            case '&' -> "&amp;";
            case '<' -> "&lt;";
            case '>' -> "&gt;";
            case '"' -> "&quot;";
            case '\'' -> "&#39;";
            default -> null;
          };
      if (r != null && b == null) {
        b = new StringBuilder(s.length() + 16).append(s, 0, i);
      }
      if (b != null) {
        if (r != null) {
          b.append(r);
        } else {
          b.append(c);
        }
      }
    }
    return b == null ? s : b.toString();
  }

  /**
   * A link target: http(s) URLs and relative paths pass (escaped); anything else ({@code
   * javascript:}) is dropped.
   */
  static String href(String url) {
    String u = url == null ? "" : url.strip();
    int colon = u.indexOf(':');
    int slash = u.indexOf('/');
    boolean hasScheme = colon >= 0 && (slash < 0 || colon < slash);
    if (hasScheme
        && !u.regionMatches(true, 0, "http://", 0, 7)
        && !u.regionMatches(true, 0, "https://", 0, 8)) {
      return "";
    }
    return esc(u);
  }
}
