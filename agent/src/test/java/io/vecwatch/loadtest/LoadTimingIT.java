package io.vecwatch.loadtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.withinPercentage;
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
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/**
 * The load generator's numbers against theory on in-process targets with an injected fixed delay.
 * The theory is checked against the service time the target itself measured (its own clock, not the
 * generator's), so a busy machine, which wakes the delayed threads late and lengthens every search,
 * moves both sides together; the injected delay stays a hard floor. They run with the integration
 * tests, not the unit tests: they need the machine's wall-clock time (seconds).
 */
class LoadTimingIT {
  private static final Dataset DATA = TestDatasets.random("gen", 3000, 16, 50, 100, 7, null);

  private static LoadSettings quick() {
    return LoadSettings.defaults()
        .withFirstWarmup(Duration.ZERO)
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
  void closedLoopRateIsWorkersOverTheServiceTimeTheTargetMeasured() throws Exception {
    FaultInjection faults = FaultInjection.of(Map.of("flat", Duration.ofMillis(20)));
    Timed slow = new Timed(faults.wrap(new FlatTarget("flat", DATA)));
    LoadReport r =
        test(
                slow,
                quick()
                    .withLevels(List.of(4))
                    .withTiming(Duration.ofMillis(300), Duration.ofSeconds(2))
                    .withPhases(List.of("closed")),
                Objective.DEFAULT,
                Progress.NONE)
            .run();
    StepResult step = r.steps(Mode.CLOSED).get(0);
    double service = slow.meanSeconds();
    System.out.printf(
        "closed loop, 4 workers, 20 ms injected: %.1f/s achieved, service %.2f ms (target's own"
            + " clock), generator gap %.2f %%, limits %s%n",
        step.achievedRps(), service * 1e3, step.overheadRatio() * 100, step.clientLimits());

    // The injected delay is a floor: 4 workers can never get more than 4 / 20 ms = 200/s.
    assertThat(service).isGreaterThanOrEqualTo(0.020);
    assertThat(step.achievedRps()).isLessThanOrEqualTo(200 * 1.02);
    // Little's law for a closed loop, with the service time the target itself measured (a busy
    // machine wakes the delayed threads late, which lengthens it, and the workers' gaps between
    // answer and next send, which the report gives): 4 workers x (1 - gap share) / service time.
    // The 5 % margin covers the window's edges (a search straddling its start or end); counting
    // the warm-up's searches (+15 %) or dividing by the wrong duration fails it.
    double littlesLaw = 4 * (1 - step.overheadRatio()) / service;
    assertThat(step.achievedRps()).isCloseTo(littlesLaw, withinPercentage(5));
    // the generator's percentile is the target's own, give or take a histogram bucket and the call
    assertThat(step.p50Seconds())
        .isCloseTo(slow.p50Seconds(), within(0.0005 + 0.02 * slow.p50Seconds()));
  }

  @Test
  void capacityOfATargetWithFourSlotsIsSlotsOverTheServiceTimeTheTargetMeasured() throws Exception {
    FaultInjection faults = FaultInjection.of(Map.of("flat", Duration.ofMillis(50)));
    Slots server = new Slots(faults.wrap(new FlatTarget("flat", DATA)), 4);
    LoadSettings s =
        quick()
            .withTiming(Duration.ofMillis(300), Duration.ofSeconds(2))
            .withOpenLoop(64, 40, 1.5, 0.04)
            .withGuards(1000, Duration.ofMinutes(1), 1_000_000)
            .withPhases(List.of("open"));
    LoadReport r = test(server, s, Objective.DEFAULT, Progress.NONE).run();
    double service = server.meanServiceSeconds();
    double limit = 4 / service;
    System.out.printf(
        "open loop, 4 slots x 50 ms injected: capacity %.1f/s, precision %.3f; slots held %.2f ms"
            + " on average (target's own clock): limit %.1f/s; steps %s%n",
        r.capacityRps(),
        r.capacityPrecision(),
        service * 1e3,
        limit,
        r.steps(Mode.OPEN).stream()
            .map(
                st ->
                    String.format(
                        Locale.ROOT,
                        "%.1f->%.1f p99 %.0f ms %s%s",
                        st.offeredRps(),
                        st.achievedRps(),
                        st.p99Seconds() * 1e3,
                        st.holds() ? "holds" : "breaks",
                        st.clientLimits()))
            .toList());

    // The capacity is what the steps say: the highest complete rate that held (P99 and errors
    // within the objective, at least 95 % of the offered rate delivered), its precision the gap to
    // the lowest rate above it that broke.
    List<StepResult> open = r.steps(Mode.OPEN);
    for (StepResult st : open) {
      boolean holds =
          st.p99Seconds() <= 0.100
              && st.errorRatio() + st.timeoutRatio() <= 0.001
              && st.achievedRps() >= 0.95 * st.offeredRps()
              && st.complete();
      assertThat(st.holds()).as("holds at %.1f/s", st.offeredRps()).isEqualTo(holds);
    }
    double held =
        open.stream().filter(StepResult::holds).mapToDouble(StepResult::offeredRps).max().orElse(0);
    StepResult broke =
        open.stream()
            .filter(st -> !st.holds() && st.offeredRps() > held)
            .min(Comparator.comparingDouble(StepResult::offeredRps))
            .orElseThrow();
    assertThat(r.capacityRps()).isNotNull().isEqualTo(held);
    assertThat(r.capacityPrecision())
        .isCloseTo(broke.offeredRps() / held - 1, within(1e-9))
        .isLessThanOrEqualTo(0.04);
    // 4 searches at a time, each holding a slot for `service` (50 ms injected, more when the
    // machine wakes threads late): at most 4 / service per second. No rate above it can hold (the
    // queue, and P99, grow without bound); 10 % is the capacity search's own precision (4 %) plus
    // the service time's spread, since a slot held late queues the searches behind it.
    assertThat(service).isGreaterThanOrEqualTo(0.050);
    assertThat(r.capacityRps()).isLessThanOrEqualTo(limit * 1.10);
    // From below, the same 10 %, unless the rate that broke was limited by the client: the
    // generator's own threads woke late (schedule_lag) or it ran out of CPU or workers. Latency
    // counts from each search's intended start, so a late client breaks P99 before the target
    // does, and the report says so in that step's client_limits.
    if (broke.clientLimits().isEmpty()) {
      assertThat(r.capacityRps()).isGreaterThanOrEqualTo(limit * 0.90);
    } else {
      System.out.printf(
          "the rate that broke (%.1f/s) was client-limited %s: capacity %.1f/s is the client's"
              + " here, lower bound %.1f/s not checked%n",
          broke.offeredRps(), broke.clientLimits(), r.capacityRps(), limit * 0.90);
    }
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
    private final LongAdder heldNanos = new LongAdder();
    private final LongAdder searches = new LongAdder();

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

    /** Mean time a search held a slot, by the target's own clock. */
    double meanServiceSeconds() {
      return heldNanos.sum() / 1e9 / Math.max(1, searches.sum());
    }

    @Override
    public SearchResult search(float[] query, int k) throws Exception {
      slots.acquire();
      long t0 = System.nanoTime();
      try {
        return delegate.search(query, k);
      } finally {
        heldNanos.add(System.nanoTime() - t0);
        searches.increment();
        slots.release();
      }
    }
  }

  /** A target that times its own searches, independently of the load generator. */
  private static final class Timed implements Target {
    private final Target delegate;
    private final Histogram nanos = new ConcurrentHistogram(3);

    Timed(Target delegate) {
      this.delegate = delegate;
    }

    double meanSeconds() {
      return nanos.getMean() / 1e9;
    }

    double p50Seconds() {
      return nanos.getValueAtPercentile(50) / 1e9;
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
      long t0 = System.nanoTime();
      try {
        return delegate.search(query, k);
      } finally {
        nanos.recordValue(System.nanoTime() - t0);
      }
    }
  }
}
