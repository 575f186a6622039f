package io.vecwatch.resources;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * A cgroup v1 process: one folder per controller. The memory limit is the smaller of {@code
 * memory.limit_in_bytes} and {@code hierarchical_memory_limit} (which covers ancestors); v1 writes
 * "no limit" as a huge number (LONG_MAX rounded down to a page), which the caller caps at the
 * host's memory.
 */
record CgroupV1(Path memoryDir, Optional<Path> cpuDir, Optional<Path> cpuacctDir)
    implements Cgroup {

  @Override
  public String version() {
    return "v1";
  }

  @Override
  public Optional<ContainerSample> sample() {
    OptionalLong usage = ProcFiles.readLong(memoryDir.resolve("memory.usage_in_bytes"));
    if (usage.isEmpty()) {
      return Optional.empty();
    }
    Map<String, Long> memStat = ProcFiles.keyValues(memoryDir.resolve("memory.stat"));
    long inactiveFile =
        memStat.getOrDefault("total_inactive_file", memStat.getOrDefault("inactive_file", 0L));
    long limit = Long.MAX_VALUE;
    OptionalLong own = ProcFiles.readLong(memoryDir.resolve("memory.limit_in_bytes"));
    if (own.isPresent() && own.getAsLong() > 0) {
      limit = own.getAsLong();
    }
    Long hierarchical = memStat.get("hierarchical_memory_limit");
    if (hierarchical != null && hierarchical > 0) {
      limit = Math.min(limit, hierarchical);
    }
    long cpuUsage =
        cpuacctDir.map(d -> ProcFiles.readLong(d.resolve("cpuacct.usage")).orElse(0L)).orElse(0L);
    Map<String, Long> cpuStat =
        cpuDir.map(d -> ProcFiles.keyValues(d.resolve("cpu.stat"))).orElse(Map.of());
    return Optional.of(
        new ContainerSample(
            "v1",
            usage.getAsLong(),
            Math.max(0, usage.getAsLong() - inactiveFile),
            limit == Long.MAX_VALUE ? OptionalLong.empty() : OptionalLong.of(limit),
            cpuUsage,
            cpuDir.map(CgroupV1::cpuLimit).orElse(OptionalDouble.empty()),
            cpuStat.getOrDefault("nr_periods", 0L),
            cpuStat.getOrDefault("nr_throttled", 0L),
            cpuStat.getOrDefault("throttled_time", 0L)));
  }

  /** {@code cpu.cfs_quota_us} is -1 when unlimited. */
  private static OptionalDouble cpuLimit(Path cpuDir) {
    OptionalLong quota = ProcFiles.readLong(cpuDir.resolve("cpu.cfs_quota_us"));
    OptionalLong period = ProcFiles.readLong(cpuDir.resolve("cpu.cfs_period_us"));
    if (quota.isEmpty() || period.isEmpty() || quota.getAsLong() <= 0 || period.getAsLong() <= 0) {
      return OptionalDouble.empty();
    }
    return OptionalDouble.of((double) quota.getAsLong() / period.getAsLong());
  }
}
