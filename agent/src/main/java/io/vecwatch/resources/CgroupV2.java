package io.vecwatch.resources;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * A cgroup v2 (unified hierarchy) folder. Limits are the tightest of this cgroup and its ancestors.
 */
record CgroupV2(Path mountPoint, Path dir) implements Cgroup {

  @Override
  public String version() {
    return "v2";
  }

  @Override
  public Optional<ContainerSample> sample() {
    OptionalLong current = ProcFiles.readLong(dir.resolve("memory.current"));
    if (current.isEmpty()) {
      return Optional.empty(); // the root cgroup has no memory.current: not in a container
    }
    Map<String, Long> memStat = ProcFiles.keyValues(dir.resolve("memory.stat"));
    long workingSet = Math.max(0, current.getAsLong() - memStat.getOrDefault("inactive_file", 0L));
    Map<String, Long> cpuStat = ProcFiles.keyValues(dir.resolve("cpu.stat"));
    return Optional.of(
        new ContainerSample(
            "v2",
            current.getAsLong(),
            workingSet,
            memoryLimit(),
            cpuStat.getOrDefault("usage_usec", 0L) * 1_000L,
            cpuLimit(),
            cpuStat.getOrDefault("nr_periods", 0L),
            cpuStat.getOrDefault("nr_throttled", 0L),
            cpuStat.getOrDefault("throttled_usec", 0L) * 1_000L));
  }

  /**
   * {@code memory.max} is "max" or bytes; a pod-level limit sits on the parent, so ancestors count
   * too.
   */
  private OptionalLong memoryLimit() {
    long min = Long.MAX_VALUE;
    for (Path d = dir; d != null && d.startsWith(mountPoint); d = d.getParent()) {
      OptionalLong v = ProcFiles.readLong(d.resolve("memory.max"));
      if (v.isPresent() && v.getAsLong() > 0) {
        min = Math.min(min, v.getAsLong());
      }
      if (d.equals(mountPoint)) {
        break;
      }
    }
    return min == Long.MAX_VALUE ? OptionalLong.empty() : OptionalLong.of(min);
  }

  /** {@code cpu.max} is "QUOTA PERIOD" or "max PERIOD" (microseconds). */
  private OptionalDouble cpuLimit() {
    double min = Double.POSITIVE_INFINITY;
    for (Path d = dir; d != null && d.startsWith(mountPoint); d = d.getParent()) {
      Optional<String> line = ProcFiles.firstLine(d.resolve("cpu.max"));
      if (line.isPresent()) {
        String[] f = line.get().split("\\s+");
        if (f.length == 2 && !f[0].equals("max")) {
          try {
            double cores = Double.parseDouble(f[0]) / Double.parseDouble(f[1]);
            if (cores > 0) {
              min = Math.min(min, cores);
            }
          } catch (NumberFormatException e) {
            // unreadable: treated as no limit at this level
          }
        }
      }
      if (d.equals(mountPoint)) {
        break;
      }
    }
    return Double.isInfinite(min) ? OptionalDouble.empty() : OptionalDouble.of(min);
  }
}
