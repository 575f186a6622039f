package io.vecwatch.time;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Prometheus duration syntax: {@code 1h30m}, {@code 5m}, {@code 500ms}, {@code 1d}, {@code 2w},
 * {@code 1y}, or {@code 0}. As in Prometheus, units go from largest to smallest and each appears at
 * most once ({@code 90s} is fine, {@code 1m1h} is not); a year is 365 days, a week 7 days.
 * Millisecond resolution.
 */
public final class Durations {
  private static final Pattern SYNTAX =
      Pattern.compile(
          "(?:(\\d+)y)?(?:(\\d+)w)?(?:(\\d+)d)?(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?(?:(\\d+)ms)?");
  private static final long[] UNIT_MILLIS = {
    365 * 86_400_000L, 7 * 86_400_000L, 86_400_000L, 3_600_000L, 60_000L, 1_000L, 1L
  };
  private static final String[] UNIT_NAMES = {"y", "w", "d", "h", "m", "s", "ms"};

  private Durations() {}

  /** Whether {@code text} follows the syntax (it may still be too large to represent). */
  public static boolean isWellFormed(String text) {
    return text != null && !text.isEmpty() && (text.equals("0") || SYNTAX.matcher(text).matches());
  }

  /** Parses a duration or throws {@link IllegalArgumentException} with a message fit for a user. */
  public static Duration parse(String text) {
    if (text == null || text.isEmpty()) {
      throw new IllegalArgumentException("empty duration (use e.g. 500ms, 30s, 5m, 1h30m)");
    }
    if (text.equals("0")) {
      return Duration.ZERO;
    }
    Matcher m = SYNTAX.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "not a valid duration: \""
              + text.replace("\"", "\\\"")
              + "\" (use e.g. 500ms, 30s, 5m, 1h30m; units from largest to smallest: y w d h m s ms)");
    }
    long millis = 0;
    try {
      for (int i = 0; i < UNIT_MILLIS.length; i++) {
        String n = m.group(i + 1);
        if (n != null) {
          millis = Math.addExact(millis, Math.multiplyExact(Long.parseLong(n), UNIT_MILLIS[i]));
        }
      }
    } catch (ArithmeticException | NumberFormatException e) {
      throw new IllegalArgumentException("duration out of range: \"" + text + "\"");
    }
    return Duration.ofMillis(millis);
  }

  /**
   * Formats like Prometheus does: {@code 1h30m}, {@code 5m}, {@code 250ms}, {@code 0s}.
   * Sub-millisecond parts are dropped; {@code parse(format(d))} gives {@code d} back for any
   * non-negative whole number of milliseconds.
   *
   * @throws IllegalArgumentException for a negative duration (no syntax for it)
   */
  public static String format(Duration d) {
    if (d.isNegative()) {
      throw new IllegalArgumentException("negative duration " + d);
    }
    long ms = d.toMillis();
    if (ms == 0) {
      return "0s";
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < UNIT_MILLIS.length; i++) {
      long n = ms / UNIT_MILLIS[i];
      if (n > 0) {
        sb.append(n).append(UNIT_NAMES[i]);
        ms -= n * UNIT_MILLIS[i];
      }
    }
    return sb.toString();
  }
}
