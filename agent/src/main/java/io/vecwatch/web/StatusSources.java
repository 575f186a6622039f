package io.vecwatch.web;

import io.vecwatch.probe.OnDemandProbe;
import io.vecwatch.rules.AlertingService;
import io.vecwatch.stats.AgentSnapshot;
import io.vecwatch.stats.RecentProbes;
import java.util.List;
import java.util.Optional;

/**
 * What the status page and {@code /probe} read from the running agent. Implementations never block
 * long.
 */
public interface StatusSources {
  /** Every target now. */
  AgentSnapshot snapshot();

  /** Rule evaluation and delivery, once started. */
  Optional<AlertingService> alerting();

  /** The target's last probe results, newest first; empty for an unknown target. */
  List<RecentProbes.Entry> recentProbes(String target);

  /** What a probe on demand of {@code target} needs; empty while it is not built (or unknown). */
  Optional<OnDemandProbe.Subject> onDemand(String target);
}
