package io.vecwatch.export;

/** {@code key=value} pairs, values quoted when they need it; empty values are left out. */
public final class Logfmt {
  private Logfmt() {}

  public static String of(String... keyValues) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i + 1 < keyValues.length; i += 2) {
      String v = keyValues[i + 1];
      if (v == null || v.isEmpty()) {
        continue;
      }
      if (sb.length() > 0) {
        sb.append(' ');
      }
      sb.append(keyValues[i]).append('=');
      if (needsQuotes(v)) {
        sb.append('"');
        for (int j = 0; j < v.length(); j++) {
          char c = v.charAt(j);
          switch (c) {
            case '"' -> sb.append("\\\"");
            case '\\' -> sb.append("\\\\");
            case '\n' -> sb.append("\\n");
            case '\r' -> sb.append("\\r");
            case '\t' -> sb.append("\\t");
            default -> sb.append(c);
          }
        }
        sb.append('"');
      } else {
        sb.append(v);
      }
    }
    return sb.toString();
  }

  private static boolean needsQuotes(String v) {
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if (c <= ' ' || c == '"' || c == '=' || c == '\\') {
        return true;
      }
    }
    return false;
  }
}
