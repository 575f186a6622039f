package io.vecwatch.time;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Prometheus duration syntax: {@code 1h30m}, {@code 5m}, {@code 500ms}, {@code 1d}, {@code 2w}, {@code 1y}. */
public final class Durations {
  private static final Pattern PART = Pattern.compile("(\\d+)(ms|y|w|d|h|m|s)");

  private Durations() {}

  /** Parses a duration or throws {@link IllegalArgumentException} with a message fit for a user. */
  public static Duration parse(String text) {
    if (text == null || text.isEmpty()) {
      throw new IllegalArgumentException("empty duration");
    }
    if (text.equals("0")) {
      return Duration.ZERO;
    }
    Matcher m = PART.matcher(text);
    int pos = 0;
    long millis = 0;
    while (pos < text.length()) {
      if (!m.find(pos) || m.start() != pos) {
        throw new IllegalArgumentException(
            "not a valid duration: \"" + text + "\" (use e.g. 500ms, 30s, 5m, 1h30m)");
      }
      long n = Long.parseLong(m.group(1));
      long unit =
          switch (m.group(2)) {
            case "ms" -> 1L;
            case "s" -> 1_000L;
            case "m" -> 60_000L;
            case "h" -> 3_600_000L;
            case "d" -> 86_400_000L;
            case "w" -> 7 * 86_400_000L;
            default -> 365 * 86_400_000L;
          };
      millis = Math.addExact(millis, Math.multiplyExact(n, unit));
      pos = m.end();
    }
    return Duration.ofMillis(millis);
  }

  /** Formats like Prometheus does: {@code 1h30m}, {@code 5m}, {@code 250ms}, {@code 0s}. */
  public static String format(Duration d) {
    long ms = d.toMillis();
    if (ms == 0) {
      return "0s";
    }
    StringBuilder sb = new StringBuilder();
    long[] units = {86_400_000L * 365, 86_400_000L * 7, 86_400_000L, 3_600_000L, 60_000L, 1_000L, 1L};
    String[] names = {"y", "w", "d", "h", "m", "s", "ms"};
    for (int i = 0; i < units.length; i++) {
      long n = ms / units[i];
      if (n > 0) {
        sb.append(n).append(names[i]);
        ms -= n * units[i];
      }
    }
    return sb.toString();
  }
}
