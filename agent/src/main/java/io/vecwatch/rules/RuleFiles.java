package io.vecwatch.rules;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Resolves {@code rule_files} globs against the config file's folder and parses what they match.
 */
public final class RuleFiles {
  private RuleFiles() {}

  /**
   * Every file the patterns match (in pattern order, each pattern's matches sorted, no duplicates).
   */
  public static List<Path> resolve(Path baseDir, List<String> patterns) throws IOException {
    LinkedHashSet<Path> out = new LinkedHashSet<>();
    for (String p : patterns) {
      out.addAll(Globs.expand(baseDir, p));
    }
    return new ArrayList<>(out);
  }

  /**
   * Resolves and parses. Unlike Prometheus, a pattern matching nothing is a problem ({@code
   * rule_files[0]: "rules/*.yml" matches no file in /etc/vecwatch}): it is almost always a wrong
   * path, and an agent that silently evaluates no rules pages nobody.
   */
  public static RuleFileParser.Result load(Path baseDir, List<String> patterns) {
    List<String> problems = new ArrayList<>();
    LinkedHashSet<Path> files = new LinkedHashSet<>();
    for (int i = 0; i < patterns.size(); i++) {
      try {
        List<Path> matched = Globs.expand(baseDir, patterns.get(i));
        if (matched.isEmpty()) {
          problems.add(
              "rule_files[" + i + "]: \"" + patterns.get(i) + "\" matches no file in " + baseDir);
        }
        files.addAll(matched);
      } catch (IOException e) {
        problems.add("rule_files[" + i + "]: " + e.getMessage());
      }
    }
    RuleFileParser.Result r = RuleFileParser.parseFiles(new ArrayList<>(files));
    if (problems.isEmpty()) {
      return r;
    }
    problems.addAll(r.problems());
    return new RuleFileParser.Result(r.groups(), problems);
  }
}
