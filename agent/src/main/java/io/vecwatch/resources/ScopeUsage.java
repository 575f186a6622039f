package io.vecwatch.resources;

/**
 * Memory and CPU of one scope ({@code host}, {@code container}, {@code database}) at one sample,
 * against the scope's effective limits. Ratios are NaN until they can be computed (CPU needs two
 * samples).
 *
 * @param memoryUsedBytes memory in use (host: total − available; container: working set)
 * @param memoryLimitBytes the limit the ratio is taken against (container: its limit, or the host's
 *     memory when it has none)
 * @param cpuSeconds cumulative CPU time used
 * @param cpuLimitCores the cores the ratio is taken against (container: its CFS quota, or the
 *     host's CPUs)
 * @param cpuRatio CPU time used over the last interval / (interval × cores)
 */
public record ScopeUsage(
    double memoryUsedBytes,
    double memoryLimitBytes,
    double cpuSeconds,
    double cpuLimitCores,
    double cpuRatio) {

  public double memoryRatio() {
    return memoryLimitBytes > 0 ? memoryUsedBytes / memoryLimitBytes : Double.NaN;
  }
}
