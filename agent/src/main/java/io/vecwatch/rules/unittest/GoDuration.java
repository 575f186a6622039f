package io.vecwatch.rules.unittest;

/**
 * Go's {@code time.Duration.String()} for millisecond durations: {@code 0s}, {@code 500ms}, {@code
 * 5m0s}.
 */
final class GoDuration {
  private GoDuration() {}

  static String format(long millis) {
    if (millis == 0) {
      return "0s";
    }
    String sign = millis < 0 ? "-" : "";
    long d = Math.abs(millis);
    if (d < 1000) {
      return sign + d + "ms";
    }
    long h = d / 3_600_000L;
    long m = (d / 60_000L) % 60;
    long ms = d % 60_000L;
    String s =
        ms % 1000 == 0
            ? Long.toString(ms / 1000)
            : trimZeros(String.format("%d.%03d", ms / 1000, ms % 1000));
    if (h > 0) {
      return sign + h + "h" + m + "m" + s + "s";
    }
    if (m > 0) {
      return sign + m + "m" + s + "s";
    }
    return sign + s + "s";
  }

  private static String trimZeros(String s) {
    int end = s.length();
    while (s.charAt(end - 1) == '0') {
      end--;
    }
    return s.substring(0, end);
  }
}
