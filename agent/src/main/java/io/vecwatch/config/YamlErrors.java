package io.vecwatch.config;

import com.fasterxml.jackson.core.JsonProcessingException;

/**
 * YAML syntax errors as one line, for every file vecwatch reads (config, rule files, rule test
 * files): {@code line 3, column 5: not valid YAML: mapping values are not allowed here}. The
 * parser's own message spans several lines and quotes the offending line, which may hold a secret;
 * this keeps only its position and problem.
 */
public final class YamlErrors {
  private YamlErrors() {}

  /** {@code e} as one line: position (when known), "not valid YAML: " and the problem. */
  public static String describe(JsonProcessingException e) {
    return YamlTree.syntaxError(e).describe();
  }
}
