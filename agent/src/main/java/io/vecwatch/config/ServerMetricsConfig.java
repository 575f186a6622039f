package io.vecwatch.config;

import io.vecwatch.time.Durations;
import java.net.URI;
import java.time.Duration;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * {@code telemetry.server_metrics[i]:} a database's own Prometheus endpoint, scraped so that its
 * served traffic, server-side latency and process usage appear beside the agent's measurements of
 * the same target.
 *
 * @param target the configured target whose server this is (its {@code target} label)
 * @param url e.g. {@code http://milvus:9091/metrics}
 * @param window the span server-side quantiles are computed over (match the probe's window to
 *     compare)
 * @param memoryLimitBytes the database's memory limit when known (else taken from GetMetrics when
 *     available)
 * @param cpuLimitCores the database's CPU limit when known
 * @param systemInfo whether to ask the target for {@code GetMetrics(system_info)} (Milvus)
 * @param maxBytes a larger response is cut off and counted as a failed scrape
 */
public record ServerMetricsConfig(
    String target,
    URI url,
    Duration interval,
    Duration timeout,
    Duration window,
    OptionalLong memoryLimitBytes,
    OptionalDouble cpuLimitCores,
    boolean systemInfo,
    int maxBytes) {

  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(15);
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
  public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(60);
  public static final int DEFAULT_MAX_BYTES = 8 << 20;

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  static ServerMetricsConfig parse(ConfigNode n) {
    String target = n.requiredString("target");
    URI url = TelemetryConfig.httpUrl(n, "url", true);
    Duration interval = n.duration("interval", DEFAULT_INTERVAL, Duration.ofMillis(100));
    // Defaults follow the interval so that setting only the interval is always valid.
    Duration timeout = n.duration("timeout", min(DEFAULT_TIMEOUT, interval), Duration.ofMillis(10));
    Duration window =
        n.duration("window", max(DEFAULT_WINDOW, interval.multipliedBy(2)), Duration.ofSeconds(1));
    long mem = n.longValue("memory_limit_bytes", 0, 0, Long.MAX_VALUE);
    double cpu = n.number("cpu_limit_cores", 0, 0, 100_000);
    boolean systemInfo = n.bool("system_info", true);
    int maxBytes = n.integer("max_bytes", DEFAULT_MAX_BYTES, 1024, 1 << 30);
    if (window.compareTo(interval.multipliedBy(2)) < 0) {
      n.problem(
          "window",
          "must be at least twice the interval ("
              + Durations.format(interval)
              + "), got "
              + Durations.format(window));
    }
    if (timeout.compareTo(interval) > 0) {
      n.problem(
          "timeout",
          "must not exceed the interval ("
              + Durations.format(interval)
              + "), got "
              + Durations.format(timeout));
    }
    n.finish();
    return new ServerMetricsConfig(
        target,
        url,
        interval,
        timeout,
        window,
        mem > 0 ? OptionalLong.of(mem) : OptionalLong.empty(),
        cpu > 0 ? OptionalDouble.of(cpu) : OptionalDouble.empty(),
        systemInfo,
        maxBytes);
  }
}
