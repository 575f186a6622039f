package io.vecwatch.rules;

import io.vecwatch.promtext.Labels;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * An immutable copy of one alert's state. Times are epoch milliseconds, {@link #NONE} when unset.
 *
 * @param activeAt when the condition started to hold (pending began)
 * @param firedAt when the alert turned firing; sent as {@code startsAt}
 * @param resolvedAt when the alert resolved; sent as {@code endsAt}
 */
public record AlertSnapshot(
    Labels labels,
    Map<String, String> annotations,
    AlertState state,
    double value,
    long activeAt,
    long firedAt,
    long resolvedAt,
    long lastSentAt,
    long validUntil,
    long keepFiringSince) {
  public static final long NONE = Alert.NONE;

  public AlertSnapshot {
    annotations = Collections.unmodifiableMap(new TreeMap<>(annotations));
  }

  /** Still pending or firing (not resolved). */
  public boolean isActive() {
    return resolvedAt == NONE;
  }
}
