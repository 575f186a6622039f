package io.vecwatch.metrics;

import io.vecwatch.stats.AgentSnapshot;
import io.vecwatch.stats.ProbeSnapshot;
import io.vecwatch.stats.TargetSnapshot;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The latest {@link AgentSnapshot}, refreshed by the agent on a timer (every second), so a scrape
 * only reads finished immutable values and never merges histograms itself.
 */
public final class SnapshotCache implements Supplier<AgentSnapshot> {
  private volatile AgentSnapshot latest = AgentSnapshot.EMPTY;

  @Override
  public AgentSnapshot get() {
    return latest;
  }

  public void set(AgentSnapshot snapshot) {
    latest = snapshot;
  }

  Optional<TargetSnapshot> target(String name) {
    return latest.target(name);
  }

  Optional<ProbeSnapshot> probe(String target, String dataset) {
    return latest.probe(target, dataset);
  }
}
