package io.vecwatch.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.vecwatch.concurrent.ManualScheduler;
import io.vecwatch.config.ProbeConfig;
import io.vecwatch.dataset.Dataset;
import io.vecwatch.stats.Outcome;
import io.vecwatch.stats.ProbeStats;
import io.vecwatch.stats.ProbeWindowStats;
import io.vecwatch.target.SearchResult;
import io.vecwatch.testing.TestDatasets;
import io.vecwatch.time.ManualClock;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * The runner driven by a manual clock and scheduler: every number below follows from stepping time.
 */
class ProbeRunnerTest {
  private static final Duration WINDOW = Duration.ofSeconds(60);

  private final ManualClock clock = new ManualClock();
  private final ManualScheduler scheduler = new ManualScheduler(clock);
  private final Dataset dataset = TestDatasets.random("d", 300, 4, 7, 10, 1, null);
  private final List<Long> okLatencies = new CopyOnWriteArrayList<>();
  private final ProbeStats stats =
      ProbeStats.create("t", "d", List.of(10), WINDOW, clock.monotonicNanos(), okLatencies::add);
  private final TargetStatus status = new TargetStatus();

  private ProbeRunner runner(
      ScriptedTarget target, Executor pool, double rate, int concurrency, Duration timeout) {
    ProbeConfig c =
        new ProbeConfig(
            "t", "d", rate, concurrency, timeout, List.of(10), WINDOW, Duration.ofSeconds(5));
    ProbeRunner r =
        ProbeRunner.create(
            c,
            target,
            dataset,
            Recall.of(dataset, c.recallK()),
            stats,
            status,
            pool,
            scheduler,
            clock);
    r.start();
    return r;
  }

  /** Answers with the exact ground truth of whichever query it is sent. */
  private ScriptedTarget exact() {
    return ScriptedTarget.answering(
        (q, k) -> {
          int i = queryIndex(q);
          return new SearchResult(
              Arrays.stream(dataset.groundTruth(i)).limit(k).mapToLong(dataset::keyOf).toArray(),
              new float[0]);
        });
  }

  private int queryIndex(float[] q) {
    for (int i = 0; i < dataset.queries().count(); i++) {
      if (Arrays.equals(dataset.queries().row(i), q)) {
        return i;
      }
    }
    throw new AssertionError("not a dataset query");
  }

  private ProbeWindowStats window() {
    return stats.snapshot(clock.monotonicNanos()).window();
  }

  @Test
  void sendsOneSearchPerSlotCyclingThroughTheQueries() {
    ScriptedTarget target = exact();
    runner(target, Runnable::run, 5, 2, Duration.ofSeconds(1));
    scheduler.advance(Duration.ofSeconds(10));

    long slots = (long) Math.floor(10 / 0.2) + 1; // intended starts 0, 0.2, ..., 10.0 s
    assertThat(stats.total(Outcome.OK)).isEqualTo(slots);
    assertThat(target.queries).hasSize((int) slots);
    for (int i = 0; i < slots; i++) {
      assertThat(queryIndex(target.queries.get(i))).isEqualTo(i % dataset.queries().count());
    }
    assertThat(window().recallAt(10).mean()).isEqualTo(1.0);
    assertThat(window().recallAt(10).queries()).isEqualTo(slots);
    assertThat(status.isObserved()).isTrue();
  }

  @Test
  void measuresLatencyFromTheIntendedStartTime() {
    QueuedExecutor pool = new QueuedExecutor();
    ScriptedTarget target =
        new ScriptedTarget(
            (q, k) -> {
              clock.advance(Duration.ofMillis(5)); // the search itself takes 5 ms
              return new SearchResult(new long[0], new float[0]);
            });
    runner(target, pool, 5, 2, Duration.ofSeconds(1));
    scheduler.runDue(); // slot 0 dispatched at its intended start, t = 0
    scheduler.advance(Duration.ofMillis(30)); // but the worker only picks it up 30 ms later
    pool.runAll();

    assertThat(okLatencies).containsExactly(35_000_000L);
    assertThat(stats.lastLagSeconds()).isCloseTo(0.030, within(1e-12));
    assertThat(window().recallAt(10).mean()).as("an empty answer").isZero();
  }

  @Test
  void recordsATimeoutAtTheDeadlineAndDiscardsTheLateResult() {
    QueuedExecutor pool = new QueuedExecutor();
    ScriptedTarget target =
        new ScriptedTarget(
            (q, k) -> {
              clock.advance(Duration.ofMillis(150));
              return new SearchResult(new long[] {1, 2, 3}, new float[0]);
            });
    runner(target, pool, 1, 2, Duration.ofMillis(100));
    scheduler.runDue();
    pool.runAll(); // answers 150 ms after its intended start: 50 ms late

    assertThat(stats.total(Outcome.TIMEOUT)).isEqualTo(1);
    assertThat(stats.total(Outcome.OK)).isZero();
    assertThat(okLatencies).isEmpty();
    scheduler.advance(
        Duration.ofMillis(500)); // the deadline task runs too, and must not count it again
    assertThat(stats.total(Outcome.TIMEOUT)).isEqualTo(1);
    assertThat(window().timeoutRatio()).isEqualTo(1.0);
  }

  @Test
  void aSearchStillQueuedAtItsDeadlineIsRecordedThenNotSent() {
    QueuedExecutor pool = new QueuedExecutor();
    ScriptedTarget target = exact();
    ProbeRunner r = runner(target, pool, 1, 1, Duration.ofMillis(100));
    scheduler.runDue();
    assertThat(r.inFlight()).isEqualTo(1);
    scheduler.advance(Duration.ofMillis(100)); // deadline: the worker never started it

    assertThat(stats.total(Outcome.TIMEOUT)).isEqualTo(1);
    pool.runAll();
    assertThat(target.queries).isEmpty();
    assertThat(r.inFlight()).isZero();
  }

  @Test
  void skipsSlotsWhenConcurrencySearchesAreInFlight() {
    QueuedExecutor pool =
        new QueuedExecutor(); // the target never answers until the test runs the queue
    ScriptedTarget target = exact();
    ProbeRunner r = runner(target, pool, 10, 2, Duration.ofSeconds(5));
    scheduler.advance(Duration.ofSeconds(1)); // slots at 0.0, 0.1, ..., 1.0 s

    assertThat(r.inFlight()).isEqualTo(2);
    assertThat(pool.size()).isEqualTo(2);
    assertThat(stats.skippedTotal()).isEqualTo(11 - 2);
    assertThat(window().skipped()).isEqualTo(11 - 2);

    pool.runAll(); // both answer: their slots free up
    scheduler.advance(Duration.ofMillis(100));
    assertThat(stats.total(Outcome.OK)).isEqualTo(2);
    assertThat(pool.size()).as("the next slot is sent again").isEqualTo(1);
  }

  @Test
  void aTargetsOwnTimeoutBeforeTheDeadlineCountsAsATimeoutNotAnError() {
    ScriptedTarget target =
        new ScriptedTarget(
            (q, k) -> {
              throw new TimeoutException("target m: search timed out after 500ms");
            });
    runner(target, Runnable::run, 2, 1, Duration.ofSeconds(1));
    scheduler.advance(Duration.ofSeconds(2));

    assertThat(stats.total(Outcome.TIMEOUT)).isEqualTo(5);
    assertThat(stats.total(Outcome.ERROR)).isZero();
    assertThat(status.lastError()).contains("target m: search timed out after 500ms");
  }

  @Test
  void recordsErrorsAndKeepsTheLastMessageOnOneLine() {
    ScriptedTarget target =
        new ScriptedTarget(
            (q, k) -> {
              throw new IOException("connection refused\n  at the server");
            });
    runner(target, Runnable::run, 2, 1, Duration.ofSeconds(1));
    scheduler.advance(Duration.ofSeconds(2));

    assertThat(stats.total(Outcome.ERROR)).isEqualTo(5);
    assertThat(window().errorRatio()).isEqualTo(1.0);
    assertThat(window().latency().p50()).as("errors carry no latency").isNaN();
    assertThat(status.lastError()).contains("connection refused at the server");
    assertThat(status.lastErrorWallMillis()).hasValue(clock.wallMillis());
  }

  @Test
  void aSlotDueAfterItsDeadlineIsATimeoutWithoutBeingSent() {
    ScriptedTarget target = exact();
    Duration timeout = Duration.ofMillis(500);
    runner(target, Runnable::run, 10, 4, timeout);
    scheduler.runDue(); // slot 0 at t = 0
    clock.advance(Duration.ofSeconds(2)); // the agent stalls for 2 s: no tick runs meanwhile
    scheduler.runDue();

    long now = clock.monotonicNanos();
    OpenLoopSchedule s = OpenLoopSchedule.of(0, 10);
    long expired = 0;
    long sent = 1;
    long latencySum = 0;
    for (long slot = 1; s.intendedStart(slot) <= now; slot++) {
      if (now >= s.intendedStart(slot) + timeout.toNanos()) {
        expired++;
      } else {
        sent++;
        latencySum += now - s.intendedStart(slot);
      }
    }
    assertThat(stats.total(Outcome.TIMEOUT)).isEqualTo(expired).isPositive();
    assertThat(target.queries).hasSize((int) sent);
    assertThat(stats.total(Outcome.OK)).isEqualTo(sent);
    assertThat(okLatencies.stream().mapToLong(Long::longValue).sum() - okLatencies.get(0))
        .as("late slots carry the stall in their latency")
        .isEqualTo(latencySum);
  }

  @Test
  void stopEndsTheSchedule() {
    ScriptedTarget target = exact();
    ProbeRunner r = runner(target, Runnable::run, 10, 1, Duration.ofSeconds(1));
    scheduler.advance(Duration.ofMillis(450));
    r.stop();
    scheduler.advance(Duration.ofSeconds(5));
    assertThat(target.queries).hasSize(5);
    assertThat(scheduler.pending()).isZero();
  }
}
