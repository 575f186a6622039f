package io.vecwatch.notify;

import io.micrometer.core.instrument.MeterRegistry;
import io.vecwatch.config.AlertingConfig;
import io.vecwatch.config.AlertingConfig.AlertmanagerConfig;
import io.vecwatch.time.Clock;
import java.io.IOException;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Sends alerts to every configured Alertmanager (each URL has its own {@link SendLoop}), after
 * adding the external labels an alert does not set itself (Prometheus' notifier relabelling).
 * {@link #send} only queues.
 *
 * <pre>{@code
 * try (AlertmanagerNotifier n = AlertmanagerNotifier.start(config.alerting(), externalLabels, registry, clock)) {
 *   engine = RuleEngine.create(..., n, ...);
 * }
 * }</pre>
 */
public final class AlertmanagerNotifier implements AlertSender, AutoCloseable {
  private final List<SendLoop> loops;
  private final Map<String, String> externalLabels;

  private AlertmanagerNotifier(List<SendLoop> loops, Map<String, String> externalLabels) {
    this.loops = List.copyOf(loops);
    this.externalLabels = Map.copyOf(externalLabels);
  }

  /**
   * What {@link #start} would fail on, without starting anything: each Alertmanager whose TLS
   * material cannot be read, one line each ({@code alerting.alertmanagers[0].tls_config: ...}).
   */
  public static List<String> check(AlertingConfig config) {
    List<String> problems = new ArrayList<>();
    int i = 0;
    for (AlertmanagerConfig am : config.alertmanagers()) {
      if (am.tls().isSet()) {
        try {
          PemTls.context(am.tls());
        } catch (IOException | GeneralSecurityException e) {
          problems.add(
              "alerting.alertmanagers[" + i + "].tls_config: cannot set up TLS: " + e.getMessage());
        }
      }
      i++;
    }
    return problems;
  }

  /** Builds a client per URL (TLS material is read now) and starts their send threads. */
  public static AlertmanagerNotifier start(
      AlertingConfig config,
      Map<String, String> externalLabels,
      MeterRegistry registry,
      Clock clock)
      throws IOException, GeneralSecurityException {
    List<SendLoop> loops = new ArrayList<>();
    for (AlertmanagerConfig am : config.alertmanagers()) {
      for (URI url : am.urls()) {
        AlertmanagerClient client = AlertmanagerClient.create(url, am);
        loops.add(
            new SendLoop(
                url.toString(),
                client,
                am.queueCapacity(),
                am.maxRetries(),
                am.minBackoff(),
                am.maxBackoff(),
                clock,
                registry));
      }
    }
    loops.forEach(SendLoop::start);
    return new AlertmanagerNotifier(loops, externalLabels);
  }

  @Override
  public void send(List<PostableAlert> alerts) {
    if (alerts.isEmpty() || loops.isEmpty()) {
      return;
    }
    List<PostableAlert> labelled = new ArrayList<>(alerts.size());
    for (PostableAlert a : alerts) {
      labelled.add(a.withDefaultLabels(externalLabels));
    }
    for (SendLoop l : loops) {
      l.add(labelled);
    }
  }

  /**
   * One Alertmanager's delivery health.
   *
   * @param sent alerts delivered since start
   * @param errors alerts in failed attempts since start
   * @param dropped alerts dropped (queue full or retries exhausted)
   * @param lastSentMillis when a batch was last delivered (epoch millis), 0 for never
   * @param lastError the last failure, empty when none happened
   * @param lastErrorMillis when it happened (epoch millis), 0 for never
   */
  public record Delivery(
      String url,
      int queued,
      int capacity,
      long sent,
      long errors,
      long dropped,
      long lastSentMillis,
      Optional<String> lastError,
      long lastErrorMillis) {}

  /** Each Alertmanager's queue and last error, in config order. */
  public List<Delivery> deliveries() {
    return loops.stream().map(SendLoop::delivery).toList();
  }

  /** How many Alertmanager URLs alerts go to. */
  public int alertmanagerCount() {
    return loops.size();
  }

  @Override
  public void close() {
    loops.forEach(SendLoop::close);
  }
}
