package io.vecwatch.rules;

import java.util.List;

/** Rule files could not be loaded; {@link #problems()} holds one line per problem. */
public final class RuleLoadException extends Exception {
  private static final long serialVersionUID = 1L;
  private final List<String> problems;

  public RuleLoadException(List<String> problems) {
    super(String.join("\n", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
