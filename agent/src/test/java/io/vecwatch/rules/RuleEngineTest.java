package io.vecwatch.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vecwatch.config.RulesConfig;
import io.vecwatch.notify.PostableAlert;
import io.vecwatch.promtext.Labels;
import io.vecwatch.promtext.Sample;
import io.vecwatch.promtext.TextFormatParser;
import io.vecwatch.rules.history.ScrapeSampleSource;
import io.vecwatch.time.ManualClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent-facing engine: its own scrape as input, reload, state file, /metrics exposition. */
class RuleEngineTest {
  private static final String RULES =
      """
      groups:
        - name: latency
          rules:
            - alert: P99High
              expr: vecwatch_probe_window_latency_seconds{quantile="0.99"} > 0.1
              for: 30s
              labels: {severity: critical}
              annotations:
                summary: "P99 of {{ $labels.target }} is {{ $value | humanizeDuration }}"
      """;

  @TempDir Path dir;
  private final ManualClock clock = new ManualClock(1_700_000_000_000L);
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final AtomicReference<Double> p99 = new AtomicReference<>(0.05);
  private final List<PostableAlert> sent = new ArrayList<>();

  @BeforeEach
  void setUp() {
    Gauge.builder("vecwatch.probe.window.latency.seconds", p99, AtomicReference::get)
        .tags("target", "milvus", "dataset", "sift", "quantile", "0.99")
        .register(registry);
  }

  private RulesConfig config(Optional<Path> stateFile) {
    return new RulesConfig(
        List.of("*.rules.yml"),
        Duration.ofSeconds(5),
        Duration.ofMinutes(1),
        Map.of("cluster", "c1"),
        "",
        stateFile,
        1000);
  }

  private RuleEngine engine(Optional<Path> stateFile) throws Exception {
    return RuleEngine.builder()
        .config(config(stateFile))
        .baseDir(dir)
        .source(ScrapeSampleSource.of(registry::scrape))
        .sender(sent::addAll)
        .clock(clock)
        .registry(registry)
        .externalUrl("http://agent:9477")
        .build();
  }

  private Instant tick(RuleEngine e) {
    Instant now = Instant.ofEpochMilli(clock.wallMillis());
    e.eval(now);
    clock.advance(Duration.ofSeconds(5));
    return now;
  }

  private AlertSnapshot alert(RuleEngine e) {
    List<AlertSnapshot> all = ((AlertingRule) e.groups().get(0).rules().get(0)).alerts();
    assertThat(all).hasSize(1);
    return all.get(0);
  }

  @Test
  void readsItsOwnScrapeAndFiresAfterFor() throws Exception {
    Files.writeString(dir.resolve("a.rules.yml"), RULES);
    RuleEngine e = engine(Optional.empty());
    p99.set(0.25);
    Instant start = tick(e);
    for (int i = 0; i < 5; i++) {
      tick(e);
    }
    assertThat(alert(e).state()).isEqualTo(AlertState.PENDING);
    Instant firedAt = tick(e); // 30 s after the first evaluation
    assertThat(alert(e).state()).isEqualTo(AlertState.FIRING);
    assertThat(alert(e).activeAt()).isEqualTo(start.toEpochMilli());
    assertThat(sent).hasSize(1);
    assertThat(sent.get(0).startsAt()).isEqualTo(firedAt);
    assertThat(sent.get(0).annotations()).containsEntry("summary", "P99 of milvus is 250ms");
    assertThat(sent.get(0).labels().get("quantile")).isEqualTo("0.99");
  }

  @Test
  void exposesAlertsAndForStateOnMetrics() throws Exception {
    Files.writeString(dir.resolve("a.rules.yml"), RULES);
    RuleEngine e = engine(Optional.empty());
    registry.getPrometheusRegistry().register(new RulesCollector(e));
    p99.set(0.25);
    Instant start = tick(e);
    List<Sample> scraped = TextFormatParser.parse(registry.scrape());
    Labels alerts =
        Labels.of(
            "__name__",
            "ALERTS",
            "alertname",
            "P99High",
            "alertstate",
            "pending",
            "severity",
            "critical",
            "target",
            "milvus",
            "dataset",
            "sift",
            "quantile",
            "0.99");
    Labels forState =
        alerts.toBuilder().set("__name__", "ALERTS_FOR_STATE").delete("alertstate").build();
    assertThat(scraped)
        .contains(new Sample(alerts, 1), new Sample(forState, start.getEpochSecond()));
    assertThat(scraped)
        .contains(new Sample(Labels.of("__name__", "vecwatch_rules_last_reload_successful"), 1));
    assertThat(
            scraped.stream()
                .filter(s -> s.labels().metricName().equals("vecwatch_rule_evaluations_total")))
        .singleElement()
        .extracting(Sample::value)
        .isEqualTo(1.0);
    // The engine reads the same scrape: its own ALERTS series are not ingested twice.
    tick(e);
    assertThat(e.historySeries()).isPositive();
  }

  @Test
  void aVanishedSeriesIsStaleAtOnceSoPendingResets() throws Exception {
    Files.writeString(dir.resolve("a.rules.yml"), RULES);
    RuleEngine e = engine(Optional.empty());
    p99.set(0.25);
    tick(e);
    registry.clear(); // the target's series disappear from the scrape
    tick(e);
    assertThat(((AlertingRule) e.groups().get(0).rules().get(0)).alerts())
        .as("without staleness markers the 5 min lookback would keep it pending")
        .isEmpty();
  }

  @Test
  void reloadKeepsTheLastGoodRulesOnErrorAndCarriesStateOver() throws Exception {
    Path file = dir.resolve("a.rules.yml");
    Files.writeString(file, RULES);
    RuleEngine e = engine(Optional.empty());
    p99.set(0.25);
    for (int i = 0; i < 7; i++) {
      tick(e);
    }
    AlertSnapshot firing = alert(e);
    assertThat(firing.state()).isEqualTo(AlertState.FIRING);

    Files.writeString(file, RULES.replace("> 0.1", "> 0.1 offset 5m"));
    RuleEngine.ReloadResult bad = e.reload();
    assertThat(bad.ok()).isFalse();
    assertThat(bad.problems())
        .containsExactly(
            file + ": group \"latency\", rule \"P99High\": unsupported: offset modifier");
    assertThat(e.lastReloadSuccessful()).isFalse();
    assertThat(TextFormatParser.parse(registry.scrape()))
        .contains(new Sample(Labels.of("__name__", "vecwatch_rules_last_reload_successful"), 0));
    tick(e);
    assertThat(alert(e).state()).as("old rules still evaluate").isEqualTo(AlertState.FIRING);

    Files.writeString(
        file,
        RULES
            + """
            - alert: Other
              expr: vector(1) > 2
      """);
    assertThat(e.reload().ok()).isTrue();
    assertThat(e.groups().get(0).rules()).hasSize(2);
    assertThat(alert(e).firedAt())
        .as("same rule identity: state carried over")
        .isEqualTo(firing.firedAt());
    assertThat(e.lastReloadSuccessful()).isTrue();

    Files.writeString(file, RULES.replace("severity: critical", "severity: page"));
    assertThat(e.reload().ok()).isTrue();
    assertThat(((AlertingRule) e.groups().get(0).rules().get(0)).alerts())
        .as("changed labels: a different rule, starting afresh")
        .isEmpty();
  }

  @Test
  void invalidRulesAtStartAreAUserError() throws IOException {
    Files.writeString(
        dir.resolve("a.rules.yml"), "groups:\n  - name: g\n    rules:\n      - alert: X\n");
    assertThatThrownBy(() -> engine(Optional.empty()))
        .isInstanceOf(RuleLoadException.class)
        .satisfies(
            ex ->
                assertThat(((RuleLoadException) ex).problems())
                    .containsExactly(
                        dir.resolve("a.rules.yml")
                            + ": group \"g\", rule \"X\": field 'expr' must be set in rule"));
  }

  @Test
  void restartRestoresFiringAlertsUnchangedAndPendingProgress() throws Exception {
    Files.writeString(
        dir.resolve("a.rules.yml"),
        RULES
            + """
            - alert: Slow
              expr: vecwatch_probe_window_latency_seconds > 0.2
              for: 1m
      """);
    Path state = dir.resolve("state/alerts.json");
    RuleEngine first = engine(Optional.of(state));
    p99.set(0.25);
    for (int i = 0; i < 7; i++) {
      tick(first); // P99High fires at 30 s; Slow pending for 30 s
    }
    AlertSnapshot firing = ((AlertingRule) first.groups().get(0).rules().get(0)).alerts().get(0);
    AlertSnapshot pending = ((AlertingRule) first.groups().get(0).rules().get(1)).alerts().get(0);
    assertThat(firing.state()).isEqualTo(AlertState.FIRING);
    assertThat(pending.state()).isEqualTo(AlertState.PENDING);
    assertThat(Files.exists(state)).isTrue();
    int sentBefore = sent.size();

    clock.advance(Duration.ofSeconds(20)); // down for 20 s (plus the 5 s already advanced)
    RuleEngine second = engine(Optional.of(state));
    AlertSnapshot restored = ((AlertingRule) second.groups().get(0).rules().get(0)).alerts().get(0);
    assertThat(restored.firedAt()).isEqualTo(firing.firedAt());
    assertThat(restored.lastSentAt()).isEqualTo(firing.lastSentAt());
    tick(second);
    assertThat(sent).as("not announced as new within the resend delay").hasSize(sentBefore);
    AlertSnapshot stillPending =
        ((AlertingRule) second.groups().get(0).rules().get(1)).alerts().get(0);
    long spentBefore = first.groups().get(0).lastEvaluation() - pending.activeAt();
    long now = clock.wallMillis() - 5000;
    assertThat(now - stillPending.activeAt())
        .as("progress kept, downtime not counted")
        .isEqualTo(spentBefore);
  }

  @Test
  void groupsWithALongerIntervalAreEvaluatedWhenDue() throws Exception {
    Files.writeString(
        dir.resolve("a.rules.yml"),
        RULES.replace("- name: latency", "- name: latency\n    interval: 15s"));
    RuleEngine e = engine(Optional.empty());
    List<Long> evaluatedAt = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      Instant t = tick(e);
      if (e.groups().get(0).lastEvaluation() == t.toEpochMilli()) {
        evaluatedAt.add(t.toEpochMilli() - 1_700_000_000_000L);
      }
    }
    assertThat(evaluatedAt).containsExactly(0L, 15_000L, 30_000L);
  }

  @Test
  void historyIsCappedAndDropsAreCounted() throws Exception {
    Files.writeString(dir.resolve("a.rules.yml"), RULES);
    RulesConfig small =
        new RulesConfig(
            List.of("*.rules.yml"),
            Duration.ofSeconds(5),
            Duration.ofMinutes(1),
            Map.of(),
            "",
            Optional.empty(),
            3);
    List<Sample> samples = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      samples.add(new Sample(Labels.of("__name__", "s", "i", Integer.toString(i)), i));
    }
    RuleEngine e =
        RuleEngine.builder()
            .config(small)
            .baseDir(dir)
            .source(() -> samples)
            .clock(clock)
            .registry(registry)
            .build();
    tick(e);
    assertThat(e.historySeries()).isEqualTo(3);
    assertThat(TextFormatParser.parse(registry.scrape()))
        .contains(
            new Sample(Labels.of("__name__", "vecwatch_rule_history_dropped_samples_total"), 2));
  }

  @Test
  void historyKeepsOnlyWhatTheRulesNeed() throws Exception {
    Files.writeString(
        dir.resolve("a.rules.yml"),
        """
        groups:
          - name: g
            rules:
              - record: r
                expr: avg_over_time(long[10m])
        """);
    List<Sample> feed =
        new ArrayList<>(
            List.of(
                new Sample(Labels.of("__name__", "long"), 1),
                new Sample(Labels.of("__name__", "short"), 1)));
    RuleEngine e =
        RuleEngine.builder()
            .config(config(Optional.empty()))
            .baseDir(dir)
            .source(() -> List.copyOf(feed))
            .clock(clock)
            .registry(registry)
            .build();
    tick(e);
    feed.clear();
    // Both vanish (stale). "short" is kept for the lookback (5m) plus 2 intervals, "long" 10m
    // longer.
    for (int i = 0; i < (5 * 60 + 20) / 5; i++) {
      tick(e);
    }
    assertThat(e.historySeries()).as("long and the recorded r remain").isEqualTo(2);
    for (int i = 0; i < 10 * 60 / 5; i++) {
      tick(e);
    }
    assertThat(e.historySeries()).isZero();
  }
}
