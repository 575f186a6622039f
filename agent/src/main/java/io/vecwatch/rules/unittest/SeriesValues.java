package io.vecwatch.rules.unittest;

import io.vecwatch.rules.promql.StaleNaN;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * promtool's expanding notation for {@code input_series.values}: {@code a+bxn} and {@code a-bxn}
 * (n+1 values, adding {@code b} each step), {@code axn} (n+1 copies), {@code _} (one missing
 * sample), {@code _xn} (n missing), {@code stale} (a staleness marker), and plain numbers,
 * separated by spaces.
 */
public final class SeriesValues {
  /** A missing sample in the expanded sequence. */
  public static final Double OMITTED = null;

  private SeriesValues() {}

  /** Most values one series may expand to (a million steps: about two years at one minute). */
  public static final int MAX_VALUES = 1_000_000;

  /**
   * The expanded sequence; {@code null} entries are omitted samples. Throws on malformed input and
   * when the sequence would exceed {@link #MAX_VALUES}.
   */
  public static List<Double> expand(String text) {
    List<Double> out = new ArrayList<>();
    for (String item : text.trim().split("\\s+")) {
      if (item.isEmpty()) {
        continue;
      }
      if (item.equals("_")) {
        out.add(OMITTED);
        continue;
      }
      if (item.equals("stale")) {
        out.add(StaleNaN.VALUE);
        continue;
      }
      int x = item.lastIndexOf('x');
      // No hexadecimal here: "0x5" means 0 repeated, as in promtool.
      if (x > 0
          && x < item.length() - 1
          && item.substring(x + 1).chars().allMatch(Character::isDigit)) {
        String digits = item.substring(x + 1);
        long n = digits.length() > 7 ? Long.MAX_VALUE : Long.parseLong(digits);
        if (n >= MAX_VALUES - out.size()) {
          throw new IllegalArgumentException(
              "series values \"" + item + "\" expand to more than " + MAX_VALUES + " samples");
        }
        String base = item.substring(0, x);
        if (base.equals("_")) {
          for (long i = 0; i < n; i++) {
            out.add(OMITTED);
          }
          continue;
        }
        if (base.equals("stale")) {
          for (long i = 0; i <= n; i++) {
            out.add(StaleNaN.VALUE);
          }
          continue;
        }
        int split = signSplit(base);
        double a = number(split < 0 ? base : base.substring(0, split), item);
        double b = split < 0 ? 0 : number(base.substring(split), item);
        for (long i = 0; i <= n; i++) {
          out.add(a);
          a += b;
        }
        continue;
      }
      out.add(number(item, item));
    }
    return out;
  }

  /**
   * Index of the sign that starts the increment in {@code a+b}, skipping a leading sign and
   * exponent signs.
   */
  private static int signSplit(String s) {
    for (int i = 1; i < s.length(); i++) {
      char c = s.charAt(i);
      if ((c == '+' || c == '-') && s.charAt(i - 1) != 'e' && s.charAt(i - 1) != 'E') {
        return i;
      }
    }
    return -1;
  }

  private static double number(String s, String item) {
    String t = s.startsWith("+") ? s.substring(1) : s;
    switch (t.toLowerCase(Locale.ROOT)) {
      case "inf":
        return Double.POSITIVE_INFINITY;
      case "-inf":
        return Double.NEGATIVE_INFINITY;
      case "nan":
      case "-nan":
        return Double.NaN;
      default:
        break;
    }
    try {
      if (t.endsWith("d") || t.endsWith("f") || t.endsWith("D") || t.endsWith("F") || t.isEmpty()) {
        throw new NumberFormatException();
      }
      return Double.parseDouble(t);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("invalid series value \"" + item + "\"");
    }
  }
}
