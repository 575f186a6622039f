package io.vecwatch.rules.template;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** The supported functions, with Prometheus' implementations. */
final class Functions {
  private static final Map<String, int[]> ARITY =
      Map.ofEntries(
          Map.entry("humanize", new int[] {1, 1}),
          Map.entry("humanize1024", new int[] {1, 1}),
          Map.entry("humanizeDuration", new int[] {1, 1}),
          Map.entry("humanizePercentage", new int[] {1, 1}),
          Map.entry("printf", new int[] {1, Integer.MAX_VALUE}),
          Map.entry("toUpper", new int[] {1, 1}),
          Map.entry("toLower", new int[] {1, 1}),
          Map.entry("title", new int[] {1, 1}),
          Map.entry("reReplaceAll", new int[] {3, 3}),
          Map.entry("stripPort", new int[] {1, 1}),
          Map.entry("index", new int[] {2, 2}));
  private static final Set<String> UNSUPPORTED =
      Set.of(
          "query",
          "first",
          "label",
          "value",
          "strvalue",
          "args",
          "safeHtml",
          "match",
          "graphLink",
          "tableLink",
          "sortByLabel",
          "stripDomain",
          "humanizeTimestamp",
          "toTime",
          "pathPrefix",
          "externalURL",
          "parseDuration",
          "and",
          "or",
          "not",
          "eq",
          "ne",
          "lt",
          "le",
          "gt",
          "ge",
          "len",
          "print",
          "println",
          "html",
          "js",
          "urlquery",
          "slice",
          "call");

  private Functions() {}

  static boolean isKnown(String name) {
    return ARITY.containsKey(name);
  }

  static boolean isUnsupported(String name) {
    return UNSUPPORTED.contains(name);
  }

  static boolean takesNoArguments(String name) {
    return false;
  }

  static void checkArity(String name, int given) throws TemplateException {
    int[] a = ARITY.get(name);
    if (given < a[0] || given > a[1]) {
      // Arguments may also arrive through a pipe, so one missing argument is fine here.
      if (given + 1 < a[0] || given > a[1]) {
        throw new TemplateException(
            "wrong number of args for " + name + ": want " + a[0] + " got " + given);
      }
    }
  }

  static Object call(String name, List<Object> args) throws TemplateException {
    int[] a = ARITY.get(name);
    if (args.size() < a[0] || args.size() > a[1]) {
      throw new TemplateException(
          "wrong number of args for " + name + ": want " + a[0] + " got " + args.size());
    }
    switch (name) {
      case "humanize":
        return humanize(toFloat(args.get(0)));
      case "humanize1024":
        return humanize1024(toFloat(args.get(0)));
      case "humanizeDuration":
        return humanizeDuration(toFloat(args.get(0)));
      case "humanizePercentage":
        return GoFormat.formatFloat(toFloat(args.get(0)) * 100, 'g', 4) + "%";
      case "printf":
        {
          if (!(args.get(0) instanceof String f)) {
            throw new TemplateException(
                "wrong type for value; expected string; got " + GoFormat.typeName(args.get(0)));
          }
          return GoFormat.sprintf(f, args.subList(1, args.size()));
        }
      case "toUpper":
        return string(args.get(0)).toUpperCase(Locale.ROOT);
      case "toLower":
        return string(args.get(0)).toLowerCase(Locale.ROOT);
      case "title":
        return title(string(args.get(0)));
      case "reReplaceAll":
        {
          try {
            return Pattern.compile(string(args.get(0)))
                .matcher(string(args.get(2)))
                .replaceAll(goReplacement(string(args.get(1))));
          } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            throw new TemplateException("reReplaceAll: " + e.getMessage());
          }
        }
      case "stripPort":
        {
          String hp = string(args.get(0));
          if (hp.startsWith("[")) {
            int end = hp.indexOf("]:");
            return end > 0 ? hp.substring(1, end) : hp;
          }
          int colon = hp.lastIndexOf(':');
          return colon > 0 && hp.indexOf(':') == colon ? hp.substring(0, colon) : hp;
        }
      case "index":
        {
          if (!(args.get(0) instanceof Map<?, ?> m)) {
            throw new TemplateException(
                "can't index item of type " + GoFormat.typeName(args.get(0)));
          }
          Object v = m.get(string(args.get(1)));
          return v == null ? "" : v;
        }
      default:
        throw new TemplateException("function \"" + name + "\" not defined");
    }
  }

  private static String string(Object o) throws TemplateException {
    if (o instanceof String s) {
      return s;
    }
    throw new TemplateException(
        "wrong type for value; expected string; got " + GoFormat.typeName(o));
  }

  /** Go's $1 / ${1} / $name expansion to Java's $1 / ${name}; a literal $ is $$ in Go. */
  private static String goReplacement(String repl) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < repl.length(); i++) {
      char c = repl.charAt(i);
      if (c == '\\') {
        sb.append("\\\\");
      } else if (c == '$' && i + 1 < repl.length() && repl.charAt(i + 1) == '$') {
        sb.append("\\$");
        i++;
      } else if (c == '$' && i + 1 < repl.length() && repl.charAt(i + 1) == '{') {
        int end = repl.indexOf('}', i);
        String name = end > 0 ? repl.substring(i + 2, end) : "";
        sb.append(name.matches("\\d+") ? "$" + name : "${" + name + "}");
        i = end > 0 ? end : repl.length();
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  static double toFloat(Object o) throws TemplateException {
    if (o instanceof Double d) {
      return d;
    }
    if (o instanceof Long l) {
      return l;
    }
    if (o instanceof String s) {
      String t = s;
      switch (t.toLowerCase(Locale.ROOT)) {
        case "inf", "+inf", "infinity", "+infinity":
          return Double.POSITIVE_INFINITY;
        case "-inf", "-infinity":
          return Double.NEGATIVE_INFINITY;
        case "nan":
          return Double.NaN;
        default:
          break;
      }
      try {
        if (t.isEmpty()
            || t.endsWith("d")
            || t.endsWith("f")
            || t.endsWith("D")
            || t.endsWith("F")) {
          throw new NumberFormatException();
        }
        return Double.parseDouble(t);
      } catch (NumberFormatException e) {
        throw new TemplateException("strconv.ParseFloat: parsing \"" + s + "\": invalid syntax");
      }
    }
    throw new TemplateException("can't convert " + GoFormat.typeName(o) + " to float");
  }

  static String humanize(double v) {
    if (v == 0 || Double.isNaN(v) || Double.isInfinite(v)) {
      return GoFormat.formatFloat(v, 'g', 4);
    }
    String prefix = "";
    if (Math.abs(v) >= 1) {
      for (String p : new String[] {"k", "M", "G", "T", "P", "E", "Z", "Y"}) {
        if (Math.abs(v) < 1000) {
          break;
        }
        prefix = p;
        v /= 1000;
      }
      return GoFormat.formatFloat(v, 'g', 4) + prefix;
    }
    for (String p : new String[] {"m", "u", "n", "p", "f", "a", "z", "y"}) {
      if (Math.abs(v) >= 1) {
        break;
      }
      prefix = p;
      v *= 1000;
    }
    return GoFormat.formatFloat(v, 'g', 4) + prefix;
  }

  static String humanize1024(double v) {
    if (Math.abs(v) <= 1 || Double.isNaN(v) || Double.isInfinite(v)) {
      return GoFormat.formatFloat(v, 'g', 4);
    }
    String prefix = "";
    for (String p : new String[] {"ki", "Mi", "Gi", "Ti", "Pi", "Ei", "Zi", "Yi"}) {
      if (Math.abs(v) < 1024) {
        break;
      }
      prefix = p;
      v /= 1024;
    }
    return GoFormat.formatFloat(v, 'g', 4) + prefix;
  }

  static String humanizeDuration(double v) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return GoFormat.formatFloat(v, 'g', 4);
    }
    if (v == 0) {
      return GoFormat.formatFloat(v, 'g', 4) + "s";
    }
    if (Math.abs(v) >= 1) {
      String sign = "";
      if (v < 0) {
        sign = "-";
        v = -v;
      }
      long duration = (long) v;
      long seconds = duration % 60;
      long minutes = (duration / 60) % 60;
      long hours = (duration / 60 / 60) % 24;
      long days = duration / 60 / 60 / 24;
      if (days != 0) {
        return sign + days + "d " + hours + "h " + minutes + "m " + seconds + "s";
      }
      if (hours != 0) {
        return sign + hours + "h " + minutes + "m " + seconds + "s";
      }
      if (minutes != 0) {
        return sign + minutes + "m " + seconds + "s";
      }
      return sign + GoFormat.formatFloat(v, 'g', 4) + "s";
    }
    String prefix = "";
    for (String p : new String[] {"m", "u", "n", "p", "f", "a", "z", "y"}) {
      if (Math.abs(v) >= 1) {
        break;
      }
      prefix = p;
      v *= 1000;
    }
    return GoFormat.formatFloat(v, 'g', 4) + prefix + "s";
  }

  /** Go's deprecated strings.Title: upper-cases the first letter of each word. */
  static String title(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    boolean prevSeparator = true;
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      sb.appendCodePoint(prevSeparator ? Character.toTitleCase(cp) : cp);
      prevSeparator = isSeparator(cp);
      i += Character.charCount(cp);
    }
    return sb.toString();
  }

  private static boolean isSeparator(int r) {
    if (r <= 0x7F) {
      if (('0' <= r && r <= '9') || ('a' <= r && r <= 'z') || ('A' <= r && r <= 'Z') || r == '_') {
        return false;
      }
      return true;
    }
    if (Character.isLetterOrDigit(r)) {
      return false;
    }
    return Character.isWhitespace(r);
  }
}
