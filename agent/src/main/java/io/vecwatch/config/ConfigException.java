package io.vecwatch.config;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A user's config is wrong. Carries every problem found, each already prefixed with the file name,
 * e.g. {@code vecwatch.yml: targets[1].uri: must be set}. Never shown with a stack trace.
 */
public final class ConfigException extends Exception {
  private static final long serialVersionUID = 1L;
  private final List<String> problems;

  public ConfigException(String source, List<String> problems) {
    super(problems.stream().map(p -> source + ": " + p).collect(Collectors.joining("\n")));
    this.problems = problems.stream().map(p -> source + ": " + p).toList();
  }

  private ConfigException(List<String> lines, boolean prefixed) {
    super(String.join("\n", lines));
    this.problems = List.copyOf(lines);
  }

  /** Problems of several files, each line already naming its file. */
  public static ConfigException ofLines(List<String> lines) {
    return new ConfigException(lines, true);
  }

  /** One line per problem, each naming the file and the path inside it. */
  public List<String> problems() {
    return problems;
  }
}
