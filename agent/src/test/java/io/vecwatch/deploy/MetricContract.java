package io.vecwatch.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The series names docs/metrics.md documents (the agreed contract), with the sample names
 * Prometheus sees for histograms and summaries ({@code _bucket}, {@code _sum}, {@code _count}).
 * Rows such as {@code jvm_*} are prefixes.
 */
final class MetricContract {
  private static final Pattern ROW = Pattern.compile("^\\|\\s*(`[^|]+)\\|\\s*([a-z ]*)\\|");
  private static final Pattern NAME = Pattern.compile("`([A-Za-z_:][A-Za-z0-9_:]*\\*?)`");

  private final Set<String> names;
  private final List<String> prefixes;

  private MetricContract(Set<String> names, List<String> prefixes) {
    this.names = names;
    this.prefixes = prefixes;
  }

  static MetricContract read(Path metricsMd) throws IOException {
    Set<String> names = new TreeSet<>();
    List<String> prefixes = new ArrayList<>();
    boolean plannedSection = false;
    for (String line : Files.readAllLines(metricsMd)) {
      if (line.startsWith("#")) {
        plannedSection = line.contains("(planned)");
      }
      // Planned series (a section "... (planned)" or a row saying "planned") are agreed names, not
      // yet exported.
      if (plannedSection || line.toLowerCase(Locale.ROOT).contains("planned")) {
        continue;
      }
      Matcher row = ROW.matcher(line);
      if (!row.find()) {
        continue;
      }
      String type = row.group(2).trim();
      Matcher n = NAME.matcher(row.group(1));
      while (n.find()) {
        String name = n.group(1);
        if (name.endsWith("*")) {
          prefixes.add(name.substring(0, name.length() - 1));
          continue;
        }
        names.add(name);
        if (type.equals("histogram")) {
          names.add(name + "_bucket");
        }
        if (type.equals("histogram") || type.equals("summary")) {
          names.add(name + "_sum");
          names.add(name + "_count");
        }
      }
    }
    return new MetricContract(names, prefixes);
  }

  boolean contains(String name) {
    return names.contains(name) || prefixes.stream().anyMatch(name::startsWith);
  }

  Set<String> names() {
    return names;
  }
}
