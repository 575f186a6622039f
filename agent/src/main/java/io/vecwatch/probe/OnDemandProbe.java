package io.vecwatch.probe;

import io.vecwatch.dataset.Dataset;
import io.vecwatch.errors.Errors;
import io.vecwatch.target.Health;
import io.vecwatch.target.SearchResult;
import io.vecwatch.target.Target;
import io.vecwatch.time.Clock;
import io.vecwatch.time.Durations;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One search on demand ({@code GET /probe?target=NAME}), outside the continuous schedule: it runs
 * on its own small thread pool (never the target's probe workers), under its own deadline, and its
 * result is not recorded in the window statistics. At most {@value #MAX_IN_FLIGHT} run at once; a
 * search that outlives its deadline keeps its slot until the target returns, so a hung target
 * cannot pile up threads.
 *
 * <pre>{@code
 * OnDemandProbe probes = OnDemandProbe.create(clock);
 * probes.start(subject, OptionalInt.empty(), Duration.ofSeconds(1)).thenAccept(report -> ...);
 * }</pre>
 */
public final class OnDemandProbe implements AutoCloseable {
  /** Searches on demand running at once, over all targets. */
  public static final int MAX_IN_FLIGHT = 2;

  /**
   * What a probe on demand needs of a built target.
   *
   * @param nextQuery the query the continuous schedule sends next (used when the request names
   *     none)
   * @param timeout the probe's configured timeout (the default deadline)
   */
  public record Subject(
      Target target, Dataset dataset, Recall recall, int nextQuery, Duration timeout) {}

  /** Thrown when {@value #MAX_IN_FLIGHT} probes on demand are still running. */
  public static final class BusyException extends Exception {
    private static final long serialVersionUID = 1L;

    BusyException() {
      super(MAX_IN_FLIGHT + " probes on demand are still running; try again when they finished");
    }
  }

  /**
   * What happened.
   *
   * @param outcome {@code ok}, {@code error} or {@code timeout}
   * @param latencySeconds the search alone (NaN when it never returned)
   * @param recall recall@K by K (the probe's K values) against the dataset's ground truth; empty on
   *     failure
   * @param groundTruthIds the dataset's exact nearest neighbours of the query, as many as the
   *     search asked for
   * @param trace what happened, one line per step, each prefixed with the seconds since the start
   */
  public record Report(
      String target,
      String kind,
      String dataset,
      int query,
      int k,
      Duration timeout,
      Instant started,
      String outcome,
      double latencySeconds,
      Optional<String> error,
      List<Long> ids,
      List<Float> scores,
      Map<Integer, Double> recall,
      List<Long> groundTruthIds,
      List<String> trace) {
    public Report {
      ids = List.copyOf(ids);
      scores = List.copyOf(scores);
      recall = Collections.unmodifiableMap(new LinkedHashMap<>(recall));
      groundTruthIds = List.copyOf(groundTruthIds);
      trace = List.copyOf(trace);
    }
  }

  private final Clock clock;
  private final ExecutorService pool;
  private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);

  private OnDemandProbe(Clock clock, ExecutorService pool) {
    this.clock = clock;
    this.pool = pool;
  }

  public static OnDemandProbe create(Clock clock) {
    AtomicInteger n = new AtomicInteger();
    return new OnDemandProbe(
        clock,
        Executors.newFixedThreadPool(
            MAX_IN_FLIGHT,
            r -> {
              Thread t = new Thread(r, "vecwatch-probe-on-demand-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            }));
  }

  /**
   * Starts one probe: checks the target's health, then searches {@code query} (the schedule's next
   * query when empty). The future completes with the report, or with a {@code timeout} report (the
   * trace so far) when {@code timeout} passes first; it never completes exceptionally. Returns at
   * once.
   *
   * @throws IllegalArgumentException when {@code query} is outside the dataset's queries
   * @throws BusyException when {@value #MAX_IN_FLIGHT} probes on demand are still running
   */
  public CompletableFuture<Report> start(Subject s, OptionalInt query, Duration timeout)
      throws BusyException {
    int queries = s.dataset().queries().count();
    int q = query.orElse(s.nextQuery());
    if (q < 0 || q >= queries) {
      throw new IllegalArgumentException(
          "query must be in 0.."
              + (queries - 1)
              + " (dataset "
              + s.dataset().name()
              + " has "
              + queries
              + " queries), got "
              + q);
    }
    if (!inFlight.tryAcquire()) {
      throw new BusyException();
    }
    Trace trace = new Trace(clock);
    Parts parts =
        new Parts(
            s.target(),
            s,
            q,
            s.recall().searchK(),
            timeout,
            Instant.ofEpochMilli(clock.wallMillis()));
    long deadline = clock.monotonicNanos() + timeout.toNanos();
    CompletableFuture<Report> done = new CompletableFuture<>();
    try {
      pool.execute(
          () -> {
            try {
              done.complete(probe(parts, trace, deadline));
            } finally {
              inFlight.release(); // only now: a hung target keeps its slot
            }
          });
    } catch (RuntimeException e) {
      inFlight.release();
      throw new BusyException();
    }
    return done.completeOnTimeout(null, timeout.toNanos(), TimeUnit.NANOSECONDS)
        .thenApply(
            r -> {
              if (r != null) {
                return r;
              }
              trace.add(
                  "Deadline of %s exceeded; the search keeps its slot until the target returns",
                  Durations.format(timeout));
              trace.add("Probe failed");
              return parts.failed(
                  "timeout", "no answer within " + Durations.format(timeout), trace.lines());
            });
  }

  private Report probe(Parts p, Trace trace, long deadline) {
    Target target = p.target();
    Subject s = p.s();
    trace.add(
        "Beginning probe target=%s kind=%s dataset=%s query=%d k=%d timeout=%s",
        target.name(),
        target.kind(),
        s.dataset().name(),
        p.q(),
        p.k(),
        Durations.format(p.timeout()));
    try {
      trace.add("Checking the connection (health check)");
      Health h = target.health();
      trace.add(
          h.healthy()
              ? "Target reports healthy"
              : "Target reports unhealthy: " + String.join("; ", h.reasons()));
      long left = deadline - clock.monotonicNanos();
      if (left <= 0) {
        throw new TimeoutException("the health check used up the deadline");
      }
      float[] vector = s.dataset().queries().row(p.q());
      trace.add(
          "Sending search request: %d-dimensional vector, top %d, %s left before the deadline",
          vector.length, p.k(), Durations.format(Duration.ofNanos(left)));
      long t0 = clock.monotonicNanos();
      SearchResult result = target.search(vector, p.k());
      double latency = (clock.monotonicNanos() - t0) / 1e9;
      trace.add("Search returned %d ids in %s", result.size(), millis(latency));
      int[] ks = s.recall().ks();
      double[] perK = new double[ks.length];
      s.recall().compute(p.q(), result.ids(), perK, null);
      Map<Integer, Double> recall = new LinkedHashMap<>();
      for (int i = 0; i < ks.length; i++) {
        recall.put(ks[i], perK[i]);
        trace.add(
            "Recall@%d = %s (%d of the %d exact nearest neighbours returned)",
            ks[i], ratio(perK[i]), Math.round(perK[i] * ks[i]), ks[i]);
      }
      if (clock.monotonicNanos() > deadline) {
        trace.add("Search returned after the deadline of %s", Durations.format(p.timeout()));
        trace.add("Probe failed");
        return p.failed(
            "timeout", "no answer within " + Durations.format(p.timeout()), trace.lines());
      }
      trace.add("Probe succeeded");
      return p.ok(latency, result, recall, trace.lines());
    } catch (Exception | LinkageError | AssertionError e) {
      String message = Errors.describe(e);
      trace.add("Error: %s", message);
      trace.add("Probe failed");
      return p.failed(e instanceof TimeoutException ? "timeout" : "error", message, trace.lines());
    }
  }

  private static String millis(double s) {
    return String.format(Locale.ROOT, "%.3fms", s * 1e3);
  }

  private static String ratio(double r) {
    return String.format(Locale.ROOT, "%.3f", r);
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }

  /** The fixed parts of a report, and the two ways it ends. */
  private record Parts(Target target, Subject s, int q, int k, Duration timeout, Instant started) {
    Report ok(
        double latency, SearchResult result, Map<Integer, Double> recall, List<String> trace) {
      List<Long> ids = new ArrayList<>(result.size());
      for (long id : result.ids()) {
        ids.add(id);
      }
      List<Float> scores = new ArrayList<>(result.scores().length);
      for (float f : result.scores()) {
        scores.add(f);
      }
      return new Report(
          target.name(),
          target.kind(),
          s.dataset().name(),
          q,
          k,
          timeout,
          started,
          "ok",
          latency,
          Optional.empty(),
          ids,
          scores,
          recall,
          groundTruth(),
          trace);
    }

    Report failed(String outcome, String error, List<String> trace) {
      return new Report(
          target.name(),
          target.kind(),
          s.dataset().name(),
          q,
          k,
          timeout,
          started,
          outcome,
          Double.NaN,
          Optional.of(error),
          List.of(),
          List.of(),
          Map.of(),
          groundTruth(),
          trace);
    }

    private List<Long> groundTruth() {
      int[] gt = s.dataset().groundTruth(q);
      List<Long> out = new ArrayList<>(Math.min(k, gt.length));
      for (int i = 0; i < Math.min(k, gt.length); i++) {
        out.add(s.dataset().keyOf(gt[i]));
      }
      return out;
    }
  }

  /** Lines prefixed with the seconds since the probe began. */
  private static final class Trace {
    private final Clock clock;
    private final long t0;
    private final List<String> lines = new ArrayList<>(); // guarded by this

    Trace(Clock clock) {
      this.clock = clock;
      this.t0 = clock.monotonicNanos();
    }

    synchronized void add(String format, Object... args) {
      double at = (clock.monotonicNanos() - t0) / 1e9;
      lines.add(
          String.format(
              Locale.ROOT,
              "+%.3fs %s",
              at,
              args.length == 0 ? format : String.format(Locale.ROOT, format, args)));
    }

    synchronized List<String> lines() {
      return List.copyOf(lines);
    }
  }
}
