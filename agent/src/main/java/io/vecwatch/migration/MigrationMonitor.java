package io.vecwatch.migration;

import io.vecwatch.concurrent.Scheduler;
import io.vecwatch.config.MigrationConfig;
import io.vecwatch.config.ProbeConfig;
import io.vecwatch.dataset.Dataset;
import io.vecwatch.errors.Errors;
import io.vecwatch.probe.ProbeListener;
import io.vecwatch.probe.ProbeRunner;
import io.vecwatch.probe.Recall;
import io.vecwatch.probe.TargetStatus;
import io.vecwatch.stats.LatencyQuantiles;
import io.vecwatch.stats.ProbeSnapshot;
import io.vecwatch.stats.ProbeStats;
import io.vecwatch.stats.ProbeWindowStats;
import io.vecwatch.stats.RecallWindow;
import io.vecwatch.stats.SlidingWindow;
import io.vecwatch.target.RecordReader;
import io.vecwatch.target.SearchResult;
import io.vecwatch.target.Target;
import io.vecwatch.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Watches one migration: paired queries, count parity and record parity between its two targets.
 *
 * <p><b>Paired queries.</b> One {@link ProbeRunner} per side, both started at the same instant with
 * the same rate, so slot {@code i} sends query {@code i mod Q} to both sides at the same intended
 * moment, each on its own target's worker pool with the migration's concurrency and deadline (open
 * loop, skips counted, latency from the intended start). Successful results are joined by slot
 * ({@link PairJoin}); each pair adds overlap@K, the relative score difference and both latencies to
 * sliding windows ({@link SlidingWindow}). Each side's recall@K against the ground truth comes from
 * its own {@link ProbeStats}.
 *
 * <p><b>Counts</b> are read from both sides at the same moment every {@code count_interval};
 * <b>records</b> every {@code records.interval}: {@code sample_size} keys drawn from the source,
 * read from both. At most one count and one record round are in flight; a round still running when
 * the next is due makes that one skip.
 */
public final class MigrationMonitor {
  /** A built side: its target and the worker pool its blocking calls run on. */
  public record Endpoint(Target target, Executor pool) {}

  private final MigrationConfig config;
  private final Clock clock;
  private final Random random;
  private final int[] ks;
  private final ProbeStats sourceStats;
  private final ProbeStats destinationStats;
  private final TargetStatus sourceStatus = new TargetStatus();
  private final TargetStatus destinationStatus = new TargetStatus();
  private final SlidingWindow pairedSource;
  private final SlidingWindow pairedDestination;
  private final SlidingWindow scores;
  private final PairJoin join;
  private final CountParity counts;
  private final RecordParity records;
  private final AtomicBoolean countInFlight = new AtomicBoolean();
  private final AtomicBoolean recordInFlight = new AtomicBoolean();
  private volatile String state = "starting";
  private volatile Optional<String> problem = Optional.empty();
  private volatile Optional<String> recordsUnavailable = Optional.empty();
  private volatile Optional<String> lastCountError = Optional.empty();
  private volatile Optional<String> lastRecordError = Optional.empty();
  private volatile boolean stopped;
  // guarded by this
  private final List<ProbeRunner> runners = new ArrayList<>();
  private final List<Scheduler.Cancellable> tasks = new ArrayList<>();

  private MigrationMonitor(MigrationConfig config, Clock clock, Random random) {
    this.config = config;
    this.clock = clock;
    this.random = random;
    this.ks = config.overlapK().stream().mapToInt(Integer::intValue).toArray();
    long now = clock.monotonicNanos();
    this.sourceStats =
        ProbeStats.create(
            config.source(),
            config.dataset(),
            config.overlapK(),
            config.window(),
            now,
            nanos -> {});
    this.destinationStats =
        ProbeStats.create(
            config.destination(),
            config.dataset(),
            config.overlapK(),
            config.window(),
            now,
            nanos -> {});
    this.pairedSource = SlidingWindow.create(config.window(), ks.length, now);
    this.pairedDestination = SlidingWindow.create(config.window(), 0, now);
    this.scores = SlidingWindow.create(config.window(), 1, now);
    this.join =
        new PairJoin(
            PairJoin.capacityFor(config.rate(), config.timeout().toNanos(), config.concurrency()),
            this::paired);
    this.counts =
        new CountParity(
            config.window().toNanos(),
            CountParity.capacityFor(config.window().toNanos(), config.countInterval().toNanos()));
    this.records = new RecordParity(config.records().windowSamples(), config.records().tolerance());
  }

  /**
   * @param random draws the keys of record sampling
   */
  public static MigrationMonitor create(MigrationConfig config, Clock clock, Random random) {
    return new MigrationMonitor(config, clock, random);
  }

  public MigrationConfig config() {
    return config;
  }

  /**
   * Searches of one side per migration at most in flight: what the side's worker pool must have
   * room for.
   */
  public int concurrency() {
    return config.concurrency();
  }

  /** It cannot run (a side or its dataset could not be built); {@code message} says why. */
  public void misconfigured(String message) {
    state = "misconfigured";
    problem = Optional.of(message);
  }

  /**
   * Starts paired queries, count and record checks. The dataset's ground truth must cover the
   * largest overlap K (else the migration is marked misconfigured and nothing runs).
   */
  public synchronized void start(
      Endpoint source, Endpoint destination, Dataset dataset, Scheduler scheduler) {
    if (stopped || !runners.isEmpty()) {
      return;
    }
    Recall recall;
    try {
      recall = Recall.of(dataset, config.overlapK());
    } catch (IllegalArgumentException e) {
      misconfigured("overlap_k: " + e.getMessage());
      return;
    }
    ProbeConfig probe =
        new ProbeConfig(
            config.source(),
            dataset.name(),
            config.rate(),
            config.concurrency(),
            config.timeout(),
            config.overlapK(),
            config.window(),
            ProbeConfig.DEFAULT_HEALTH_INTERVAL);
    runners.add(
        ProbeRunner.create(
            probe,
            source.target(),
            dataset,
            recall,
            sourceStats,
            sourceStatus,
            source.pool(),
            scheduler,
            clock,
            ProbeListener.NONE,
            (slot, query, result, latency) -> join.offer(true, slot, query, result, latency)));
    runners.add(
        ProbeRunner.create(
            probe,
            destination.target(),
            dataset,
            recall,
            destinationStats,
            destinationStatus,
            destination.pool(),
            scheduler,
            clock,
            ProbeListener.NONE,
            (slot, query, result, latency) -> join.offer(false, slot, query, result, latency)));
    Optional<RecordReader> sourceRecords = RecordReader.of(source.target());
    Optional<RecordReader> destinationRecords = RecordReader.of(destination.target());
    if (sourceRecords.isEmpty() || destinationRecords.isEmpty()) {
      Target t = sourceRecords.isEmpty() ? source.target() : destination.target();
      recordsUnavailable =
          Optional.of("target " + t.name() + " (kind " + t.kind() + ") cannot read records by key");
    }
    long start = clock.monotonicNanos();
    for (SlidingWindow w : List.of(pairedSource, pairedDestination, scores)) {
      w.restartAt(start);
    }
    sourceStats.started(start);
    destinationStats.started(start);
    state = "running";
    runners.forEach(r -> r.start(start));
    every(scheduler, config.countInterval().toNanos(), () -> pollCounts(source, destination));
    if (recordsUnavailable.isEmpty()) {
      every(
          scheduler,
          config.records().interval().toNanos(),
          () -> sampleRecords(source, sourceRecords.get(), destination, destinationRecords.get()));
    }
  }

  /** Runs {@code task} now and then every {@code periodNanos} until stopped. */
  private void every(Scheduler scheduler, long periodNanos, Runnable task) {
    Scheduler.Cancellable[] next = new Scheduler.Cancellable[1];
    Runnable[] self = new Runnable[1];
    self[0] =
        () -> {
          if (stopped) {
            return;
          }
          try {
            task.run();
          } finally {
            synchronized (this) {
              if (!stopped) {
                next[0] = scheduler.schedule(self[0], periodNanos);
              }
            }
          }
        };
    next[0] = scheduler.schedule(self[0], 0);
    tasks.add(
        () -> {
          synchronized (this) {
            next[0].cancel();
          }
        });
  }

  /** Stops sending; searches and rounds in flight end on their own. */
  public synchronized void stop() {
    stopped = true;
    runners.forEach(ProbeRunner::stop);
    tasks.forEach(Scheduler.Cancellable::cancel);
    tasks.clear();
  }

  private void paired(
      int query,
      SearchResult source,
      long sourceLatency,
      SearchResult destination,
      long destinationLatency) {
    long now = clock.monotonicNanos();
    double[] overlap = new double[ks.length];
    Agreement.overlap(source, destination, ks, overlap);
    pairedSource.recordOk(now, sourceLatency, overlap, null);
    pairedDestination.recordOk(now, destinationLatency, null, null);
    double diff = Agreement.relativeScoreDifference(source, destination, ks[ks.length - 1]);
    if (!Double.isNaN(diff)) {
      scores.recordOk(now, 1, new double[] {diff}, null);
    }
  }

  private void pollCounts(Endpoint source, Endpoint destination) {
    if (!countInFlight.compareAndSet(false, true)) {
      return;
    }
    long at = clock.monotonicNanos();
    CompletableFuture<Long> a = on(source.pool(), source.target()::entityCount);
    CompletableFuture<Long> b = on(destination.pool(), destination.target()::entityCount);
    a.thenCombine(
            b,
            (x, y) -> {
              if (x >= 0 && y >= 0) {
                counts.record(at, x, y);
              }
              return null;
            })
        .whenComplete(
            (v, e) -> {
              lastCountError =
                  e == null
                      ? Optional.empty()
                      : Optional.of("entity count: " + Errors.describe(cause(e)));
              countInFlight.set(false);
            });
  }

  private void sampleRecords(
      Endpoint source,
      RecordReader sourceRecords,
      Endpoint destination,
      RecordReader destinationRecords) {
    if (!recordInFlight.compareAndSet(false, true)) {
      return;
    }
    int n = config.records().sampleSize();
    on(
            source.pool(),
            () -> {
              long[] keys = sourceRecords.sampleKeys(n, random);
              return new Object[] {keys, sourceRecords.vectors(keys)};
            })
        .thenCompose(
            got ->
                on(
                    destination.pool(),
                    () -> {
                      float[][] theirs = destinationRecords.vectors((long[]) got[0]);
                      records.compare((float[][]) got[1], theirs);
                      return null;
                    }))
        .whenComplete(
            (v, e) -> {
              lastRecordError =
                  e == null
                      ? Optional.empty()
                      : Optional.of("records: " + Errors.describe(cause(e)));
              recordInFlight.set(false);
            });
  }

  private static <T> CompletableFuture<T> on(Executor pool, Callable<T> call) {
    CompletableFuture<T> f = new CompletableFuture<>();
    try {
      pool.execute(
          () -> {
            try {
              f.complete(call.call());
            } catch (Exception | LinkageError | AssertionError e) {
              f.completeExceptionally(e);
            }
          });
    } catch (RejectedExecutionException e) {
      f.completeExceptionally(e);
    }
    return f;
  }

  private static Throwable cause(Throwable e) {
    return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
  }

  /** Pairs since start. */
  public long pairsTotal() {
    return join.pairs();
  }

  /** The numbers over the window ending at {@code nowNanos}. */
  public MigrationSnapshot snapshot(long nowNanos) {
    ProbeWindowStats paired = pairedSource.stats(nowNanos, ks);
    ProbeWindowStats pairedDest = pairedDestination.stats(nowNanos, new int[0]);
    ProbeWindowStats scoreStats = scores.stats(nowNanos, new int[] {0});
    List<MigrationSnapshot.Overlap> overlap = new ArrayList<>();
    for (RecallWindow r : paired.recall()) {
      overlap.add(new MigrationSnapshot.Overlap(r.k(), r.mean()));
    }
    LatencyQuantiles s = paired.latency();
    LatencyQuantiles d = pairedDest.latency();
    CountParity.Reading c = counts.read(nowNanos);
    RecordParity.Reading r = records.read();
    Optional<String> unavailable = recordsUnavailable;
    return new MigrationSnapshot(
        config.name(),
        config.source(),
        config.destination(),
        config.dataset(),
        state,
        problem.or(() -> lastCountError).or(() -> lastRecordError),
        paired.window(),
        paired.covered(),
        paired.ok(),
        join.pairs(),
        join.unpaired(),
        overlap,
        scoreStats.recall().get(0).mean(),
        side(sourceStats.snapshot(nowNanos), s, sourceStatus),
        side(destinationStats.snapshot(nowNanos), d, destinationStatus),
        new MigrationSnapshot.LatencyRatio(d.p50() / s.p50(), d.p95() / s.p95(), d.p99() / s.p99()),
        new MigrationSnapshot.Counts(
            c.samples(),
            c.source(),
            c.destination(),
            c.difference(),
            c.sourceGrowthPerSecond(),
            c.destinationGrowthPerSecond()),
        new MigrationSnapshot.Records(
            r.sampled(),
            r.missing(),
            r.mismatched(),
            r.missingRatio(),
            r.mismatchedRatio(),
            r.sampledTotal(),
            unavailable));
  }

  private static MigrationSnapshot.Side side(
      ProbeSnapshot p, LatencyQuantiles paired, TargetStatus status) {
    ProbeWindowStats w = p.window();
    return new MigrationSnapshot.Side(
        p.target(), w.recall(), paired, w.ok(), w.errors(), w.timeouts(), status.lastError());
  }
}
