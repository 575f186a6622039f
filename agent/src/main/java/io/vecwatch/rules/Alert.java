package io.vecwatch.rules;

import io.vecwatch.promtext.Labels;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One alert instance of an alerting rule, keyed by its label set: Prometheus' {@code rules.Alert}.
 * Times are epoch milliseconds, {@link #NONE} when unset. Mutated only by its rule on the
 * evaluation thread; others read {@link AlertSnapshot}s.
 */
final class Alert {
  static final long NONE = Long.MIN_VALUE;

  AlertState state;
  final Labels labels;
  SortedMap<String, String> annotations;
  double value;
  long activeAt;
  long firedAt = NONE;
  long resolvedAt = NONE;
  long lastSentAt = NONE;
  long validUntil = NONE;
  long keepFiringSince = NONE;

  /** Restored at start: kept as it is while its series are missing, until this time (not saved). */
  long holdUntil = NONE;

  /**
   * The {@code ALERTS} series' labels for {@link #seriesState}, and {@code ALERTS_FOR_STATE}'s
   * (built once).
   */
  Labels alertsSeries;

  AlertState seriesState;
  Labels forStateSeries;

  /**
   * The result sample's labels the annotations were expanded from (not part of the alert's state).
   */
  Labels source = Labels.EMPTY;

  Alert(Labels labels, SortedMap<String, String> annotations, long activeAt, double value) {
    this.state = AlertState.PENDING;
    this.labels = labels;
    this.annotations = annotations;
    this.activeAt = activeAt;
    this.value = value;
  }

  /**
   * Prometheus' {@code needsSending}: never while pending; at once when resolved since the last
   * send.
   */
  boolean needsSending(long t, long resendDelayMillis) {
    if (state == AlertState.PENDING) {
      return false;
    }
    if (resolvedAt != NONE && (lastSentAt == NONE || resolvedAt > lastSentAt)) {
      return true;
    }
    return lastSentAt == NONE || lastSentAt + resendDelayMillis < t;
  }

  AlertSnapshot snapshot() {
    return new AlertSnapshot(
        labels,
        Map.copyOf(annotations),
        state,
        value,
        activeAt,
        firedAt,
        resolvedAt,
        lastSentAt,
        validUntil,
        keepFiringSince);
  }

  static Alert restore(AlertSnapshot s) {
    Alert a = new Alert(s.labels(), new TreeMap<>(s.annotations()), s.activeAt(), s.value());
    a.state = s.state();
    a.firedAt = s.firedAt();
    a.resolvedAt = s.resolvedAt();
    a.lastSentAt = s.lastSentAt();
    a.validUntil = s.validUntil();
    a.keepFiringSince = s.keepFiringSince();
    return a;
  }
}
