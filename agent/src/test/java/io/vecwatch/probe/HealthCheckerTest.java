package io.vecwatch.probe;

import static org.assertj.core.api.Assertions.assertThat;

import io.vecwatch.stats.TargetState;
import io.vecwatch.target.Health;
import io.vecwatch.target.SearchResult;
import io.vecwatch.time.ManualClock;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;

class HealthCheckerTest {
  private static final Duration INTERVAL = Duration.ofSeconds(5);

  private final ManualClock clock = new ManualClock();
  private final ManualScheduler scheduler = new ManualScheduler(clock);
  private final TargetStatus status = new TargetStatus();
  private final ScriptedTarget target = new ScriptedTarget((q, k) -> new SearchResult(new long[0], new float[0]));

  private HealthChecker start(Executor pool) {
    HealthChecker h = HealthChecker.create(target, status, pool, scheduler, clock, INTERVAL);
    h.start();
    return h;
  }

  @Test
  void isUnknownBeforeTheFirstCheckAndUpAfterAHealthyOne() {
    assertThat(status.state()).isEqualTo(TargetState.UNKNOWN);
    assertThat(status.isObserved()).isFalse();
    start(Runnable::run);
    scheduler.runDue();

    assertThat(status.state()).isEqualTo(TargetState.UP);
    assertThat(status.health().lastCheckWallMillis()).hasValue(clock.wallMillis());
    assertThat(status.entities()).hasValue(42);
    assertThat(status.isObserved()).isTrue();
  }

  @Test
  void countsConsecutiveFailuresAndResetsOnRecovery() {
    start(Runnable::run);
    scheduler.runDue();
    target.healthFailure = new IOException("UNAVAILABLE: io exception");
    scheduler.advance(INTERVAL.multipliedBy(3));

    assertThat(status.state()).isEqualTo(TargetState.DOWN);
    assertThat(status.health().consecutiveFailures()).isEqualTo(3);
    assertThat(status.health().reasons()).containsExactly("UNAVAILABLE: io exception");
    assertThat(status.lastError()).contains("health check: UNAVAILABLE: io exception");

    target.healthFailure = null;
    target.health = Health.down("quota: DenyToRead");
    scheduler.advance(INTERVAL);
    assertThat(status.health().consecutiveFailures()).isEqualTo(4);
    assertThat(status.health().reasons()).containsExactly("quota: DenyToRead");

    target.health = Health.up();
    target.entities = 7;
    scheduler.advance(INTERVAL);
    assertThat(status.state()).isEqualTo(TargetState.UP);
    assertThat(status.health().consecutiveFailures()).isZero();
    assertThat(status.entities()).hasValue(7);
  }

  @Test
  void aCheckStillRunningWhenTheNextIsDueCountsAsAFailure() {
    QueuedExecutor pool = new QueuedExecutor(); // the check never gets a thread
    start(pool);
    scheduler.runDue();
    scheduler.advance(INTERVAL.multipliedBy(2));

    assertThat(pool.size()).as("the hung check is not duplicated").isEqualTo(1);
    assertThat(status.state()).isEqualTo(TargetState.DOWN);
    assertThat(status.health().consecutiveFailures()).isEqualTo(2);
    assertThat(status.health().reasons()).containsExactly("still running after 5s");

    pool.runAll(); // it finally answers, healthy
    assertThat(status.state()).isEqualTo(TargetState.UP);
  }

  @Test
  void checksAtAFixedRate() {
    int[] checks = {0};
    start(r -> {
      checks[0]++;
      r.run();
    });
    scheduler.advance(Duration.ofSeconds(60));
    assertThat(checks[0]).isEqualTo(60 / 5 + 1);
  }

  @Test
  void misconfiguredIsFinalAndCountsAsObserved() {
    status.misconfigured("dataset d could not be loaded: file\nnot found", clock.wallMillis());
    assertThat(status.state()).isEqualTo(TargetState.MISCONFIGURED);
    assertThat(status.isObserved()).isTrue();
    assertThat(status.lastError()).contains("dataset d could not be loaded: file not found");
  }
}
