package io.vecwatch.rules;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * One validated rule group.
 *
 * @param interval the group's own {@code interval}, empty to use the global evaluation interval
 * @param limit the most alerts (or recorded series) a rule may produce, 0 for no limit
 */
public record RuleGroupSpec(
    Path file, String name, Optional<Duration> interval, int limit, List<RuleSpec> rules) {
  public RuleGroupSpec {
    rules = List.copyOf(rules);
  }
}
