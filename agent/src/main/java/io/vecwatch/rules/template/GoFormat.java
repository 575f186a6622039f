package io.vecwatch.rules.template;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Go's {@code fmt} formatting for the values templates handle (float64, int, string, bool, map[string]string):
 * {@code %v}, {@code %g} with Go's shortest round-trip digits and exponent thresholds, {@code %e}, {@code %f},
 * {@code %d}, {@code %s}, {@code %q}, {@code %x}, {@code %t}, flags {@code -+ 0} and width/precision. Rounding
 * works on the exact binary value (round half to even), as Go's {@code strconv} does, not on Java's decimal string.
 */
public final class GoFormat {
  private GoFormat() {}

  /** {@code fmt.Sprint(v)} for one template value. */
  public static String print(Object v) {
    if (v instanceof Double d) {
      return formatFloat(d, 'g', -1);
    }
    if (v instanceof Map<?, ?> m) {
      StringBuilder sb = new StringBuilder("map[");
      boolean first = true;
      for (Map.Entry<?, ?> e : new TreeMap<>(m).entrySet()) {
        if (!first) {
          sb.append(' ');
        }
        first = false;
        sb.append(e.getKey()).append(':').append(e.getValue());
      }
      return sb.append(']').toString();
    }
    if (v == null) {
      return "<nil>";
    }
    return v.toString();
  }

  /** Go's name of a value's type, for {@code %!verb(type=value)} messages. */
  static String typeName(Object v) {
    if (v instanceof Double) {
      return "float64";
    }
    if (v instanceof Long) {
      return "int";
    }
    if (v instanceof String) {
      return "string";
    }
    if (v instanceof Boolean) {
      return "bool";
    }
    if (v instanceof Map) {
      return "map[string]string";
    }
    return "<nil>";
  }

  /** Go's {@code strconv.FormatFloat(v, fmt, prec, 64)} for fmt in {@code e E f g G}; prec -1 is shortest. */
  public static String formatFloat(double v, char fmt, int prec) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    boolean neg = v < 0 || (v == 0 && 1 / v < 0);
    double abs = Math.abs(v);
    boolean shortest = prec < 0;
    Digits digs;
    switch (fmt) {
      case 'e', 'E' -> {
        digs = shortest ? shortest(abs) : round(abs, prec + 1);
        if (shortest) {
          prec = Math.max(digs.nd() - 1, 0);
        }
        return fmtE(neg, digs, prec, fmt);
      }
      case 'f', 'F' -> {
        if (shortest) {
          digs = shortest(abs);
          prec = Math.max(digs.nd() - digs.dp(), 0);
        } else {
          digs = fixed(abs, prec);
        }
        return fmtF(neg, digs, prec);
      }
      case 'g', 'G' -> {
        if (shortest) {
          digs = shortest(abs);
          prec = digs.nd();
        } else {
          if (prec == 0) {
            prec = 1;
          }
          digs = round(abs, prec);
        }
        int eprec = prec;
        if (eprec > digs.nd() && digs.nd() >= digs.dp()) {
          eprec = digs.nd();
        }
        if (shortest) {
          eprec = 6;
        }
        int exp = digs.dp() - 1;
        if (exp < -4 || exp >= eprec) {
          if (prec > digs.nd()) {
            prec = digs.nd();
          }
          return fmtE(neg, digs, Math.max(prec - 1, 0), fmt == 'g' ? 'e' : 'E');
        }
        if (prec > digs.dp()) {
          prec = digs.nd();
        }
        return fmtF(neg, digs, Math.max(prec - digs.dp(), 0));
      }
      default -> throw new IllegalArgumentException("format " + fmt);
    }
  }

  /** Decimal digits without trailing zeros and the decimal point position: value = 0.d1d2... x 10^dp. */
  record Digits(String d, int dp) {
    int nd() {
      return d.length();
    }
  }

  private static Digits digits(BigDecimal bd) {
    if (bd.signum() == 0) {
      return new Digits("", 0);
    }
    BigDecimal s = bd.stripTrailingZeros();
    String unscaled = s.unscaledValue().abs().toString();
    return new Digits(unscaled, unscaled.length() - s.scale());
  }

  private static Digits shortest(double abs) {
    if (abs == 0) {
      return new Digits("", 0);
    }
    BigDecimal exact = new BigDecimal(abs);
    for (int p = 1; p <= 17; p++) {
      BigDecimal r = exact.round(new MathContext(p, RoundingMode.HALF_EVEN));
      if (r.doubleValue() == abs) {
        return digits(r);
      }
    }
    return digits(exact.round(new MathContext(17, RoundingMode.HALF_EVEN)));
  }

  private static Digits round(double abs, int significant) {
    if (abs == 0) {
      return new Digits("", 0);
    }
    return digits(new BigDecimal(abs).round(new MathContext(significant, RoundingMode.HALF_EVEN)));
  }

  private static Digits fixed(double abs, int decimals) {
    return digits(new BigDecimal(abs).setScale(decimals, RoundingMode.HALF_EVEN));
  }

  private static String fmtE(boolean neg, Digits digs, int prec, char fmt) {
    StringBuilder sb = new StringBuilder();
    if (neg) {
      sb.append('-');
    }
    sb.append(digs.nd() == 0 ? '0' : digs.d().charAt(0));
    if (prec > 0) {
      sb.append('.');
      for (int i = 1; i <= prec; i++) {
        sb.append(i < digs.nd() ? digs.d().charAt(i) : '0');
      }
    }
    sb.append(fmt);
    int exp = digs.nd() == 0 ? 0 : digs.dp() - 1;
    sb.append(exp < 0 ? '-' : '+');
    exp = Math.abs(exp);
    if (exp < 10) {
      sb.append('0');
    }
    return sb.append(exp).toString();
  }

  private static String fmtF(boolean neg, Digits digs, int prec) {
    StringBuilder sb = new StringBuilder();
    if (neg) {
      sb.append('-');
    }
    if (digs.dp() > 0) {
      int m = Math.min(digs.nd(), digs.dp());
      sb.append(digs.d(), 0, m);
      for (int i = m; i < digs.dp(); i++) {
        sb.append('0');
      }
    } else {
      sb.append('0');
    }
    if (prec > 0) {
      sb.append('.');
      for (int i = 0; i < prec; i++) {
        int j = digs.dp() + i;
        sb.append(j >= 0 && j < digs.nd() ? digs.d().charAt(j) : '0');
      }
    }
    return sb.toString();
  }

  /** {@code fmt.Sprintf(format, args...)} for the verbs and value types templates use. */
  public static String sprintf(String format, List<Object> args) {
    StringBuilder out = new StringBuilder();
    int argi = 0;
    int n = format.length();
    for (int i = 0; i < n; i++) {
      char c = format.charAt(i);
      if (c != '%') {
        out.append(c);
        continue;
      }
      i++;
      if (i >= n) {
        out.append("%!(NOVERB)");
        break;
      }
      boolean minus = false;
      boolean plus = false;
      boolean zero = false;
      boolean space = false;
      boolean sharp = false;
      for (; i < n; i++) {
        char f = format.charAt(i);
        if (f == '-') {
          minus = true;
        } else if (f == '+') {
          plus = true;
        } else if (f == '0') {
          zero = true;
        } else if (f == ' ') {
          space = true;
        } else if (f == '#') {
          sharp = true;
        } else {
          break;
        }
      }
      int width = -1;
      int start = i;
      while (i < n && Character.isDigit(format.charAt(i))) {
        i++;
      }
      if (i > start) {
        width = Integer.parseInt(format.substring(start, i));
      }
      int prec = -1;
      if (i < n && format.charAt(i) == '.') {
        i++;
        start = i;
        while (i < n && Character.isDigit(format.charAt(i))) {
          i++;
        }
        prec = i > start ? Integer.parseInt(format.substring(start, i)) : 0;
      }
      if (i >= n) {
        out.append("%!(NOVERB)");
        break;
      }
      char verb = format.charAt(i);
      if (verb == '%') {
        out.append('%');
        continue;
      }
      if (argi >= args.size()) {
        out.append("%!").append(verb).append("(MISSING)");
        continue;
      }
      Object arg = args.get(argi++);
      String s = formatOne(verb, arg, prec, plus, space, sharp);
      if (s == null) {
        out.append("%!").append(verb).append('(').append(typeName(arg)).append('=').append(print(arg)).append(')');
        continue;
      }
      boolean numeric = arg instanceof Double || arg instanceof Long;
      out.append(pad(s, width, minus, zero && !minus && numeric));
    }
    if (argi < args.size()) {
      out.append("%!(EXTRA ");
      for (int k = argi; k < args.size(); k++) {
        if (k > argi) {
          out.append(", ");
        }
        out.append(typeName(args.get(k))).append('=').append(print(args.get(k)));
      }
      out.append(')');
    }
    return out.toString();
  }

  private static String formatOne(char verb, Object arg, int prec, boolean plus, boolean space, boolean sharp) {
    if (arg instanceof Double d) {
      String s = switch (verb) {
        case 'v', 'g', 'G' -> formatFloat(d, verb == 'G' ? 'G' : 'g', prec);
        case 'e', 'E' -> formatFloat(d, verb, prec < 0 ? 6 : prec);
        case 'f', 'F' -> formatFloat(d, 'f', prec < 0 ? 6 : prec);
        default -> null;
      };
      return s == null ? null : sign(s, plus, space);
    }
    if (arg instanceof Long l) {
      String s = switch (verb) {
        case 'v', 'd' -> Long.toString(l);
        case 'x' -> (sharp ? "0x" : "") + Long.toHexString(l);
        case 'X' -> (sharp ? "0X" : "") + Long.toHexString(l).toUpperCase(java.util.Locale.ROOT);
        case 'o' -> Long.toOctalString(l);
        case 'b' -> Long.toBinaryString(l);
        default -> null;
      };
      return s == null ? null : sign(s, plus, space);
    }
    if (arg instanceof String str) {
      return switch (verb) {
        case 'v', 's' -> prec >= 0 && prec < str.codePointCount(0, str.length())
            ? str.substring(0, str.offsetByCodePoints(0, prec)) : str;
        case 'q' -> {
          StringBuilder sb = new StringBuilder();
          io.vecwatch.promtext.Labels.quote(sb, str);
          yield sb.toString();
        }
        case 'x', 'X' -> {
          StringBuilder sb = new StringBuilder();
          for (byte b : str.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            sb.append(String.format(verb == 'x' ? "%02x" : "%02X", b & 0xff));
          }
          yield sb.toString();
        }
        default -> null;
      };
    }
    if (arg instanceof Boolean b) {
      return verb == 'v' || verb == 't' ? b.toString() : null;
    }
    if (verb == 'v' || verb == 's') {
      return print(arg);
    }
    return null;
  }

  private static String sign(String s, boolean plus, boolean space) {
    if (s.startsWith("-") || s.startsWith("+")) {
      return s;
    }
    if (plus) {
      return "+" + s;
    }
    if (space) {
      return " " + s;
    }
    return s;
  }

  private static String pad(String s, int width, boolean left, boolean zero) {
    int len = s.codePointCount(0, s.length());
    if (width <= len) {
      return s;
    }
    String fill = (zero ? "0" : " ").repeat(width - len);
    if (left) {
      return s + fill;
    }
    if (zero && (s.startsWith("-") || s.startsWith("+") || s.startsWith(" "))) {
      return s.charAt(0) + fill + s.substring(1);
    }
    return fill + s;
  }
}
