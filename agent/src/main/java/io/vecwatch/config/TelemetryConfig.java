package io.vecwatch.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code telemetry:} what the agent reports about its surroundings and where it sends traces and
 * logs: resource sampling, database server-side metrics, OTLP tracing, Loki logs and event-log
 * throttling. Every exporter is off until its address is set.
 *
 * <pre>{@code
 * telemetry:
 *   server_metrics: [{target: milvus, url: http://milvus:9091/metrics}]
 *   tracing: {endpoint: http://otel-collector:4318}
 *   loki: {url: http://loki:3100/loki/api/v1/push}
 * }</pre>
 *
 * @param failureLogInterval at most one probe-failure line per target per interval (the rest are
 *     counted and reported in the next line), so a dead target cannot flood the log
 * @param shutdownTimeout on shutdown, how long the exporters (OTLP, Loki) may take to send what
 *     they hold, side by side; what is still undelivered then is dropped and logged. Well inside
 *     Docker's 10 s and Kubernetes' 30 s stop grace periods by default.
 */
public record TelemetryConfig(
    ResourcesConfig resources,
    List<ServerMetricsConfig> serverMetrics,
    TracingConfig tracing,
    LokiConfig loki,
    Duration failureLogInterval,
    Duration shutdownTimeout) {

  public static final Duration DEFAULT_FAILURE_LOG_INTERVAL = Duration.ofSeconds(10);
  public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(5);
  public static final Duration MAX_SHUTDOWN_TIMEOUT = Duration.ofSeconds(60);

  public TelemetryConfig {
    serverMetrics = List.copyOf(serverMetrics);
  }

  /** With the default shutdown timeout. */
  public TelemetryConfig(
      ResourcesConfig resources,
      List<ServerMetricsConfig> serverMetrics,
      TracingConfig tracing,
      LokiConfig loki,
      Duration failureLogInterval) {
    this(resources, serverMetrics, tracing, loki, failureLogInterval, DEFAULT_SHUTDOWN_TIMEOUT);
  }

  public static TelemetryConfig defaults() {
    return new TelemetryConfig(
        ResourcesConfig.defaults(),
        List.of(),
        TracingConfig.disabled(),
        LokiConfig.disabled(),
        DEFAULT_FAILURE_LOG_INTERVAL);
  }

  public TelemetryConfig withShutdownTimeout(Duration timeout) {
    return new TelemetryConfig(
        resources, serverMetrics, tracing, loki, failureLogInterval, timeout);
  }

  /** Reads {@code telemetry:}; {@code targets} are the ones server metrics may refer to. */
  public static TelemetryConfig parse(ConfigNode n, List<TargetConfig> targets) {
    Set<String> targetNames = new LinkedHashSet<>();
    targets.forEach(t -> targetNames.add(t.name()));
    ResourcesConfig resources = ResourcesConfig.parse(n.child("resources"));
    List<ConfigNode> smNodes = n.list("server_metrics");
    List<ServerMetricsConfig> sm = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (ConfigNode s : smNodes) {
      ServerMetricsConfig c = ServerMetricsConfig.parse(s);
      if (!c.target().isEmpty() && !targetNames.contains(c.target())) {
        s.problem(
            "target",
            "no target named "
                + ConfigNode.quote(c.target())
                + (targetNames.isEmpty()
                    ? " (none are defined)"
                    : " (known: " + String.join(", ", targetNames) + ")"));
      } else if (!c.target().isEmpty() && !seen.add(c.target())) {
        s.problem(
            "target", "target " + ConfigNode.quote(c.target()) + " already has server_metrics");
      }
      sm.add(c);
    }
    TracingConfig tracing = TracingConfig.parse(n.child("tracing"));
    LokiConfig loki = LokiConfig.parse(n.child("loki"));
    ConfigNode events = n.child("events");
    Duration failureInterval =
        events.duration("failure_log_interval", DEFAULT_FAILURE_LOG_INTERVAL, Duration.ZERO);
    events.finish();
    Duration shutdown =
        n.duration(
            "shutdown_timeout", DEFAULT_SHUTDOWN_TIMEOUT, Duration.ZERO, MAX_SHUTDOWN_TIMEOUT);
    n.finish();
    return new TelemetryConfig(resources, sm, tracing, loki, failureInterval, shutdown);
  }

  /**
   * An absolute http(s) URL, or null (with a problem recorded when {@code required} or malformed).
   */
  static URI httpUrl(ConfigNode n, String key, boolean required) {
    String text = required ? n.requiredString(key) : n.optionalString(key).orElse("");
    if (text.isEmpty()) {
      return null;
    }
    try {
      URI u = new URI(text);
      if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme()) || u.getHost() == null) {
        n.problem(
            key, "must be an http:// or https:// URL with a host, got " + ConfigNode.quote(text));
        return null;
      }
      return u;
    } catch (URISyntaxException e) {
      n.problem(key, "not a valid URL, got " + ConfigNode.quote(text) + " (" + e.getReason() + ")");
      return null;
    }
  }
}
