package io.vecwatch.probe;

import static org.assertj.core.api.Assertions.assertThat;

import io.vecwatch.concurrent.ManualScheduler;
import io.vecwatch.stats.Diagnostics;
import io.vecwatch.stats.TargetState;
import io.vecwatch.target.Health;
import io.vecwatch.target.SearchResult;
import io.vecwatch.target.Target;
import io.vecwatch.target.TargetDiagnostics;
import io.vecwatch.target.TargetException;
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
  private final ScriptedTarget target =
      new ScriptedTarget((q, k) -> new SearchResult(new long[0], new float[0]));

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
    start(
        r -> {
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

  @Test
  void aTargetExceptionFromTheHealthCheckMarksTheTargetMisconfiguredUntilACheckSucceeds() {
    start(Runnable::run);
    target.healthFailure =
        new TargetException(
            "target prod: collection \"docs\" does not exist at http://milvus:19530");
    scheduler.runDue();

    assertThat(status.state()).isEqualTo(TargetState.MISCONFIGURED);
    assertThat(status.lastError())
        .contains("target prod: collection \"docs\" does not exist at http://milvus:19530");
    assertThat(status.health().up()).isFalse();

    target.healthFailure = null; // someone created the collection
    scheduler.advance(INTERVAL);
    assertThat(status.state()).isEqualTo(TargetState.UP);
  }

  @Test
  void diagnosticsAreTakenAfterEveryCheckEvenWhenItFailed() {
    int[] calls = {0};
    DiagnosedTarget t = new DiagnosedTarget(calls);
    HealthChecker.create(t, status, Runnable::run, scheduler, clock, INTERVAL).start();
    scheduler.runDue();
    assertThat(status.diagnostics().value("calls")).hasValue(1);

    t.healthFailure = new IOException("UNAVAILABLE");
    scheduler.advance(INTERVAL);
    assertThat(status.state()).isEqualTo(TargetState.DOWN);
    assertThat(status.diagnostics().value("calls")).hasValue(2);

    t.diagnosticsFailure = true; // a failing diagnostics call keeps the last snapshot
    scheduler.advance(INTERVAL);
    assertThat(status.diagnostics().value("calls")).hasValue(2);
    assertThat(calls[0]).isEqualTo(3);
  }

  /** A scripted target that also reports diagnostics: a gauge counting its own calls. */
  private static final class DiagnosedTarget implements Target, TargetDiagnostics {
    private final int[] calls;
    volatile Exception healthFailure;
    volatile boolean diagnosticsFailure;

    DiagnosedTarget(int[] calls) {
      this.calls = calls;
    }

    @Override
    public String name() {
      return "diag";
    }

    @Override
    public String kind() {
      return "scripted";
    }

    @Override
    public SearchResult search(float[] query, int k) {
      return new SearchResult(new long[0], new float[0]);
    }

    @Override
    public Health health() throws Exception {
      if (healthFailure != null) {
        throw healthFailure;
      }
      return Health.up();
    }

    @Override
    public Diagnostics diagnostics() throws Exception {
      calls[0]++;
      if (diagnosticsFailure) {
        throw new IOException("no answer");
      }
      return Diagnostics.builder().gauge("calls", "calls so far", calls[0]).build();
    }
  }
}
