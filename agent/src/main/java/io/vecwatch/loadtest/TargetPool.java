package io.vecwatch.loadtest;

import io.vecwatch.target.FaultInjection;
import io.vecwatch.target.MultiConnection;
import io.vecwatch.target.Target;
import io.vecwatch.time.Clock;
import io.vecwatch.time.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * The targets a step's workers search through: for a remote target ({@link MultiConnection}) one
 * connection per worker, up to {@code maxConnections}, opened when a step first needs them and kept
 * for the rest of the run; for an in-process target the one instance, shared. Each worker then
 * waits only for its own answers, as each process of a multi-process client does, instead of
 * queueing behind the other workers' calls on one channel.
 *
 * <p>A new connection counts as open once it answered one search (retried with backoff until the
 * ready timeout, untimed). One that cannot be opened is reported once in {@link #problem()}; the
 * workers then share the connections there are.
 */
final class TargetPool implements AutoCloseable {
  /** Connections a run opens at most, by default; workers beyond share them round-robin. */
  static final int DEFAULT_MAX_CONNECTIONS = 100;

  /** Opens one more connection of the primary target, already decorated. */
  @FunctionalInterface
  interface Opener {
    Target open() throws Exception;
  }

  private final Target primary;
  private final Opener opener;
  private final int maxConnections;
  private final Duration ready;
  private final float[] probeQuery;
  private final int probeK;
  private final Clock clock;
  private final List<Target> connections = new ArrayList<>();
  private volatile String problem;

  private TargetPool(
      Target primary,
      Opener opener,
      int maxConnections,
      Duration ready,
      float[] probeQuery,
      int probeK,
      Clock clock) {
    this.primary = primary;
    this.opener = opener;
    this.maxConnections = opener == null ? 1 : Math.max(1, maxConnections);
    this.ready = ready;
    this.probeQuery = probeQuery;
    this.probeK = probeK;
    this.clock = clock;
    connections.add(primary);
  }

  /** One shared instance, whatever the target: what the pool does for an in-process target. */
  static TargetPool shared(Target target) {
    return new TargetPool(target, null, 1, Duration.ZERO, null, 0, Clock.system());
  }

  /**
   * A pool over {@code primary} (already connected): when it (or the target it wraps, for an
   * injected delay) can open more connections, new ones are opened that way and passed through
   * {@code decorate} (the same delay); otherwise every worker shares {@code primary}.
   *
   * @param probeQuery searched once on each new connection to know it is ready
   */
  static TargetPool of(
      Target primary,
      UnaryOperator<Target> decorate,
      int maxConnections,
      Duration ready,
      float[] probeQuery,
      int probeK,
      Clock clock) {
    Optional<MultiConnection> multi =
        primary instanceof MultiConnection m
            ? Optional.of(m)
            : FaultInjection.unwrap(primary)
                .filter(MultiConnection.class::isInstance)
                .map(MultiConnection.class::cast);
    Opener opener = multi.<Opener>map(m -> () -> decorate.apply(m.newConnection())).orElse(null);
    return new TargetPool(primary, opener, maxConnections, ready, probeQuery, probeK, clock);
  }

  /** The target every report names and every parameter question goes to. */
  Target primary() {
    return primary;
  }

  /** Whether workers get connections of their own. */
  boolean multiConnection() {
    return opener != null;
  }

  /** Connections open now. */
  synchronized int size() {
    return connections.size();
  }

  /** Why fewer connections than workers were opened, once one could not be; null otherwise. */
  String problem() {
    return problem;
  }

  /**
   * {@code workers} targets, one per worker (the same instance repeated when connections are
   * shared), opening the connections still missing first, concurrently.
   */
  synchronized List<Target> forWorkers(int workers) throws InterruptedException {
    int want = Math.min(workers, maxConnections);
    if (connections.size() < want && problem == null) {
      openMore(want - connections.size());
    }
    List<Target> out = new ArrayList<>(workers);
    for (int w = 0; w < workers; w++) {
      out.add(connections.get(w % connections.size()));
    }
    return Collections.unmodifiableList(out);
  }

  private void openMore(int n) throws InterruptedException {
    List<Target> opened = new ArrayList<>();
    try {
      for (int i = 0; i < n; i++) {
        opened.add(opener.open()); // connects in the background: all of them at once
      }
    } catch (Exception e) {
      problem = "could not open another connection: " + e.getMessage();
    }
    long deadline = clock.monotonicNanos() + ready.toNanos();
    for (Target t : opened) {
      String why = awaitFirstAnswer(t, deadline); // one try at least, even past the deadline
      if (why == null) {
        connections.add(t);
      } else {
        if (problem == null) {
          problem =
              "a new connection did not answer within " + Durations.format(ready) + ": " + why;
        }
        t.close();
      }
    }
  }

  /** Null once {@code t} answered a search, else the last failure. */
  private String awaitFirstAnswer(Target t, long deadline) throws InterruptedException {
    long pause = 10_000_000L;
    String last = "no answer";
    while (true) {
      try {
        t.search(probeQuery, probeK);
        return null;
      } catch (InterruptedException e) {
        throw e;
      } catch (Exception e) {
        last = e.getMessage();
      }
      if (clock.monotonicNanos() + pause > deadline) {
        return last;
      }
      TimeUnit.NANOSECONDS.sleep(pause); // a client still connecting: back off, never spin
      pause = Math.min(pause * 2, 500_000_000L);
    }
  }

  /** Closes the connections this pool opened (not the primary target, which the caller owns). */
  @Override
  public synchronized void close() {
    for (Target t : connections) {
      if (t != primary) {
        t.close();
      }
    }
    connections.clear();
    connections.add(primary);
  }
}
