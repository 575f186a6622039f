package io.vecwatch.config;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * {@code telemetry.tracing:} one span per probe search, sent over OTLP/HTTP (protobuf) through the
 * SDK's batch span processor. Off unless {@code endpoint} is set.
 *
 * @param endpoint the collector's base URL, e.g. {@code http://otel-collector:4318}; {@code
 *     /v1/traces} and {@code /v1/metrics} are appended
 * @param headers extra request headers (tenant ids); secrets go in {@code authorization}
 * @param authorization value of the {@code Authorization} header, e.g. {@code Bearer ...}
 * @param sampleRatio fraction of probe traces kept (parent-based, trace-id ratio)
 * @param queueSize spans the batch processor buffers; beyond it spans are dropped and counted
 * @param metricsInterval OTLP metrics push interval; empty = no metrics push
 */
public record TracingConfig(
    Optional<URI> endpoint,
    Map<String, String> headers,
    Optional<Secret> authorization,
    String serviceName,
    double sampleRatio,
    int queueSize,
    int batchSize,
    Duration scheduleDelay,
    Duration exportTimeout,
    Optional<Duration> metricsInterval) {

  public TracingConfig {
    headers = Map.copyOf(headers);
  }

  public static TracingConfig disabled() {
    return new TracingConfig(
        Optional.empty(),
        Map.of(),
        Optional.empty(),
        "vecwatch",
        1.0,
        2048,
        512,
        Duration.ofSeconds(1),
        Duration.ofSeconds(10),
        Optional.empty());
  }

  public boolean enabled() {
    return endpoint.isPresent();
  }

  static TracingConfig parse(ConfigNode n) {
    Optional<URI> endpoint = Optional.ofNullable(TelemetryConfig.httpUrl(n, "endpoint", false));
    Map<String, String> headers = n.stringMap("headers");
    for (String h : headers.keySet()) {
      if (h.equalsIgnoreCase("authorization")) {
        n.problem(
            "headers." + h, "put credentials in tracing.authorization (a secret), not in headers");
      }
    }
    Optional<Secret> auth = n.secret("authorization");
    String service = n.string("service_name", "vecwatch");
    double ratio = n.number("sample_ratio", 1.0, 0.0, 1.0);
    int queue = n.integer("queue_size", 2048, 1, 1_000_000);
    int batch = n.integer("batch_size", 512, 1, 100_000);
    if (batch > queue) {
      n.problem("batch_size", "must not exceed queue_size (" + queue + "), got " + batch);
    }
    Duration delay = n.duration("schedule_delay", Duration.ofSeconds(1), Duration.ofMillis(1));
    Duration timeout = n.duration("export_timeout", Duration.ofSeconds(10), Duration.ofMillis(1));
    ConfigNode m = n.child("metrics");
    boolean metricsOn = m.bool("enabled", false);
    Duration metricsInterval =
        m.duration("interval", Duration.ofSeconds(60), Duration.ofMillis(100));
    m.finish();
    if (metricsOn && endpoint.isEmpty()) {
      m.problem("enabled", "needs tracing.endpoint");
    }
    n.finish();
    return new TracingConfig(
        endpoint,
        headers,
        auth,
        service,
        ratio,
        queue,
        batch,
        delay,
        timeout,
        metricsOn ? Optional.of(metricsInterval) : Optional.empty());
  }
}
