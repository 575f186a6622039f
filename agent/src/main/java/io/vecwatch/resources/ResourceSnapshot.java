package io.vecwatch.resources;

import io.vecwatch.resources.HostReader.DiskIo;
import io.vecwatch.resources.HostReader.NetIo;
import java.util.List;
import java.util.Optional;

/**
 * Everything one resource sample read, immutable; exporters read the latest one.
 *
 * @param processResidentBytes this process's RSS, or NaN off Linux
 * @param container present only when the agent runs inside a readable, non-root cgroup
 * @param throttling the container's CFS throttling counters (zero when there is no container)
 */
public record ResourceSnapshot(
    double processResidentBytes,
    Optional<ScopeUsage> host,
    Optional<ScopeUsage> container,
    Throttling throttling,
    List<DiskIo> disks,
    List<NetIo> network) {

  public static final ResourceSnapshot EMPTY =
      new ResourceSnapshot(
          Double.NaN,
          Optional.empty(),
          Optional.empty(),
          new Throttling(0, 0, 0),
          List.of(),
          List.of());

  public ResourceSnapshot {
    disks = List.copyOf(disks);
    network = List.copyOf(network);
  }

  /** Cumulative CFS counters of the container. */
  public record Throttling(long periods, long throttledPeriods, double throttledSeconds) {}
}
