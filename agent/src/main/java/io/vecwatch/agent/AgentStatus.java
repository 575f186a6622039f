package io.vecwatch.agent;

import io.vecwatch.probe.OnDemandProbe;
import io.vecwatch.rules.AlertingService;
import io.vecwatch.stats.AgentSnapshot;
import io.vecwatch.stats.RecentProbes;
import io.vecwatch.stats.SnapshotSource;
import io.vecwatch.web.StatusSources;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/** The running agent as the status page and {@code /probe} see it. */
final class AgentStatus implements StatusSources {
  private final SnapshotSource snapshots;
  private final List<MonitoredTarget> targets;
  private final Supplier<AlertingService> alerting;

  AgentStatus(
      SnapshotSource snapshots, List<MonitoredTarget> targets, Supplier<AlertingService> alerting) {
    this.snapshots = snapshots;
    this.targets = targets;
    this.alerting = alerting;
  }

  @Override
  public AgentSnapshot snapshot() {
    return snapshots.snapshot();
  }

  @Override
  public Optional<AlertingService> alerting() {
    return Optional.ofNullable(alerting.get());
  }

  @Override
  public List<RecentProbes.Entry> recentProbes(String target) {
    return find(target).map(t -> t.recent().snapshot()).orElse(List.of());
  }

  @Override
  public Optional<OnDemandProbe.Subject> onDemand(String target) {
    return find(target).flatMap(MonitoredTarget::onDemand);
  }

  private Optional<MonitoredTarget> find(String name) {
    return targets.stream().filter(t -> t.config().name().equals(name)).findFirst();
  }
}
