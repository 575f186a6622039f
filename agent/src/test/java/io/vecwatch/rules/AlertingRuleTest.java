package io.vecwatch.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.vecwatch.notify.PostableAlert;
import io.vecwatch.promtext.Labels;
import io.vecwatch.promtext.Sample;
import io.vecwatch.rules.promql.Evaluator;
import io.vecwatch.rules.promql.Parser;
import io.vecwatch.rules.promql.StaleNaN;
import io.vecwatch.rules.promql.Value;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Prometheus' alert state machine (rules/alerting.go), stepped by hand: time passes only through
 * eval(t).
 */
class AlertingRuleTest {
  private static final long S = 1000;
  private static final Labels LAT = Labels.of("__name__", "lat", "target", "milvus");
  private static final Duration INTERVAL = Duration.ofSeconds(15);

  private static RuleFixture fixture(String forDuration, String extra) {
    return new RuleFixture(
        RuleFixture.alertRule("High", "lat > 0.1", forDuration, extra),
        INTERVAL,
        Duration.ofMinutes(1));
  }

  @Test
  void firesAfterHoldDurationElapses() {
    RuleFixture f = fixture("1m", "labels: {severity: critical}");
    for (long t = 0; t <= 60 * S; t += 15 * S) {
      f.set(LAT, t, 0.5);
      f.eval(t);
      AlertSnapshot a = f.only();
      assertThat(a.activeAt()).isZero();
      if (t < 60 * S) {
        assertThat(a.state()).as("at %d s", t / S).isEqualTo(AlertState.PENDING);
        assertThat(f.sent).as("pending alerts are never sent").isEmpty();
      } else {
        assertThat(a.state()).isEqualTo(AlertState.FIRING);
        assertThat(a.firedAt()).isEqualTo(60 * S);
      }
    }
    PostableAlert sent = f.lastSent().get(0);
    assertThat(sent.labels())
        .isEqualTo(Labels.of("alertname", "High", "severity", "critical", "target", "milvus"));
    assertThat(sent.startsAt()).as("startsAt is FiredAt").isEqualTo(Instant.ofEpochMilli(60 * S));
    assertThat(sent.endsAt())
        .as("ValidUntil = t + 4 x max(interval, resend delay)")
        .isEqualTo(Instant.ofEpochMilli(60 * S + 4 * Math.max(INTERVAL.toMillis(), 60 * S)));
    assertThat(sent.generatorURL())
        .isEqualTo("http://agent:9477/graph?g0.expr=lat+%3E+0.1&g0.tab=1");
  }

  @Test
  void forZeroFiresAtTheFirstEvaluation() {
    RuleFixture f = fixture("0s", "");
    f.set(LAT, 0, 0.5);
    f.eval(0);
    assertThat(f.only().state()).isEqualTo(AlertState.FIRING);
    assertThat(f.sent).hasSize(1);
  }

  @Test
  void pendingResetsWhenSeriesDisappears() {
    RuleFixture f = fixture("1m", "");
    f.set(LAT, 0, 0.5);
    f.eval(0);
    f.set(LAT, 15 * S, 0.05); // condition false once
    f.eval(15 * S);
    assertThat(f.alerts()).as("a pending alert is deleted at once").isEmpty();
    for (long t = 30 * S; t <= 90 * S; t += 15 * S) {
      f.set(LAT, t, 0.5);
      f.eval(t);
    }
    assertThat(f.only().activeAt()).isEqualTo(30 * S);
    assertThat(f.only().state()).isEqualTo(AlertState.FIRING);
    assertThat(f.only().firedAt()).isEqualTo(90 * S);
  }

  @Test
  void staleSeriesAlsoResetsPending() {
    RuleFixture f = fixture("1m", "");
    f.set(LAT, 0, 0.5);
    f.eval(0);
    f.set(LAT, 15 * S, StaleNaN.VALUE);
    f.eval(15 * S);
    assertThat(f.alerts()).isEmpty();
  }

  @Test
  void firingAlertResolvesIsResentAndIsForgottenAfter15Minutes() {
    RuleFixture f = fixture("0s", "");
    f.set(LAT, 0, 0.5);
    f.eval(0);
    f.set(LAT, 15 * S, 0.01);
    f.eval(15 * S);
    AlertSnapshot a = f.only();
    assertThat(a.state()).isEqualTo(AlertState.INACTIVE);
    assertThat(a.resolvedAt()).isEqualTo(15 * S);
    PostableAlert resolved = f.lastSent().get(0);
    assertThat(resolved.endsAt()).as("endsAt = ResolvedAt").isEqualTo(Instant.ofEpochMilli(15 * S));
    assertThat(resolved.startsAt()).isEqualTo(Instant.ofEpochMilli(0));
    int sends = f.sent.size();
    long lastSent = 15 * S;
    int expected = 0;
    for (long t = 30 * S; t <= 15 * 60 * S + 30 * S; t += 15 * S) {
      f.set(LAT, t, 0.01);
      f.eval(t);
      // The rule, restated: kept while resolved for at most 15 min, re-sent once LastSentAt + 1m <
      // t.
      if (t - 15 * S <= 15 * 60 * S && lastSent + 60 * S < t) {
        expected++;
        lastSent = t;
      }
    }
    assertThat(expected).isPositive();
    assertThat(f.sent.size() - sends).isEqualTo(expected);
    assertThat(f.alerts()).as("dropped once more than 15 minutes resolved").isEmpty();
  }

  @Test
  void firingAlertIsResentAfterResendDelayOnly() {
    RuleFixture f = fixture("0s", "");
    List<Long> sentAt = new ArrayList<>();
    for (long t = 0; t <= 5 * 60 * S; t += 15 * S) {
      f.set(LAT, t, 0.5);
      int before = f.sent.size();
      f.eval(t);
      if (f.sent.size() > before) {
        sentAt.add(t);
      }
    }
    // needsSending: LastSentAt + 1m < t, so a send every 75 s at a 15 s interval.
    assertThat(sentAt).containsExactly(0L, 75 * S, 150 * S, 225 * S, 300 * S);
  }

  @Test
  void keepFiringForHoldsTheAlertThenResolves() {
    RuleFixture f = fixture("0s", "keep_firing_for: 30s");
    f.set(LAT, 0, 0.5);
    f.eval(0);
    f.set(LAT, 15 * S, 0.01);
    f.eval(15 * S);
    assertThat(f.only().state()).isEqualTo(AlertState.FIRING);
    assertThat(f.only().keepFiringSince()).isEqualTo(15 * S);
    f.set(LAT, 30 * S, 0.01);
    f.eval(30 * S);
    assertThat(f.only().state()).isEqualTo(AlertState.FIRING);
    f.set(LAT, 45 * S, 0.01);
    f.eval(45 * S);
    assertThat(f.only().state())
        .as("30 s after the condition stopped")
        .isEqualTo(AlertState.INACTIVE);
    assertThat(f.only().resolvedAt()).isEqualTo(45 * S);
  }

  @Test
  void keepFiringTimerClearsWhenTheConditionReturns() {
    RuleFixture f = fixture("0s", "keep_firing_for: 30s");
    f.set(LAT, 0, 0.5);
    f.eval(0);
    f.set(LAT, 15 * S, 0.01);
    f.eval(15 * S);
    f.set(LAT, 30 * S, 0.5);
    f.eval(30 * S);
    assertThat(f.only().keepFiringSince()).isEqualTo(AlertSnapshot.NONE);
    assertThat(f.only().firedAt()).isZero();
  }

  @Test
  void templatesSeeLabelsValueAndExternalLabels() {
    RuleFixture f =
        fixture(
            "0s",
            """
        labels:
          team: "db-{{ $labels.target }}"
        annotations:
          summary: "{{ $labels.target }} at {{ $value | humanizeDuration }} in {{ $externalLabels.cluster }}"
        """);
    f.set(LAT, 0, 0.25);
    f.eval(0);
    AlertSnapshot a = f.only();
    assertThat(a.labels().get("team")).isEqualTo("db-milvus");
    assertThat(a.annotations()).containsEntry("summary", "milvus at 250ms in c1");
  }

  @Test
  void writesAlertsAndForStateSeries() {
    RuleFixture f = fixture("30s", "labels: {severity: warning}");
    f.set(LAT, 0, 0.5);
    f.eval(0);
    f.set(LAT, 15 * S, 0.5);
    f.eval(15 * S);
    Labels alerts =
        Labels.of(
            "__name__",
            "ALERTS",
            "alertname",
            "High",
            "alertstate",
            "pending",
            "severity",
            "warning",
            "target",
            "milvus");
    Labels forState =
        Labels.of(
            "__name__",
            "ALERTS_FOR_STATE",
            "alertname",
            "High",
            "severity",
            "warning",
            "target",
            "milvus");
    Evaluator ev = new Evaluator(f.store, 300_000);
    List<Sample> v =
        ((Value.Vector) ev.eval(Parser.parse("{__name__=~\"ALERTS.*\"}"), 15 * S)).samples();
    assertThat(v).containsExactlyInAnyOrder(new Sample(alerts, 1), new Sample(forState, 0));
  }

  @Test
  void failingRuleIsMarkedUnhealthyAndTheGroupCarriesOn() {
    String yaml =
        """
        groups:
          - name: g
            rules:
              - alert: Broken
                expr: a + on(t) b
              - alert: Works
                expr: lat > 0.1
        """;
    RuleFixture f = new RuleFixture(yaml, INTERVAL, Duration.ofMinutes(1));
    f.set(Labels.of("__name__", "a", "t", "x"), 0, 1);
    f.set(Labels.of("__name__", "b", "t", "x", "i", "1"), 0, 1);
    f.set(Labels.of("__name__", "b", "t", "x", "i", "2"), 0, 1);
    f.set(LAT, 0, 0.5);
    f.eval(0);
    Rule broken = f.group.rules().get(0);
    assertThat(broken.health()).isEqualTo(RuleHealth.ERR);
    assertThat(broken.lastError()).contains("many-to-many matching not allowed");
    Rule works = f.group.rules().get(1);
    assertThat(works.health()).isEqualTo(RuleHealth.OK);
    assertThat(((AlertingRule) works).alerts()).hasSize(1);
    assertThat(f.group.failures()).isEqualTo(1);
  }

  @Test
  void duplicateAlertLabelSetsAreAnError() {
    RuleFixture f =
        new RuleFixture(
            RuleFixture.alertRule("Dup", "lat > 0 or other > 0", "0s", "labels: {target: same}"),
            INTERVAL,
            Duration.ofMinutes(1));
    f.set(LAT, 0, 1);
    f.set(Labels.of("__name__", "other", "target", "milvus2"), 0, 1);
    f.eval(0);
    assertThat(f.alerting().lastError())
        .isEqualTo("vector contains metrics with the same labelset after applying alert labels");
  }

  @Test
  void limitBoundsTheNumberOfAlerts() {
    String yaml =
        """
        groups:
          - name: g
            limit: 1
            rules:
              - alert: Many
                expr: lat > 0
        """;
    RuleFixture f = new RuleFixture(yaml, INTERVAL, Duration.ofMinutes(1));
    f.set(LAT, 0, 1);
    f.set(Labels.of("__name__", "lat", "target", "other"), 0, 1);
    f.eval(0);
    assertThat(f.alerting().lastError()).isEqualTo("exceeded limit of 1 with 2 alerts");
    assertThat(f.alerts()).isEmpty();
  }
}
