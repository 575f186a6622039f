package io.vecwatch.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vecwatch.concurrent.ExecutorScheduler;
import io.vecwatch.config.ProbeConfig;
import io.vecwatch.dataset.Dataset;
import io.vecwatch.stats.Outcome;
import io.vecwatch.stats.ProbeStats;
import io.vecwatch.stats.TargetState;
import io.vecwatch.target.SearchResult;
import io.vecwatch.testing.TestDatasets;
import io.vecwatch.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * Real threads and the real clock: a hung target must not slow down another one sharing the
 * scheduler.
 */
class TargetIsolationTest {
  @Test
  void aHungTargetNeverDelaysAnother() throws Exception {
    Dataset d = TestDatasets.random("d", 100, 4, 5, 10, 3, null);
    CountDownLatch release = new CountDownLatch(1);
    ScriptedTarget hung =
        new ScriptedTarget(
            (q, k) -> {
              release.await();
              return new SearchResult(new long[0], new float[0]);
            });
    ScriptedTarget fast =
        new ScriptedTarget((q, k) -> new SearchResult(new long[] {0}, new float[0]));
    Clock clock = Clock.system();
    ProbeConfig hungCfg =
        new ProbeConfig(
            "hung",
            "d",
            20,
            2,
            Duration.ofMillis(100),
            List.of(10),
            Duration.ofSeconds(60),
            Duration.ofSeconds(1));
    // generous timeout for the healthy one: this machine's load must not turn its searches into
    // timeouts
    ProbeConfig fastCfg =
        new ProbeConfig(
            "fast",
            "d",
            20,
            2,
            Duration.ofSeconds(5),
            List.of(10),
            Duration.ofSeconds(60),
            Duration.ofSeconds(1));
    ProbeStats hungStats =
        ProbeStats.create(
            "hung", "d", List.of(10), Duration.ofSeconds(60), clock.monotonicNanos(), l -> {});
    ProbeStats fastStats =
        ProbeStats.create(
            "fast", "d", List.of(10), Duration.ofSeconds(60), clock.monotonicNanos(), l -> {});
    try (ExecutorScheduler scheduler = ExecutorScheduler.create("test-scheduler");
        WorkerPool hungPool = WorkerPool.create("hung", 3);
        WorkerPool fastPool = WorkerPool.create("fast", 3)) {
      TargetStatus hungStatus = new TargetStatus();
      HealthChecker health =
          HealthChecker.create(
              hung, hungStatus, hungPool, scheduler, clock, Duration.ofMillis(200));
      ProbeRunner a =
          ProbeRunner.create(
              hungCfg,
              hung,
              d,
              Recall.of(d, List.of(10)),
              hungStats,
              hungStatus,
              hungPool,
              scheduler,
              clock);
      ProbeRunner b =
          ProbeRunner.create(
              fastCfg,
              fast,
              d,
              Recall.of(d, List.of(10)),
              fastStats,
              new TargetStatus(),
              fastPool,
              scheduler,
              clock);
      try {
        health.start();
        a.start();
        b.start();
        await()
            .atMost(Duration.ofSeconds(30))
            .untilAsserted(
                () -> {
                  assertThat(hungStats.total(Outcome.TIMEOUT)).isGreaterThanOrEqualTo(2);
                  assertThat(hungStats.skippedTotal()).isPositive();
                  assertThat(fastStats.total(Outcome.OK)).isGreaterThanOrEqualTo(40);
                  // health checks have their own thread in the pool, so they still answer while
                  // searches hang
                  assertThat(hungStatus.state()).isEqualTo(TargetState.UP);
                });
        assertThat(a.inFlight()).isEqualTo(2);
        assertThat(hungStats.total(Outcome.OK)).isZero();
        assertThat(fastStats.total(Outcome.TIMEOUT) + fastStats.total(Outcome.ERROR)).isZero();
      } finally {
        a.stop();
        b.stop();
        health.stop();
        release.countDown();
      }
    }
  }
}
