package io.vecwatch.deploy;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Extracts the metric names a PromQL expression reads, for checking dashboards and rule files
 * against what the agent exports. A small tokenizer, not a parser: identifiers are metric names
 * unless they are a function or aggregation (followed by {@code (}), a keyword, a label name
 * (inside {@code {...}} or a {@code by/without/on/ignoring/group_left/group_right (...)} list), or
 * part of a number or duration. String literals and comments are skipped; {@code {__name__="x"}}
 * yields {@code x}. Grafana template variables ({@code $target}, {@code ${target:regex}}, {@code
 * [[target]]}, {@code $__rate_interval}) are blanked first, so a dashboard's raw query text can be
 * passed in.
 *
 * <pre>{@code
 * PromQlNames.of("sum by (target) (rate(vecwatch_probe_requests_total{outcome=\"error\"}[$__rate_interval]))")
 *   // -> [vecwatch_probe_requests_total]
 * }</pre>
 */
final class PromQlNames {
  private static final Set<String> KEYWORDS =
      Set.of(
          "and",
          "or",
          "unless",
          "bool",
          "offset",
          "by",
          "without",
          "on",
          "ignoring",
          "group_left",
          "group_right",
          "inf",
          "nan",
          "start",
          "end",
          "atan2");

  /**
   * Aggregation operators: may be followed by {@code by (...)} / {@code without (...)} before their
   * {@code (}.
   */
  private static final Set<String> AGGREGATIONS =
      Set.of(
          "sum",
          "min",
          "max",
          "avg",
          "group",
          "stddev",
          "stdvar",
          "count",
          "count_values",
          "bottomk",
          "topk",
          "quantile",
          "limitk",
          "limit_ratio");

  /** Keywords followed by a parenthesised list of label names. */
  private static final Set<String> LABEL_LIST_KEYWORDS =
      Set.of("by", "without", "on", "ignoring", "group_left", "group_right");

  private static final Pattern GRAFANA_VARIABLE =
      Pattern.compile("\\$\\{[^}]*}|\\[\\[[A-Za-z0-9_:.]+]]|\\$[A-Za-z_][A-Za-z0-9_]*");
  private static final Pattern LABEL_VALUES =
      Pattern.compile(
          "^\\s*label_values\\s*\\((.*),\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*\\)\\s*$", Pattern.DOTALL);
  private static final Pattern LABEL_VALUES_LABEL_ONLY =
      Pattern.compile("^\\s*label_values\\s*\\(\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*\\)\\s*$");
  private static final Pattern QUERY_RESULT =
      Pattern.compile("^\\s*query_result\\s*\\((.*)\\)\\s*$", Pattern.DOTALL);

  private PromQlNames() {}

  /** Metric names read by {@code expr}, in order of first appearance. */
  static Set<String> of(String expr) {
    String s = GRAFANA_VARIABLE.matcher(expr).replaceAll("0");
    Set<String> names = new LinkedHashSet<>();
    int i = 0;
    int braceDepth = 0;
    String lastLabel = null;
    String lastOp = null;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '#') {
        while (i < s.length() && s.charAt(i) != '\n') {
          i++;
        }
      } else if (c == '"' || c == '\'' || c == '`') {
        int end = skipString(s, i);
        if (braceDepth > 0 && "__name__".equals(lastLabel) && "=".equals(lastOp)) {
          names.add(unquote(s.substring(i + 1, end - 1)));
        }
        i = end;
      } else if (c == '[') {
        i = skipBrackets(s, i); // range or subquery: durations only, never names
      } else if (c == '{') {
        braceDepth++;
        i++;
      } else if (c == '}') {
        braceDepth = Math.max(0, braceDepth - 1);
        lastLabel = null;
        i++;
      } else if (Character.isDigit(c)
          || (c == '.' && i + 1 < s.length() && Character.isDigit(s.charAt(i + 1)))) {
        i++; // numbers, hex, exponents and durations such as 1h30m: letters after a digit belong to
        // the number
        while (i < s.length()
            && (Character.isLetterOrDigit(s.charAt(i))
                || s.charAt(i) == '.'
                || s.charAt(i) == '_'
                || ((s.charAt(i) == '+' || s.charAt(i) == '-')
                    && (s.charAt(i - 1) == 'e' || s.charAt(i - 1) == 'E')))) {
          i++;
        }
      } else if (Character.isLetter(c) || c == '_' || c == ':') {
        int start = i;
        while (i < s.length()
            && (Character.isLetterOrDigit(s.charAt(i))
                || s.charAt(i) == '_'
                || s.charAt(i) == ':')) {
          i++;
        }
        String word = s.substring(start, i);
        int next = skipSpace(s, i);
        boolean call = next < s.length() && s.charAt(next) == '(';
        if (braceDepth > 0) {
          lastLabel = word; // label name in a matcher
          lastOp = null;
        } else if (LABEL_LIST_KEYWORDS.contains(word.toLowerCase(Locale.ROOT))) {
          if (call) {
            i = skipParens(s, next);
          }
        } else if (KEYWORDS.contains(word.toLowerCase(Locale.ROOT))
            || call
            || AGGREGATIONS.contains(word.toLowerCase(Locale.ROOT))) {
          // keyword, function or aggregation
        } else {
          names.add(word);
        }
      } else {
        if (braceDepth > 0 && (c == '=' || c == '!')) {
          int j = i + 1;
          lastOp = (c == '=' && (j >= s.length() || s.charAt(j) != '~')) ? "=" : "other";
          while (j < s.length() && (s.charAt(j) == '=' || s.charAt(j) == '~')) {
            j++;
          }
          i = j;
          continue;
        }
        i++;
      }
    }
    return names;
  }

  /**
   * Metric names in a Grafana Prometheus variable query: {@code label_values(expr, label)}, {@code
   * label_values(label)}, {@code query_result(expr)} or a plain expression.
   */
  static Set<String> ofVariableQuery(String query) {
    Matcher lv = LABEL_VALUES.matcher(query);
    if (lv.matches()) {
      return of(lv.group(1));
    }
    if (LABEL_VALUES_LABEL_ONLY.matcher(query).matches()
        || query.trim().startsWith("label_names(")) {
      return Set.of();
    }
    Matcher qr = QUERY_RESULT.matcher(query);
    return of(qr.matches() ? qr.group(1) : query);
  }

  /** Label names a variable query reads values of ({@code label_values(..., target)} -> target). */
  static List<String> variableLabels(String query) {
    List<String> out = new ArrayList<>();
    Matcher lv = LABEL_VALUES.matcher(query);
    if (lv.matches()) {
      out.add(lv.group(2));
    }
    Matcher only = LABEL_VALUES_LABEL_ONLY.matcher(query);
    if (only.matches()) {
      out.add(only.group(1));
    }
    return out;
  }

  private static int skipSpace(String s, int i) {
    while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
      i++;
    }
    return i;
  }

  private static int skipParens(String s, int open) {
    int depth = 0;
    for (int i = open; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\'' || c == '`') {
        i = skipString(s, i) - 1;
      } else if (c == '(') {
        depth++;
      } else if (c == ')' && --depth == 0) {
        return i + 1;
      }
    }
    return s.length();
  }

  private static int skipBrackets(String s, int open) {
    int end = s.indexOf(']', open);
    return end < 0 ? s.length() : end + 1;
  }

  private static int skipString(String s, int open) {
    char q = s.charAt(open);
    int i = open + 1;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c == '\\' && q != '`') {
        i += 2;
      } else if (c == q) {
        return i + 1;
      } else {
        i++;
      }
    }
    return s.length();
  }

  private static String unquote(String body) {
    return body.replace("\\\"", "\"").replace("\\'", "'").replace("\\\\", "\\");
  }
}
