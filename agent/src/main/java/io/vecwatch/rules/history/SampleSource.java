package io.vecwatch.rules.history;

import io.vecwatch.promtext.Sample;
import java.util.List;

/**
 * Where the rule engine's samples come from at each evaluation tick (usually the agent's own
 * scrape).
 */
@FunctionalInterface
public interface SampleSource {
  /**
   * The current value of every series; a series missing here that was present before is marked
   * stale.
   */
  List<Sample> collect();
}
