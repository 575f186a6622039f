package io.vecwatch.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vecwatch.config.RulesConfig;
import io.vecwatch.notify.PostableAlert;
import io.vecwatch.promtext.Labels;
import io.vecwatch.rules.history.ScrapeSampleSource;
import io.vecwatch.time.ManualClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A restart with the state file: restored alerts keep their state while their series come back, so
 * Alertmanager sees neither a resolve nor a new {@code startsAt}.
 */
class RestoreAfterRestartTest {
  private static final long T0 = 1_700_000_000_000L;
  private static final String RULES =
      """
      groups:
        - name: latency
          rules:
            - alert: P99High
              expr: vecwatch_probe_window_latency_seconds > 0.1
              for: 10s
            - alert: Slow
              expr: vecwatch_probe_window_latency_seconds > 0.2
              for: 2m
      """;

  @TempDir Path dir;
  private final ManualClock clock = new ManualClock(T0);
  private final AtomicReference<Double> p99 = new AtomicReference<>(0.25);
  private final List<PostableAlert> sent = new ArrayList<>();
  private PrometheusMeterRegistry registry;

  /**
   * A fresh agent process: a new registry (the target's series appear once {@link #seriesBack} is
   * called).
   */
  private RuleEngine start(RulesConfig.Restore restore) throws Exception {
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    RulesConfig cfg =
        new RulesConfig(
                List.of("*.rules.yml"),
                Duration.ofSeconds(5),
                Duration.ofMinutes(1),
                Map.of(),
                "",
                Optional.of(dir.resolve("state.json")),
                1000)
            .withRestore(restore);
    return RuleEngine.builder()
        .config(cfg)
        .baseDir(dir)
        .source(ScrapeSampleSource.of(registry::scrape))
        .sender(sent::addAll)
        .clock(clock)
        .registry(registry)
        .build();
  }

  private void seriesBack() {
    Gauge.builder("vecwatch.probe.window.latency.seconds", p99, AtomicReference::get)
        .tags("target", "milvus")
        .register(registry);
  }

  /** Runs the scheduled ticks until {@code until} (wall millis), each 2 ms after its slot. */
  private void runUntil(RuleEngine e, long until) {
    long next = e.nextTick(clock.wallMillis());
    while (next <= until) {
      clock.advance(Duration.ofMillis(next + 2 - clock.wallMillis()));
      next = e.tick(clock.wallMillis());
    }
  }

  private static AlertSnapshot only(RuleEngine e, int rule) {
    List<AlertSnapshot> all = ((AlertingRule) e.groups().get(0).rules().get(rule)).alerts();
    assertThat(all).hasSize(1);
    return all.get(0);
  }

  private RuleEngine firingThenStopped() throws Exception {
    Files.writeString(dir.resolve("a.rules.yml"), RULES);
    RuleEngine first = start(RulesConfig.Restore.DEFAULTS);
    seriesBack();
    runUntil(first, T0 + 60_000); // P99High fires at T0+15s; Slow pending since T0+5s
    assertThat(only(first, 0).state()).isEqualTo(AlertState.FIRING);
    assertThat(only(first, 1).state()).isEqualTo(AlertState.PENDING);
    clock.advance(Duration.ofSeconds(20)); // down for about 20 s
    return first;
  }

  private List<PostableAlert> sentSince(int from) {
    return List.copyOf(sent.subList(from, sent.size()));
  }

  @Test
  void seriesBackAfterSomeEvaluationsKeepFiringWithTheSameStartsAtAndNoResolve() throws Exception {
    RuleEngine first = firingThenStopped();
    AlertSnapshot firing = only(first, 0);
    AlertSnapshot pending = only(first, 1);
    int before = sent.size();

    RuleEngine second = start(RulesConfig.Restore.DEFAULTS);
    long restart = clock.wallMillis();
    runUntil(second, restart + 20_000); // 4 evaluations without the target's series
    assertThat(only(second, 0).state()).isEqualTo(AlertState.FIRING);
    assertThat(only(second, 0).firedAt()).isEqualTo(firing.firedAt());
    assertThat(only(second, 1).state()).as("pending progress kept").isEqualTo(AlertState.PENDING);
    assertThat(only(second, 1).activeAt())
        .isEqualTo(pending.activeAt() + (restart - (T0 + 60_002)));

    seriesBack();
    runUntil(second, restart + 50_000);
    assertThat(only(second, 0).state()).isEqualTo(AlertState.FIRING);
    assertThat(only(second, 0).activeAt()).isEqualTo(firing.activeAt());
    assertThat(sentSince(before))
        .as("nothing resolved; any re-send carries the first startsAt")
        .allSatisfy(
            a -> {
              assertThat(a.startsAt()).isEqualTo(Instant.ofEpochMilli(firing.firedAt()));
              assertThat(a.endsAt()).isAfter(Instant.ofEpochMilli(clock.wallMillis()));
            });
    // Slow keeps its progress: pending 55 s before the stop, so it fires 65 s of evaluations after
    // the restart.
    runUntil(second, restart + 70_000);
    assertThat(only(second, 1).state()).isEqualTo(AlertState.FIRING);
  }

  @Test
  void seriesPresentAtOnceContinueWithoutAnyNewNotification() throws Exception {
    RuleEngine first = firingThenStopped();
    AlertSnapshot firing = only(first, 0);
    int before = sent.size();

    RuleEngine second = start(RulesConfig.Restore.DEFAULTS);
    seriesBack();
    long restart = clock.wallMillis();
    runUntil(second, restart + 30_000);
    assertThat(only(second, 0).state()).isEqualTo(AlertState.FIRING);
    assertThat(only(second, 0).firedAt()).isEqualTo(firing.firedAt());
    assertThat(sentSince(before))
        .as("the resend delay's re-send, with the first startsAt, not resolved")
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.startsAt()).isEqualTo(Instant.ofEpochMilli(firing.firedAt()));
              assertThat(a.endsAt()).isAfter(Instant.ofEpochMilli(clock.wallMillis()));
            });
  }

  @Test
  void restoredAlertsWhoseSeriesStayAwayResolveAtTheFirstEvaluationAfterTheGrace()
      throws Exception {
    firingThenStopped();
    int before = sent.size();
    RuleEngine second =
        start(new RulesConfig.Restore(Duration.ofHours(1), Duration.ZERO, Duration.ofSeconds(30)));
    long restart = clock.wallMillis();
    runUntil(second, restart + 29_000);
    assertThat(only(second, 0).state()).isEqualTo(AlertState.FIRING);
    assertThat(sentSince(before))
        .as("only the resend delay's re-send")
        .singleElement()
        .satisfies(a -> assertThat(a.endsAt()).isAfter(Instant.ofEpochMilli(clock.wallMillis())));
    before = sent.size();
    runUntil(second, restart + 35_000);
    assertThat(only(second, 0).state()).isEqualTo(AlertState.INACTIVE);
    assertThat(((AlertingRule) second.groups().get(0).rules().get(1)).alerts())
        .as("pending dropped")
        .isEmpty();
    assertThat(sentSince(before))
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.labels())
                  .isEqualTo(Labels.of("alertname", "P99High", "target", "milvus"));
              assertThat(a.endsAt()).isBefore(Instant.ofEpochMilli(clock.wallMillis() + 1));
            });
  }

  @Test
  void seriesThatReturnAndVanishAgainWithinTheGraceResolveNormally() throws Exception {
    firingThenStopped();
    RuleEngine second = start(RulesConfig.Restore.DEFAULTS);
    seriesBack();
    long restart = clock.wallMillis();
    runUntil(second, restart + 10_000);
    registry.clear();
    runUntil(second, restart + 15_000);
    assertThat(only(second, 0).state())
        .as("the grace covers series not back yet, not a real recovery")
        .isEqualTo(AlertState.INACTIVE);
  }

  @Test
  void stateOlderThanTheOutageToleranceIsNotRestored() throws Exception {
    firingThenStopped();
    RuleEngine second =
        start(
            new RulesConfig.Restore(Duration.ofSeconds(10), Duration.ZERO, Duration.ofMinutes(1)));
    assertThat(((AlertingRule) second.groups().get(0).rules().get(0)).alerts()).isEmpty();
  }

  @Test
  void forGracePeriodFollowsPrometheus() {
    AlertSnapshot a =
        new AlertSnapshot(
            Labels.of("alertname", "A"),
            Map.of(),
            AlertState.PENDING,
            1,
            1_000_000,
            AlertSnapshot.NONE,
            AlertSnapshot.NONE,
            AlertSnapshot.NONE,
            AlertSnapshot.NONE,
            AlertSnapshot.NONE);
    long saved = 1_000_000 + 60_000; // pending for 1 min when saved
    long now = saved + 30_000; // restored 30 s later
    assertThat(RuleEngine.restorePending(a, 30_000, saved, now, 60_000))
        .as("for < grace: starts afresh")
        .isNull();
    assertThat(RuleEngine.restorePending(a, 600_000, saved, now, 60_000).activeAt())
        .as("9 min left, more than the grace: downtime not counted")
        .isEqualTo(a.activeAt() + 30_000);
    assertThat(RuleEngine.restorePending(a, 90_000, saved, now, 60_000).activeAt())
        .as("30 s left, less than the grace: fires a grace period after the restart")
        .isEqualTo(now + 60_000 - 90_000);
    assertThat(RuleEngine.restorePending(a, 60_000, saved, now, 60_000).activeAt())
        .as("was due: fires at the first evaluation that still sees it")
        .isEqualTo(a.activeAt());
    assertThat(RuleEngine.restorePending(a, 90_000, saved, now, 0).activeAt())
        .as("no grace period: downtime not counted")
        .isEqualTo(a.activeAt() + 30_000);
  }
}
