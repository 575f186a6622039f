package io.vecwatch.target.milvus;

import static org.assertj.core.api.Assertions.assertThat;

import io.milvus.shaded.io.grpc.Status;
import io.vecwatch.concurrent.Backoff;
import io.vecwatch.concurrent.ManualScheduler;
import io.vecwatch.target.TargetException;
import io.vecwatch.time.ManualClock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The connection state machine with a scripted connector (sessions are plain strings here: what is
 * under test is the reaction to each outcome, not Milvus; the Milvus ITs run the same class against
 * real servers) and a manual scheduler, so every backoff delay is checked without sleeping.
 */
class ConnectionTest {
  private static final Duration INITIAL = Duration.ofMillis(100);
  private static final Duration MAX = Duration.ofSeconds(10);
  private static final double JITTER = 0.3;

  private final ManualScheduler scheduler = new ManualScheduler();
  private final ManualClock clock = new ManualClock();
  private final Deque<Object> script = new ArrayDeque<>();
  private final List<String> closed = new ArrayList<>();
  private final LogCapture log = new LogCapture(Connection.class);
  private final Backoff backoff = Backoff.of(INITIAL, MAX, () -> JITTER);
  private final Connection<String> connection =
      new Connection<>(
          "prod", "http://milvus:19530", this::next, closed::add, backoff, scheduler, clock);

  private String next() throws Exception {
    Object o = script.removeFirst();
    if (o instanceof Exception e) {
      throw e;
    }
    if (o instanceof Supplier<?> hook) {
      return (String) hook.get();
    }
    return (String) o;
  }

  private static Exception unavailable() {
    return Status.UNAVAILABLE
        .withDescription("io exception: Connection refused")
        .asRuntimeException();
  }

  /** Independent of {@link Backoff}: equal jitter over initial * 2^n, capped. */
  private static Duration expectedDelay(int n) {
    long c = Math.min(MAX.toNanos(), INITIAL.toNanos() << n);
    return Duration.ofNanos(c / 2 + (long) (JITTER * (c - c / 2)));
  }

  @AfterEach
  void closeLog() {
    log.close();
  }

  @Test
  void startReturnsAtOnceAndConnectsInTheBackground() {
    script.add("s1");
    connection.start();

    assertThat(connection.status().state()).isEqualTo(Connection.State.CONNECTING);
    assertThat(connection.session()).isEmpty();
    assertThat(scheduler.runNext()).isZero();
    assertThat(connection.session()).contains("s1");
    assertThat(connection.status().state()).isEqualTo(Connection.State.CONNECTED);
    assertThat(log.lines()).containsExactly("INFO target prod: connected to http://milvus:19530");
  }

  @Test
  void unreachableServerIsRetriedWithGrowingJitteredBackoffAndLoggedOnce() {
    for (int i = 0; i < 6; i++) {
      script.add(unavailable());
    }
    script.add("s1");
    connection.start();
    for (int i = 0; i < 7; i++) {
      scheduler.runNext();
    }

    List<Duration> retries = scheduler.delays().subList(1, 7);
    for (int n = 0; n < 6; n++) {
      assertThat(retries.get(n)).as("delay before attempt %d", n + 2).isEqualTo(expectedDelay(n));
    }
    assertThat(connection.status().state()).isEqualTo(Connection.State.CONNECTED);
    assertThat(connection.status().attempts()).isEqualTo(7);
    assertThat(log.lines())
        .containsExactly(
            "WARN target prod: cannot reach Milvus at http://milvus:19530: UNAVAILABLE: io exception: Connection refused;"
                + " retrying with backoff up to 10s",
            "INFO target prod: connected to http://milvus:19530 again after unreachable");
  }

  @Test
  void aServerBackDuringALongBackoffIsRetriedAtTheNextHealthCheckNotAtTheEndOfTheBackoff() {
    for (int i = 0; i < 8; i++) {
      script.add(unavailable());
    }
    connection.start();
    for (int i = 0; i < 8; i++) {
      scheduler.runNext();
    }
    // eight failures: the next attempt is a capped backoff (10 s here, 1 min by default) away
    assertThat(scheduler.delays()).last().isEqualTo(expectedDelay(7));
    assertThat(connection.status().state()).isEqualTo(Connection.State.UNREACHABLE);

    // a health check while the port is still closed changes nothing
    assertThat(connection.retryNowIfReachable(() -> false)).isEmpty();
    assertThat(scheduler.pendingCount()).isEqualTo(1);

    // the port accepts again: the pending attempt is replaced by one now
    script.add("s1");
    var done = connection.retryNowIfReachable(() -> true);
    assertThat(done).isPresent();
    assertThat(scheduler.pendingCount()).isEqualTo(1);
    assertThat(scheduler.runNext()).isZero();
    assertThat(done.get()).isCompleted();
    assertThat(connection.session()).contains("s1");
    assertThat(log.lines())
        .contains(
            "INFO target prod: http://milvus:19530 accepts connections again;"
                + " reconnecting now");
    // connected: nothing to bring forward
    assertThat(connection.retryNowIfReachable(() -> true)).isEmpty();
  }

  @Test
  void anEarlyAttemptThatFailsKeepsBackingOff() {
    script.add(unavailable());
    script.add(unavailable());
    connection.start();
    scheduler.runNext();
    var done = connection.retryNowIfReachable(() -> true);
    assertThat(done).isPresent();
    scheduler.runNext();
    assertThat(done.get()).isCompleted();
    assertThat(connection.status().state()).isEqualTo(Connection.State.UNREACHABLE);
    // the failed early attempt counts as a failure: the next delay is the second step of the
    // backoff
    assertThat(scheduler.delays()).last().isEqualTo(expectedDelay(1));
  }

  @Test
  void misconfigurationIsCheckedAgainOnlyAtTheCapAndLoggedOnce() {
    for (int i = 0; i < 5; i++) {
      script.add(
          new TargetException(
              "target prod: collection \"docs\" does not exist at http://milvus:19530"));
    }
    connection.start();
    for (int i = 0; i < 5; i++) {
      scheduler.runNext();
    }

    assertThat(scheduler.delays().subList(1, 6)).containsOnly(MAX);
    assertThat(connection.status().state()).isEqualTo(Connection.State.MISCONFIGURED);
    assertThat(connection.status().lastError())
        .contains("target prod: collection \"docs\" does not exist at http://milvus:19530");
    assertThat(log.lines())
        .containsExactly(
            "WARN target prod: collection \"docs\" does not exist at "
                + "http://milvus:19530; checking again every 10s");
  }

  @Test
  void rejectedCredentialsAreNotRetriedInAStorm() {
    for (int i = 0; i < 4; i++) {
      script.add(Status.UNAUTHENTICATED.withDescription("auth check failure").asRuntimeException());
    }
    connection.start();
    for (int i = 0; i < 4; i++) {
      scheduler.runNext();
    }

    assertThat(scheduler.delays().subList(1, 5)).containsOnly(MAX);
    assertThat(connection.status().state()).isEqualTo(Connection.State.UNAUTHENTICATED);
    assertThat(log.lines()).hasSize(1).allMatch(l -> l.contains("rejected the credentials"));
  }

  @Test
  void aLostSessionIsClosedAndReplacedAfterTheFirstBackoff() {
    script.add("s1");
    script.add(unavailable());
    script.add("s2");
    connection.start();
    scheduler.runNext();

    connection.lost("s1", "health check: DEADLINE_EXCEEDED");
    assertThat(closed).containsExactly("s1");
    assertThat(connection.session()).isEmpty();
    assertThat(connection.status().state()).isEqualTo(Connection.State.UNREACHABLE);
    assertThat(scheduler.runNext()).isEqualTo(expectedDelay(0));
    assertThat(scheduler.runNext()).isEqualTo(expectedDelay(1));

    assertThat(connection.session()).contains("s2");
    assertThat(connection.status().losses()).isEqualTo(1);
    assertThat(log.lines())
        .containsExactly(
            "INFO target prod: connected to http://milvus:19530",
            "WARN target prod: lost Milvus at http://milvus:19530: health check: DEADLINE_EXCEEDED; reconnecting",
            "INFO target prod: connected to http://milvus:19530 again after unreachable");
  }

  @Test
  void aLossReportedOnAStaleSessionIsIgnored() {
    script.add("s1");
    connection.start();
    scheduler.runNext();

    connection.lost("s0", "late report");
    assertThat(connection.session()).contains("s1");
    assertThat(closed).isEmpty();
    assertThat(scheduler.pendingCount()).isZero();
  }

  @Test
  void closeCancelsThePendingAttemptAndClosesTheSession() {
    script.add("s1");
    connection.start();
    scheduler.runNext();
    connection.lost("s1", "gone");
    connection.close();

    assertThat(scheduler.pendingCount()).isZero();
    assertThat(scheduler.closed).isTrue();
    assertThat(connection.status().state()).isEqualTo(Connection.State.CLOSED);
  }

  @Test
  void aSessionOpenedWhileClosingIsClosedAtOnce() {
    script.add(
        (Supplier<String>)
            () -> {
              connection.close(); // the agent shuts down while this attempt is connecting
              return "late";
            });
    connection.start();
    scheduler.runNext();

    assertThat(closed).containsExactly("late");
    assertThat(connection.session()).isEmpty();
    assertThat(connection.status().state()).isEqualTo(Connection.State.CLOSED);
  }
}
