package io.vecwatch.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code telemetry.loki:} the agent's log lines pushed to Loki (or anything speaking its push API)
 * by loki4j, asynchronously and bounded. Off unless {@code url} is set.
 *
 * @param url the push URL, e.g. {@code http://loki:3100/loki/api/v1/push}
 * @param labels static labels added to every stream (keep them few and constant)
 * @param level the lowest level sent ({@code info} by default)
 * @param queueBytes encoded bytes waiting to be sent; beyond it lines are dropped and counted
 */
public record LokiConfig(
    Optional<URI> url,
    Map<String, String> labels,
    Optional<String> username,
    Optional<Secret> password,
    Optional<String> tenantId,
    String level,
    long queueBytes,
    int batchItems,
    Duration batchTimeout,
    Duration requestTimeout) {

  public LokiConfig {
    labels = Map.copyOf(labels);
  }

  public static LokiConfig disabled() {
    return new LokiConfig(
        Optional.empty(),
        Map.of(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        "info",
        4L << 20,
        1000,
        Duration.ofSeconds(2),
        Duration.ofSeconds(5));
  }

  public boolean enabled() {
    return url.isPresent();
  }

  static LokiConfig parse(ConfigNode n) {
    Optional<URI> url = Optional.ofNullable(TelemetryConfig.httpUrl(n, "url", false));
    Map<String, String> labels = n.stringMap("labels");
    for (String key : labels.keySet()) {
      if (!key.matches("[a-zA-Z_][a-zA-Z0-9_]*")) {
        n.problem("labels." + key, "not a valid label name");
      } else if (Set.of("app", "level", "target", "event").contains(key)) {
        n.problem("labels." + key, "is set by vecwatch");
      }
    }
    Optional<String> username = n.optionalString("username");
    Optional<Secret> password = n.secret("password");
    if (username.isPresent() != password.isPresent()) {
      n.problem(
          username.isPresent() ? "password" : "username", "username and password go together");
    }
    Optional<String> tenant = n.optionalString("tenant_id");
    String level = n.oneOf("level", "info", List.of("error", "warn", "info", "debug"));
    long queue = n.longValue("queue_bytes", 4L << 20, 64 << 10, 1L << 30);
    int items = n.integer("batch_items", 1000, 1, 100_000);
    Duration batchTimeout =
        n.duration("batch_timeout", Duration.ofSeconds(2), Duration.ofMillis(10));
    Duration requestTimeout =
        n.duration("request_timeout", Duration.ofSeconds(5), Duration.ofMillis(10));
    n.finish();
    return new LokiConfig(
        url, labels, username, password, tenant, level, queue, items, batchTimeout, requestTimeout);
  }
}
