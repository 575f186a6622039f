package io.vecwatch.target;

import io.vecwatch.dataset.Dataset;
import io.vecwatch.stats.OwnSearches;
import io.vecwatch.time.Clock;
import java.util.Optional;

/** What a target may need while it is built: the datasets loaded by name, and the clock. */
public interface TargetContext {
  Optional<Dataset> dataset(String name);

  Clock clock();

  /** Where a database target counts the searches it sends (so served traffic can exclude them). */
  default OwnSearches ownSearches() {
    return new OwnSearches();
  }
}
