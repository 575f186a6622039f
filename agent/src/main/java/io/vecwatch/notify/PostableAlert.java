package io.vecwatch.notify;

import io.vecwatch.promtext.Labels;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One alert as Alertmanager's {@code POST /api/v2/alerts} takes it. {@code startsAt} is the alert's
 * FiredAt and {@code endsAt} its ResolvedAt, or ValidUntil while it fires (Prometheus' {@code
 * SendAlerts}).
 */
public record PostableAlert(
    Labels labels,
    Map<String, String> annotations,
    Instant startsAt,
    Instant endsAt,
    String generatorURL) {
  public PostableAlert {
    Objects.requireNonNull(labels);
    annotations = Collections.unmodifiableMap(new TreeMap<>(annotations));
  }

  /** The same alert with {@code extra} labels added where the alert does not already set them. */
  public PostableAlert withDefaultLabels(Map<String, String> extra) {
    if (extra.isEmpty()) {
      return this;
    }
    Labels.Builder b = labels.toBuilder();
    extra.forEach(
        (k, v) -> {
          if (labels.get(k).isEmpty()) {
            b.set(k, v);
          }
        });
    return new PostableAlert(b.build(), annotations, startsAt, endsAt, generatorURL);
  }
}
