package io.vecwatch.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vecwatch.concurrent.ManualScheduler;
import io.vecwatch.config.RulesConfig;
import io.vecwatch.notify.PostableAlert;
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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scheduled tick evaluates at each group's slots ({@code offset + n × interval}), never at
 * wake-up time.
 */
class EvaluationSlotsTest {
  private static final long T0 = 1_700_000_000_000L; // a multiple of 5 s
  private static final String RULES =
      """
      groups:
        - name: latency
          rules:
            - alert: P99High
              expr: vecwatch_probe_window_latency_seconds > 0.1
              for: 30s
      """;

  @TempDir Path dir;
  private final ManualClock clock = new ManualClock(T0);
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final AtomicReference<Double> p99 = new AtomicReference<>(0.05);
  private final List<PostableAlert> sent = new ArrayList<>();

  @BeforeEach
  void setUp() {
    Gauge.builder("vecwatch.probe.window.latency.seconds", p99, AtomicReference::get)
        .tags("target", "milvus")
        .register(registry);
  }

  private RuleEngine engine(String rules) throws Exception {
    Files.writeString(dir.resolve("a.rules.yml"), rules);
    RulesConfig cfg =
        new RulesConfig(
            List.of("*.rules.yml"),
            Duration.ofSeconds(5),
            Duration.ofMinutes(1),
            Map.of(),
            "",
            Optional.empty(),
            1000);
    return RuleEngine.builder()
        .config(cfg)
        .baseDir(dir)
        .source(ScrapeSampleSource.of(registry::scrape))
        .sender(sent::addAll)
        .clock(clock)
        .registry(registry)
        .build();
  }

  private void moveTo(long wallMillis) {
    clock.advance(Duration.ofMillis(wallMillis - clock.wallMillis()));
  }

  private AlertSnapshot alert(RuleEngine e) {
    return ((AlertingRule) e.groups().get(0).rules().get(0)).alerts().get(0);
  }

  @Test
  void forFiresAtTheSlotExactlyForAfterPendingEvenWhenWakeUpsAreLate() throws Exception {
    moveTo(T0 + 1234);
    RuleEngine e = engine(RULES);
    p99.set(0.25);
    // The timer wakes up late by a varying amount: 7 ms at the slot the alert goes pending, 1 ms
    // afterwards.
    // Evaluated at wake-up time, `now - activeAt` would be 29 994 ms at the 30 s slot: one
    // evaluation late.
    long[] lateness = {7, 1, 1, 1, 1, 1, 1};
    long next = e.nextTick(clock.wallMillis());
    assertThat(next).as("the first slot after the start").isEqualTo(T0 + 5_000);
    List<AlertState> states = new ArrayList<>();
    for (long late : lateness) {
      moveTo(next + late);
      next = e.tick(clock.wallMillis());
      states.add(alert(e).state());
    }
    assertThat(states)
        .containsExactly(
            AlertState.PENDING,
            AlertState.PENDING,
            AlertState.PENDING,
            AlertState.PENDING,
            AlertState.PENDING,
            AlertState.PENDING,
            AlertState.FIRING);
    assertThat(alert(e).activeAt()).isEqualTo(T0 + 5_000);
    assertThat(alert(e).firedAt()).isEqualTo(T0 + 35_000);
    assertThat(sent)
        .singleElement()
        .extracting(PostableAlert::startsAt)
        .isEqualTo(Instant.ofEpochMilli(T0 + 35_000));
  }

  @Test
  void aLateWakeUpEvaluatesTheLatestSlotOnce() throws Exception {
    RuleEngine e = engine(RULES);
    RuleGroup g = e.groups().get(0);
    e.tick(T0 + 5_000);
    assertThat(g.lastEvaluation()).isEqualTo(T0 + 5_000);
    e.tick(T0 + 5_900); // an early or duplicate wake-up: nothing due
    assertThat(g.evaluations()).isEqualTo(1);
    long next = e.tick(T0 + 17_400); // two slots missed: only the latest one runs
    assertThat(g.lastEvaluation()).isEqualTo(T0 + 15_000);
    assertThat(g.evaluations()).isEqualTo(2);
    assertThat(next).isEqualTo(T0 + 20_000);
  }

  @Test
  void groupsWithALongerIntervalKeepTheirOwnSlotsOnTheEngineGrid() throws Exception {
    RuleEngine e = engine(RULES.replace("- name: latency", "- name: latency\n    interval: 1m"));
    RuleGroup g = e.groups().get(0);
    long slot = g.evalTimestamp(T0 + 600_000);
    assertThat(Math.floorMod(slot - g.evalTimestamp(T0), 60_000L)).isZero();
    assertThat(Math.floorMod(slot, 5_000L)).as("on the 5 s grid").isZero();
    List<Long> evaluated = new ArrayList<>();
    long now = e.nextTick(T0);
    for (int i = 0; i < 40; i++) {
      long before = g.evaluations();
      long next = e.tick(now + 3);
      if (g.evaluations() > before) {
        evaluated.add(g.lastEvaluation());
      }
      now = next;
    }
    assertThat(evaluated).as("40 ticks of 5 s: 3 or 4 slots of 1 m").hasSizeBetween(3, 4);
    for (int i = 0; i < evaluated.size(); i++) {
      assertThat(evaluated.get(i)).isEqualTo(evaluated.get(0) + i * 60_000L);
    }
    assertThat(evaluated.get(0)).isGreaterThan(T0);
  }

  @Test
  void theSchedulerWakesAtTheFirstSlotAfterTheStartThenAtEverySlot() throws Exception {
    moveTo(T0 + 1234);
    RuleEngine e = engine(RULES);
    RuleGroup g = e.groups().get(0);
    ManualScheduler scheduler = new ManualScheduler(clock);
    try (RuleScheduler ignored = RuleScheduler.start(e, clock, scheduler)) {
      scheduler.advance(Duration.ofMillis(5_000 - 1234 - 1));
      assertThat(g.evaluations()).as("nothing before the first slot").isZero();
      scheduler.advance(Duration.ofMillis(1));
      assertThat(g.lastEvaluation()).isEqualTo(T0 + 5_000);
      scheduler.advance(Duration.ofSeconds(10));
      assertThat(g.evaluations()).isEqualTo(3);
      assertThat(g.lastEvaluation()).isEqualTo(T0 + 15_000);
    }
    assertThat(scheduler.closed).isTrue();
  }
}
