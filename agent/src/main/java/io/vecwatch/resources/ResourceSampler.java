package io.vecwatch.resources;

import io.vecwatch.resources.HostReader.HostCpu;
import io.vecwatch.resources.HostReader.HostMemory;
import io.vecwatch.time.Clock;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Reads process, host and container counters and turns two consecutive readings into usage ratios.
 * CPU of the container is its CPU time over the elapsed (injected) monotonic time times its cores;
 * CPU of the host is busy ticks over all ticks. Not thread-safe: one worker samples.
 *
 * <pre>{@code
 * ResourceSampler s = ResourceSampler.forRoot(Path.of("/"), Clock.system());
 * ResourceSnapshot first = s.sample();   // CPU ratios NaN
 * ResourceSnapshot next = s.sample();    // CPU ratios over the interval between the two
 * }</pre>
 */
public final class ResourceSampler {
  /** Linux's USER_HZ, the unit of /proc/stat, is 100 on every architecture vecwatch runs on. */
  static final double TICKS_PER_SECOND = 100.0;

  private final HostReader host;
  private final ProcessReader process;
  private final Optional<Cgroup> cgroup;
  private final Clock clock;

  private HostCpu lastHostCpu;
  private long lastContainerCpuNanos = -1;
  private long lastAtNanos;

  private ResourceSampler(
      HostReader host, ProcessReader process, Optional<Cgroup> cgroup, Clock clock) {
    this.host = host;
    this.process = process;
    this.cgroup = cgroup;
    this.clock = clock;
  }

  /**
   * Readers over {@code root} ({@code /} in production, a fixture tree in tests); the cgroup is
   * found once.
   */
  public static ResourceSampler forRoot(Path root, Clock clock) {
    return new ResourceSampler(
        HostReader.at(root), ProcessReader.at(root), Cgroup.detect(root), clock);
  }

  public Optional<String> cgroupVersion() {
    return cgroup.map(Cgroup::version);
  }

  public ResourceSnapshot sample() {
    long now = clock.monotonicNanos();
    Optional<HostCpu> cpu = host.cpu();
    Optional<HostMemory> mem = host.memory();
    Optional<ScopeUsage> hostUsage = Optional.empty();
    if (cpu.isPresent() && mem.isPresent()) {
      HostCpu c = cpu.get();
      double ratio = Double.NaN;
      if (lastHostCpu != null && c.totalTicks() > lastHostCpu.totalTicks()) {
        ratio =
            (double) (c.busyTicks() - lastHostCpu.busyTicks())
                / (c.totalTicks() - lastHostCpu.totalTicks());
      }
      lastHostCpu = c;
      hostUsage =
          Optional.of(
              new ScopeUsage(
                  mem.get().usedBytes(),
                  mem.get().totalBytes(),
                  c.busyTicks() / TICKS_PER_SECOND,
                  c.cpus(),
                  ratio));
    }

    Optional<ContainerSample> cs = cgroup.flatMap(Cgroup::sample);
    Optional<ScopeUsage> containerUsage = Optional.empty();
    ResourceSnapshot.Throttling throttling = new ResourceSnapshot.Throttling(0, 0, 0);
    if (cs.isPresent()) {
      ContainerSample s = cs.get();
      // A limit above the host's memory (v1 writes "unlimited" as ~2^63) means the host is the
      // limit.
      double hostMem = mem.map(m -> (double) m.totalBytes()).orElse(Double.POSITIVE_INFINITY);
      double memLimit =
          Math.min(
              s.memoryLimitBytes().isPresent()
                  ? s.memoryLimitBytes().getAsLong()
                  : Double.POSITIVE_INFINITY,
              hostMem);
      double hostCores =
          cpu.map(c -> (double) c.cpus())
              .orElse((double) Runtime.getRuntime().availableProcessors());
      double cores = Math.min(s.cpuLimitCores().orElse(Double.POSITIVE_INFINITY), hostCores);
      double ratio = Double.NaN;
      if (lastContainerCpuNanos >= 0
          && now > lastAtNanos
          && s.cpuUsageNanos() >= lastContainerCpuNanos) {
        ratio =
            (s.cpuUsageNanos() - lastContainerCpuNanos) / ((double) (now - lastAtNanos) * cores);
      }
      lastContainerCpuNanos = s.cpuUsageNanos();
      containerUsage =
          Optional.of(
              new ScopeUsage(
                  s.memoryWorkingSetBytes(),
                  Double.isInfinite(memLimit) ? Double.NaN : memLimit,
                  s.cpuUsageNanos() / 1e9,
                  cores,
                  ratio));
      throttling =
          new ResourceSnapshot.Throttling(
              s.cpuPeriods(), s.cpuThrottledPeriods(), s.cpuThrottledNanos() / 1e9);
    }
    lastAtNanos = now;

    OptionalLong resident = process.residentBytes();
    double rss = resident.isPresent() ? resident.getAsLong() : Double.NaN;
    return new ResourceSnapshot(
        rss, hostUsage, containerUsage, throttling, host.disks(), host.network());
  }
}
