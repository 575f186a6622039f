package io.vecwatch.resources;

import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * One reading of the agent's own cgroup.
 *
 * @param memoryUsageBytes charged memory, page cache included ({@code memory.current} / {@code
 *     memory.usage_in_bytes})
 * @param memoryWorkingSetBytes usage minus inactive file cache: what the kubelet and cAdvisor
 *     compare with the limit, since the kernel reclaims inactive cache before it kills anything
 * @param memoryLimitBytes the tightest memory limit on this cgroup or an ancestor; empty when
 *     unlimited
 * @param cpuUsageNanos cumulative CPU time of the cgroup
 * @param cpuLimitCores CFS quota / period; empty when unlimited
 * @param cpuPeriods CFS periods elapsed with runnable tasks
 * @param cpuThrottledPeriods periods in which the cgroup was throttled
 * @param cpuThrottledNanos total time throttled
 */
public record ContainerSample(
    String version,
    long memoryUsageBytes,
    long memoryWorkingSetBytes,
    OptionalLong memoryLimitBytes,
    long cpuUsageNanos,
    OptionalDouble cpuLimitCores,
    long cpuPeriods,
    long cpuThrottledPeriods,
    long cpuThrottledNanos) {}
