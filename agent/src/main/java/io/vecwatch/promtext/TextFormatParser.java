package io.vecwatch.promtext;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses the Prometheus text exposition format (0.0.4, and the sample lines of OpenMetrics 1.0)
 * into samples, so the rule engine sees exactly the series a Prometheus server would scrape.
 * Histograms and summaries arrive as their {@code _bucket}/{@code _sum}/{@code _count} (or
 * quantile) series because that is how they are written. Comments, {@code HELP}/{@code TYPE} lines,
 * {@code # EOF}, timestamps and exemplars are skipped.
 *
 * <pre>{@code
 * List<Sample> samples = TextFormatParser.parse(registry.scrape());
 * }</pre>
 */
public final class TextFormatParser {
  private final String text;
  private int pos;
  private int line = 1;

  private TextFormatParser(String text) {
    this.text = text;
  }

  /**
   * Every sample of {@code text}, in order; throws {@link PromTextException} naming the line on bad
   * input.
   */
  public static List<Sample> parse(String text) {
    return new TextFormatParser(text).run();
  }

  private List<Sample> run() {
    List<Sample> out = new ArrayList<>();
    int n = text.length();
    while (pos < n) {
      int end = text.indexOf('\n', pos);
      if (end < 0) {
        end = n;
      }
      parseLine(end, out);
      pos = end + 1;
      line++;
    }
    return out;
  }

  private void parseLine(int end, List<Sample> out) {
    skipBlanks(end);
    if (pos >= end || text.charAt(pos) == '#') {
      return; // blank line, comment, HELP, TYPE, UNIT, EOF
    }
    if (text.charAt(end - 1) == '\r') {
      end--;
    }
    Labels.Builder b = Labels.builder();
    String name = null;
    if (text.charAt(pos) != '{') {
      name = readMetricName(end);
    }
    int afterName = pos;
    skipBlanks(end);
    if (pos < end && text.charAt(pos) == '{') {
      pos++;
      name = readLabels(end, b, name);
    } else {
      pos = afterName;
    }
    if (name == null || name.isEmpty()) {
      throw error("sample without a metric name");
    }
    b.set(Labels.NAME, name);
    if (pos >= end || (text.charAt(pos) != ' ' && text.charAt(pos) != '\t')) {
      throw error("expected a space and a value after " + name);
    }
    skipBlanks(end);
    int start = pos;
    while (pos < end && text.charAt(pos) != ' ' && text.charAt(pos) != '\t') {
      pos++;
    }
    double value = parseValue(text.substring(start, pos));
    skipBlanks(end);
    // Optional timestamp, then optional OpenMetrics exemplar ("# {...} v [ts]"): both ignored.
    if (pos < end && text.charAt(pos) != '#') {
      int ts = pos;
      while (pos < end && text.charAt(pos) != ' ' && text.charAt(pos) != '\t') {
        pos++;
      }
      String tsText = text.substring(ts, pos);
      try {
        Double.parseDouble(tsText);
      } catch (NumberFormatException e) {
        throw error("invalid timestamp \"" + tsText + "\"");
      }
      skipBlanks(end);
      if (pos < end && text.charAt(pos) != '#') {
        throw error("unexpected text after the timestamp");
      }
    }
    out.add(new Sample(b.build(), value));
  }

  private String readMetricName(int end) {
    int start = pos;
    while (pos < end) {
      char c = text.charAt(pos);
      boolean ok =
          c == '_'
              || c == ':'
              || (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (pos > start && c >= '0' && c <= '9');
      if (!ok) {
        break;
      }
      pos++;
    }
    if (pos == start) {
      throw error("invalid metric name");
    }
    return text.substring(start, pos);
  }

  /**
   * Reads {@code a="b",...}} after the opening brace; returns the metric name (a quoted name may
   * stand first).
   */
  private String readLabels(int end, Labels.Builder b, String name) {
    boolean first = true;
    while (true) {
      skipBlanks(end);
      if (pos >= end) {
        throw error("unterminated label set");
      }
      if (text.charAt(pos) == '}') {
        pos++;
        return name;
      }
      String label;
      if (text.charAt(pos) == '"') {
        label = readQuoted(end);
        skipBlanks(end);
        if (first
            && name == null
            && pos < end
            && (text.charAt(pos) == ',' || text.charAt(pos) == '}')) {
          name = label; // OpenMetrics 2 / UTF-8 style: {"metric.name", a="b"}
          if (text.charAt(pos) == ',') {
            pos++;
          }
          first = false;
          continue;
        }
      } else {
        int start = pos;
        while (pos < end) {
          char c = text.charAt(pos);
          if (!(c == '_'
              || (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (pos > start && c >= '0' && c <= '9'))) {
            break;
          }
          pos++;
        }
        if (pos == start) {
          throw error("invalid label name");
        }
        label = text.substring(start, pos);
      }
      first = false;
      skipBlanks(end);
      if (pos >= end || text.charAt(pos) != '=') {
        throw error("expected '=' after label name " + label);
      }
      pos++;
      skipBlanks(end);
      if (pos >= end || text.charAt(pos) != '"') {
        throw error("expected a quoted value for label " + label);
      }
      String value = readQuoted(end);
      if (label.equals(Labels.NAME)) {
        name = value;
      } else {
        b.set(label, value);
      }
      skipBlanks(end);
      if (pos < end && text.charAt(pos) == ',') {
        pos++;
      } else if (pos < end && text.charAt(pos) != '}') {
        throw error("expected ',' or '}' after label " + label);
      }
    }
  }

  private String readQuoted(int end) {
    pos++; // opening quote
    StringBuilder sb = new StringBuilder();
    while (pos < end) {
      char c = text.charAt(pos++);
      if (c == '"') {
        return sb.toString();
      }
      if (c == '\\') {
        if (pos >= end) {
          break;
        }
        char e = text.charAt(pos++);
        switch (e) {
          case 'n' -> sb.append('\n');
          case '\\' -> sb.append('\\');
          case '"' -> sb.append('"');
          default ->
              sb.append('\\').append(e); // unknown escapes are kept verbatim, as Prometheus does
        }
      } else {
        sb.append(c);
      }
    }
    throw error("unterminated quoted string");
  }

  private double parseValue(String s) {
    switch (s) {
      case "NaN":
        return Double.NaN;
      case "+Inf":
      case "Inf":
        return Double.POSITIVE_INFINITY;
      case "-Inf":
        return Double.NEGATIVE_INFINITY;
      default:
        try {
          if (s.isEmpty()
              || s.endsWith("d")
              || s.endsWith("f")
              || s.endsWith("D")
              || s.endsWith("F")) {
            throw new NumberFormatException();
          }
          return Double.parseDouble(s);
        } catch (NumberFormatException e) {
          throw error("invalid value \"" + s + "\"");
        }
    }
  }

  private void skipBlanks(int end) {
    while (pos < end && (text.charAt(pos) == ' ' || text.charAt(pos) == '\t')) {
      pos++;
    }
  }

  private PromTextException error(String message) {
    return new PromTextException(line, message);
  }
}
