package io.vecwatch.stats;

import java.util.List;
import java.util.Optional;

/**
 * Everything the agent knows at one instant, immutable: the one read model every consumer uses (the
 * HTTP API, the metric gauges, the rule engine). Targets and their probes are listed in config
 * order.
 *
 * @param wallMillis when it was taken (epoch millis)
 * @param monotonicNanos when it was taken, on the agent's monotonic clock
 * @param ready every target was probed or health-checked at least once, or is misconfigured
 */
public record AgentSnapshot(
    long wallMillis, long monotonicNanos, boolean ready, List<TargetSnapshot> targets) {

  public static final AgentSnapshot EMPTY = new AgentSnapshot(0, 0, false, List.of());

  public AgentSnapshot {
    targets = List.copyOf(targets);
  }

  public Optional<TargetSnapshot> target(String name) {
    return targets.stream().filter(t -> t.name().equals(name)).findFirst();
  }

  public Optional<ProbeSnapshot> probe(String target, String dataset) {
    return target(target)
        .flatMap(t -> t.probes().stream().filter(p -> p.dataset().equals(dataset)).findFirst());
  }
}
