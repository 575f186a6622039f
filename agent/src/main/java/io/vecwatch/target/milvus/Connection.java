package io.vecwatch.target.milvus;

import io.vecwatch.concurrent.Backoff;
import io.vecwatch.concurrent.Scheduler;
import io.vecwatch.target.TargetException;
import io.vecwatch.time.Clock;
import io.vecwatch.time.Durations;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one live session to a server, reconnecting with capped, jittered exponential backoff. The
 * agent starts whether or not the server is up: {@link #start()} returns at once and connection
 * attempts run on the {@link Scheduler}'s thread. Every state change is logged once, as one line;
 * repeated failures of the same kind are not logged again.
 *
 * <p>Reactions by failure: an unreachable server is retried with backoff ({@code initial},
 * doubling, capped at {@code max}, jittered); a misconfiguration ({@link TargetException}: wrong
 * collection, field, dimension) or wrong credentials is retried only every {@code max}, since only
 * a person can fix it.
 *
 * <p>Backoff keeps a long outage from costing a client per second, but alone it would notice a
 * server that is back only at the next attempt, up to {@code max} later. So the periodic health
 * check calls {@link #retryNowIfReachable}: a cheap look (a TCP connect) every health interval, and
 * when the server's port accepts again, the pending attempt is brought forward to now.
 *
 * @param <S> the session type (a Milvus client plus what was learnt at first contact)
 */
public final class Connection<S> implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Connection.class);

  /** Where the connection stands. */
  public enum State {
    /** Not connected yet; the first attempt is running or scheduled. */
    CONNECTING,
    CONNECTED,
    /** The server could not be reached; retrying with backoff. */
    UNREACHABLE,
    /**
     * The server answered but the target's settings do not fit it (collection, field, dimension,
     * ...).
     */
    MISCONFIGURED,
    /** The server rejected the credentials. */
    UNAUTHENTICATED,
    CLOSED
  }

  /** Whether the server's port accepts a connection now; cheap (no client, no TLS, no call). */
  @FunctionalInterface
  public interface Reachability {
    boolean reachable();
  }

  /**
   * Opens a session; throws {@link TargetException} for a misconfiguration, anything else for a
   * failure.
   */
  @FunctionalInterface
  public interface Connector<S> {
    S connect() throws Exception;
  }

  /**
   * An immutable view of the connection.
   *
   * @param state the current state
   * @param lastError why the last attempt or call failed (one line, no secrets), empty once
   *     connected
   * @param sinceWallMillis when the current state began
   * @param attempts connection attempts made so far
   * @param losses times an established session was lost
   */
  public record Status(
      State state, Optional<String> lastError, long sinceWallMillis, long attempts, long losses) {}

  private final String target;
  private final String endpoint;
  private final Connector<S> connector;
  private final Consumer<S> closer;
  private final Backoff backoff;
  private final Scheduler scheduler;
  private final Clock clock;

  private final Object lock = new Object();
  private State state = State.CONNECTING;
  private S session;
  private String lastError;
  private long since;
  private long attempts;
  private long losses;
  private int failuresInRow;
  private Scheduler.Cancellable pending;
  private boolean earlyRetryLogged;
  private final CompletableFuture<Void> firstAttempt = new CompletableFuture<>();

  /**
   * @param target the target's name, for log lines
   * @param endpoint where it connects (uri without credentials), for log lines
   * @param closer releases a session that is replaced or lost (never throws)
   */
  public Connection(
      String target,
      String endpoint,
      Connector<S> connector,
      Consumer<S> closer,
      Backoff backoff,
      Scheduler scheduler,
      Clock clock) {
    this.target = Objects.requireNonNull(target);
    this.endpoint = Objects.requireNonNull(endpoint);
    this.connector = Objects.requireNonNull(connector);
    this.closer = Objects.requireNonNull(closer);
    this.backoff = Objects.requireNonNull(backoff);
    this.scheduler = Objects.requireNonNull(scheduler);
    this.clock = Objects.requireNonNull(clock);
    this.since = clock.wallMillis();
  }

  /** Schedules the first attempt now; returns at once. */
  public void start() {
    synchronized (lock) {
      if (state == State.CLOSED || pending != null) {
        return;
      }
      pending = scheduler.schedule(this::attempt, Duration.ZERO);
    }
  }

  /**
   * Completes when the first connection attempt ended, connected or not (or the connection was
   * closed first). Until then a target has nothing to say: probing it would only count "not
   * connected yet" failures.
   */
  public CompletionStage<Void> firstAttemptEnded() {
    return firstAttempt.minimalCompletionStage();
  }

  /** The live session, if connected. */
  public Optional<S> session() {
    synchronized (lock) {
      return state == State.CONNECTED ? Optional.of(session) : Optional.empty();
    }
  }

  public Status status() {
    synchronized (lock) {
      return new Status(state, Optional.ofNullable(lastError), since, attempts, losses);
    }
  }

  /**
   * While the server is unreachable and the next attempt is still ahead, asks {@code reachability};
   * when the server's port accepts, cancels the pending attempt and makes one now (on the
   * scheduler's thread). The result completes when that attempt has finished, connected or not.
   * Empty when nothing was brought forward.
   */
  public Optional<CompletableFuture<Void>> retryNowIfReachable(Reachability reachability) {
    synchronized (lock) {
      if (state != State.UNREACHABLE || pending == null) {
        return Optional.empty();
      }
    }
    if (!reachability.reachable()) {
      return Optional.empty();
    }
    CompletableFuture<Void> done = new CompletableFuture<>();
    synchronized (lock) {
      if (state != State.UNREACHABLE || pending == null) {
        return Optional.empty();
      }
      pending.cancel();
      if (!earlyRetryLogged) {
        earlyRetryLogged = true;
        LOG.info("target {}: {} accepts connections again; reconnecting now", target, endpoint);
      }
      pending =
          scheduler.schedule(
              () -> {
                try {
                  attempt();
                } finally {
                  done.complete(null);
                }
              },
              Duration.ZERO);
    }
    return Optional.of(done);
  }

  /** One connection attempt; runs on the scheduler's thread. */
  void attempt() {
    synchronized (lock) {
      pending = null;
      if (state == State.CLOSED || state == State.CONNECTED) {
        return;
      }
      attempts++;
    }
    S opened;
    try {
      opened = connector.connect();
    } catch (Exception e) {
      failed(e);
      return;
    }
    S toClose = null;
    synchronized (lock) {
      if (state == State.CLOSED) {
        toClose = opened;
      } else {
        State before = state;
        session = opened;
        failuresInRow = 0;
        earlyRetryLogged = false;
        lastError = null;
        transition(State.CONNECTED);
        LOG.info(
            "target {}: connected to {}{}",
            target,
            endpoint,
            before == State.CONNECTING
                ? ""
                : " again after " + before.name().toLowerCase(Locale.ROOT));
      }
    }
    if (toClose != null) {
      closer.accept(toClose);
    }
    firstAttempt.complete(null);
  }

  private void failed(Exception e) {
    State next;
    String error;
    Duration delay;
    if (e instanceof TargetException te) {
      next = State.MISCONFIGURED;
      error = te.getMessage();
    } else {
      MilvusFailure f = MilvusFailure.of(e);
      switch (f.kind()) {
        case UNAUTHENTICATED -> {
          next = State.UNAUTHENTICATED;
          error =
              "target "
                  + target
                  + ": "
                  + endpoint
                  + " rejected the credentials ("
                  + f.detail()
                  + ")";
        }
        case PERMISSION_DENIED, NOT_FOUND -> {
          next = State.MISCONFIGURED;
          error = "target " + target + ": " + endpoint + " refused: " + f.detail();
        }
        default -> {
          next = State.UNREACHABLE;
          error = "target " + target + ": cannot reach Milvus at " + endpoint + ": " + f.detail();
        }
      }
    }
    synchronized (lock) {
      if (state == State.CLOSED) {
        return;
      }
      // only a person can fix settings or credentials: ask again rarely
      delay = next == State.UNREACHABLE ? backoff.delay(failuresInRow) : backoff.max();
      failuresInRow++;
      boolean news = next != state || (next != State.UNREACHABLE && !error.equals(lastError));
      lastError = error;
      if (next != state) {
        transition(next);
      }
      if (news) {
        String retry =
            next == State.UNREACHABLE
                ? "; retrying with backoff up to " + Durations.format(backoff.max())
                : "; checking again every " + Durations.format(backoff.max());
        LOG.warn("{}{}", error, retry);
      } else {
        LOG.debug("{} (attempt {})", error, attempts);
      }
      pending = scheduler.schedule(this::attempt, delay);
    }
    firstAttempt.complete(null);
  }

  /**
   * A call on {@code lost} showed the server is gone: drop the session and reconnect with backoff.
   * Ignored if {@code lost} is no longer the live session (another caller already reported it).
   */
  public void lost(S lost, String reason) {
    dropSession(
        lost,
        State.UNREACHABLE,
        "target " + target + ": lost Milvus at " + endpoint + ": " + reason);
  }

  /**
   * A call on {@code s} showed the settings no longer fit (collection dropped, ...): check again
   * later.
   */
  public void misconfigured(S s, String reason) {
    dropSession(s, State.MISCONFIGURED, reason);
  }

  private void dropSession(S s, State next, String error) {
    S toClose;
    synchronized (lock) {
      if (state != State.CONNECTED || session != s) {
        return;
      }
      toClose = session;
      session = null;
      losses++;
      failuresInRow = 0;
      lastError = error;
      transition(next);
      LOG.warn("{}; reconnecting", error);
      Duration delay = next == State.UNREACHABLE ? backoff.delay(failuresInRow++) : backoff.max();
      pending = scheduler.schedule(this::attempt, delay);
    }
    closer.accept(toClose);
  }

  private void transition(State next) {
    state = next;
    since = clock.wallMillis();
  }

  @Override
  public void close() {
    S toClose;
    synchronized (lock) {
      if (state == State.CLOSED) {
        return;
      }
      transition(State.CLOSED);
      firstAttempt.complete(null);
      if (pending != null) {
        pending.cancel();
        pending = null;
      }
      toClose = session;
      session = null;
    }
    if (toClose != null) {
      closer.accept(toClose);
    }
    scheduler.close();
  }
}
