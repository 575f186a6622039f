package io.vecwatch.serverside;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The seam to the Prometheus text-format parser: the scraper only needs (name, labels, value) triples.
 *
 * <p>TEMPORARY: a minimal parser of the text exposition format 0.0.4 lives here until the rules branch's
 * {@code io.vecwatch.promtext.TextFormatParser} is on main; then {@link #parse} becomes a call to it and the
 * parsing code below goes. Comments, HELP/TYPE lines and timestamps are skipped; malformed lines are skipped
 * and counted rather than failing the whole scrape.
 */
final class Exposition {
  private Exposition() {}

  /** One sample line. */
  record Sample(String name, Map<String, String> labels, double value) {
    String label(String key) {
      return labels.getOrDefault(key, "");
    }
  }

  /** Samples plus the number of lines that could not be read. */
  record Parsed(List<Sample> samples, int malformedLines) {}

  static Parsed parse(String text) {
    List<Sample> out = new ArrayList<>();
    int bad = 0;
    int start = 0;
    int n = text.length();
    while (start < n) {
      int end = text.indexOf('\n', start);
      if (end < 0) {
        end = n;
      }
      String line = text.substring(start, end).strip();
      start = end + 1;
      if (line.isEmpty() || line.charAt(0) == '#') {
        continue;
      }
      Sample s = line(line);
      if (s == null) {
        bad++;
      } else {
        out.add(s);
      }
    }
    return new Parsed(out, bad);
  }

  private static Sample line(String line) {
    int i = 0;
    int len = line.length();
    while (i < len && line.charAt(i) != '{' && line.charAt(i) != ' ' && line.charAt(i) != '\t') {
      i++;
    }
    String name = line.substring(0, i);
    if (name.isEmpty()) {
      return null;
    }
    Map<String, String> labels = new LinkedHashMap<>();
    if (i < len && line.charAt(i) == '{') {
      i++;
      while (true) {
        while (i < len && (line.charAt(i) == ' ' || line.charAt(i) == ',')) {
          i++;
        }
        if (i >= len) {
          return null;
        }
        if (line.charAt(i) == '}') {
          i++;
          break;
        }
        int eq = line.indexOf('=', i);
        if (eq < 0 || eq + 1 >= len || line.charAt(eq + 1) != '"') {
          return null;
        }
        String key = line.substring(i, eq).strip();
        StringBuilder v = new StringBuilder();
        int j = eq + 2;
        while (j < len && line.charAt(j) != '"') {
          char c = line.charAt(j);
          if (c == '\\' && j + 1 < len) {
            char e = line.charAt(++j);
            v.append(e == 'n' ? '\n' : e);
          } else {
            v.append(c);
          }
          j++;
        }
        if (j >= len) {
          return null;
        }
        labels.put(key, v.toString());
        i = j + 1;
      }
    }
    String[] rest = line.substring(i).strip().split("[ \t]+");
    if (rest.length == 0 || rest[0].isEmpty()) {
      return null;
    }
    try {
      return new Sample(name, labels, value(rest[0]));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static double value(String s) {
    return switch (s) {
      case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      case "NaN" -> Double.NaN;
      default -> Double.parseDouble(s);
    };
  }
}
