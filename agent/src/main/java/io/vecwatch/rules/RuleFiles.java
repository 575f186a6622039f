package io.vecwatch.rules;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/** Resolves {@code rule_files} globs against the config file's folder and parses what they match. */
public final class RuleFiles {
  private RuleFiles() {}

  /** Every file the patterns match (in pattern order, each pattern's matches sorted, no duplicates). */
  public static List<Path> resolve(Path baseDir, List<String> patterns) throws IOException {
    LinkedHashSet<Path> out = new LinkedHashSet<>();
    for (String p : patterns) {
      out.addAll(Globs.expand(baseDir, p));
    }
    return new ArrayList<>(out);
  }

  /** Resolves and parses; a pattern matching nothing is not an error (as in Prometheus). */
  public static RuleFileParser.Result load(Path baseDir, List<String> patterns) {
    try {
      return RuleFileParser.parseFiles(resolve(baseDir, patterns));
    } catch (IOException e) {
      return new RuleFileParser.Result(List.of(), List.of("rule_files: " + e.getMessage()));
    }
  }
}
