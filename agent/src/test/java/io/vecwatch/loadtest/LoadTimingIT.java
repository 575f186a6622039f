package io.vecwatch.loadtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import io.vecwatch.concurrent.ExecutorScheduler;
import io.vecwatch.config.ProbeConfig;
import io.vecwatch.dataset.Dataset;
import io.vecwatch.probe.ProbeRunner;
import io.vecwatch.probe.Recall;
import io.vecwatch.probe.TargetStatus;
import io.vecwatch.probe.WorkerPool;
import io.vecwatch.stats.Outcome;
import io.vecwatch.stats.ProbeStats;
import io.vecwatch.target.FaultInjection;
import io.vecwatch.target.FlatTarget;
import io.vecwatch.target.SearchResult;
import io.vecwatch.target.Target;
import io.vecwatch.testing.TestDatasets;
import io.vecwatch.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import org.junit.jupiter.api.Test;

/**
 * The load generator's numbers against theory on in-process targets with an injected fixed delay.
 * These depend on the machine waking threads on time, so they run with the integration tests, not
 * with the unit tests: on this 2-core machine at load average 40 a unit-test run measured a third
 * of the theoretical rate.
 */
class LoadTimingIT {
  private static final Dataset DATA = TestDatasets.random("gen", 3000, 16, 50, 100, 7, null);

  private static LoadSettings quick() {
    return LoadSettings.defaults()
        .withLevels(List.of(1, 2))
        .withTiming(Duration.ofMillis(100), Duration.ofMillis(400))
        .withOpenLoop(32, 200, 2.0, 0.5)
        .withGuards(800, Duration.ofMinutes(1), 1_000_000)
        .withParameterSweep("", List.of(10, 40), 2);
  }

  private static LoadTest test(Target t, LoadSettings s, Objective o, Progress p) {
    return new LoadTest(t, DATA, List.of(10, 100), Duration.ofSeconds(1), o, s, Clock.system(), p);
  }

  @Test
  void closedLoopRateOnAnInjectedDelayIsWorkersOverDelay() throws Exception {
    FaultInjection faults = FaultInjection.of(Map.of("flat", Duration.ofMillis(20)));
    Target slow = faults.wrap(new FlatTarget("flat", DATA));
    LoadReport r =
        test(
                slow,
                quick()
                    .withLevels(List.of(4))
                    .withTiming(Duration.ofMillis(200), Duration.ofSeconds(2))
                    .withPhases(List.of("closed")),
                Objective.DEFAULT,
                Progress.NONE)
            .run();

    // 4 workers, each search held 20 ms: 200 searches per second at most
    assertThat(r.steps(Mode.CLOSED).get(0).achievedRps()).isCloseTo(200, within(20.0));
    assertThat(r.steps(Mode.CLOSED).get(0).p50Seconds()).isCloseTo(0.020, within(0.003));
  }

  @Test
  void capacityOfATargetWithFourSlotsAndAFixedDelayIsSlotsOverDelay() throws Exception {
    FaultInjection faults = FaultInjection.of(Map.of("flat", Duration.ofMillis(50)));
    Target server = new Slots(faults.wrap(new FlatTarget("flat", DATA)), 4);
    LoadSettings s =
        quick()
            .withTiming(Duration.ofMillis(300), Duration.ofSeconds(2))
            .withOpenLoop(64, 40, 1.5, 0.04)
            .withGuards(1000, Duration.ofMinutes(1), 1_000_000)
            .withPhases(List.of("open"));
    LoadReport r = test(server, s, Objective.DEFAULT, Progress.NONE).run();

    // 4 searches at a time, 50 ms each: 80 per second; beyond it the queue (and P99) grows without
    // bound
    assertThat(r.capacityRps()).isNotNull().isCloseTo(80.0, within(8.0));
    assertThat(r.capacityPrecision()).isLessThanOrEqualTo(0.04);
    assertThat(r.steps(Mode.OPEN)).anyMatch(st -> !st.holds());
    // the generator had 64 workers: the target's 4 slots, not the client, limited the held steps
    assertThat(r.steps(Mode.OPEN).stream().filter(StepResult::holds))
        .allSatisfy(st -> assertThat(st.clientLimits()).doesNotContain(ClientLimit.WORKERS_BUSY));
  }

  @Test
  void atConcurrencyOneTheP50AgreesWithTheAgentsCanaryP50() throws Exception {
    FaultInjection faults = FaultInjection.of(Map.of("flat", Duration.ofMillis(10)));
    Target slow = faults.wrap(new FlatTarget("flat", DATA));
    // warm both paths first (JIT, class loading), then measure each
    test(
            slow,
            quick()
                .withLevels(List.of(1))
                .withTiming(Duration.ZERO, Duration.ofMillis(500))
                .withPhases(List.of("closed")),
            Objective.DEFAULT,
            Progress.NONE)
        .run();
    double canaryP50 = canaryP50(slow);
    LoadReport r =
        test(
                slow,
                quick()
                    .withLevels(List.of(1))
                    .withTiming(Duration.ofMillis(100), Duration.ofSeconds(2))
                    .withPhases(List.of("closed")),
                Objective.DEFAULT,
                Progress.NONE)
            .run();
    System.out.printf(
        "P50 at concurrency 1: bench load %.3f ms, agent canary %.3f ms%n",
        r.steps(Mode.CLOSED).get(0).p50Seconds() * 1e3, canaryP50 * 1e3);

    // both time the same 10 ms stall plus an exact scan; the canary adds a scheduler and a pool
    // hand-off (about
    // 1 ms on a busy 2-core machine)
    assertThat(r.steps(Mode.CLOSED).get(0).p50Seconds()).isCloseTo(canaryP50, within(0.0025));
  }

  /** The agent's canary: the probe runner at 50/s for 100 searches, its window's P50 in seconds. */
  private static double canaryP50(Target slow) throws Exception {
    ProbeConfig pc =
        new ProbeConfig(
            "flat",
            "gen",
            50,
            2,
            Duration.ofSeconds(1),
            List.of(10),
            Duration.ofMinutes(1),
            Duration.ofSeconds(5));
    ProbeStats stats =
        ProbeStats.create(
            "flat", "gen", pc.recallK(), pc.window(), Clock.system().monotonicNanos(), n -> {});
    try (WorkerPool pool = WorkerPool.create("canary", 2);
        ExecutorScheduler scheduler = ExecutorScheduler.create("canary-scheduler")) {
      ProbeRunner runner =
          ProbeRunner.create(
              pc,
              slow,
              DATA,
              Recall.of(DATA, pc.recallK()),
              stats,
              new TargetStatus(),
              pool,
              scheduler,
              Clock.system());
      stats.started(Clock.system().monotonicNanos());
      runner.start();
      await().atMost(Duration.ofSeconds(30)).until(() -> stats.total(Outcome.OK) >= 100);
      runner.stop();
      pool.shutdown(Duration.ofSeconds(5));
    }
    return stats.snapshot(Clock.system().monotonicNanos()).window().latency().p50();
  }

  /**
   * A server with a fixed number of search slots: further searches queue for one, first come first
   * served.
   */
  private static final class Slots implements Target {
    private final Target delegate;
    private final Semaphore slots;

    Slots(Target delegate, int n) {
      this.delegate = delegate;
      this.slots = new Semaphore(n, true);
    }

    @Override
    public String name() {
      return delegate.name();
    }

    @Override
    public String kind() {
      return delegate.kind();
    }

    @Override
    public SearchResult search(float[] query, int k) throws Exception {
      slots.acquire();
      try {
        return delegate.search(query, k);
      } finally {
        slots.release();
      }
    }
  }
}
