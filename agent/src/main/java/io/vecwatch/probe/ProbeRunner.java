package io.vecwatch.probe;

import io.vecwatch.concurrent.Scheduler;
import io.vecwatch.config.ProbeConfig;
import io.vecwatch.dataset.Dataset;
import io.vecwatch.stats.ProbeStats;
import io.vecwatch.target.SearchResult;
import io.vecwatch.target.Target;
import io.vecwatch.time.Clock;
import io.vecwatch.time.Durations;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Sends canary searches for one probe (one target, one dataset) on an open-loop schedule and
 * records each outcome.
 *
 * <ul>
 *   <li>Slot {@code i} is intended to start at {@code start + i / rate} and searches query {@code i
 *       mod Q}.
 *   <li>At most {@code concurrency} searches are in flight (running on the target). A slot that
 *       finds none free is counted as skipped; nothing queues up.
 *   <li>Each search's deadline is its intended start + {@code timeout}. If it has not returned by
 *       then it is recorded as a timeout at the deadline and its late result is discarded; it keeps
 *       its in-flight slot until the target actually returns. A slot dispatched after its deadline
 *       (the agent itself stalled) is recorded as a timeout without being sent.
 *   <li>Latency is measured from the intended start, so the agent's or the target's stalls are not
 *       hidden.
 * </ul>
 *
 * <p>The scheduler thread only dispatches; searches run on the target's {@link WorkerPool}.
 * Recording is non-blocking. Thread-safety: {@link #tick()} runs on the scheduler only; attempts
 * finish on any thread.
 */
public final class ProbeRunner {
  private final Target target;
  private final Dataset dataset;
  private final ProbeStats stats;
  private final TargetStatus status;
  private final Executor pool;
  private final Scheduler scheduler;
  private final Clock clock;
  private final ProbeRecorder recorder;
  private final long timeoutNanos;
  private final double rate;
  private final int searchK;
  private final int concurrency;
  private final Semaphore permits;
  private volatile boolean stopped;
  private volatile Scheduler.Cancellable nextTick;
  private volatile int nextQuery; // for probes on demand: the query the schedule sends next
  // confined to the scheduler thread
  private OpenLoopSchedule schedule;
  private long nextSlot;

  private ProbeRunner(
      ProbeConfig config,
      Target target,
      Dataset dataset,
      Recall recall,
      ProbeStats stats,
      TargetStatus status,
      Executor pool,
      Scheduler scheduler,
      Clock clock,
      ProbeListener listener,
      ResultHandler results) {
    this.recorder = ProbeRecorder.create(target, dataset, recall, stats, status, listener, results);
    this.target = target;
    this.dataset = dataset;
    this.stats = stats;
    this.status = status;
    this.pool = pool;
    this.scheduler = scheduler;
    this.clock = clock;
    this.timeoutNanos = config.timeout().toNanos();
    this.rate = config.rate();
    this.searchK = recall.searchK();
    this.concurrency = config.concurrency();
    this.permits = new Semaphore(concurrency);
  }

  /**
   * @param recall built from {@code dataset} with the probe's K values (so K was checked against
   *     the ground-truth depth before anything runs)
   * @param pool the target's worker pool
   */
  public static ProbeRunner create(
      ProbeConfig config,
      Target target,
      Dataset dataset,
      Recall recall,
      ProbeStats stats,
      TargetStatus status,
      Executor pool,
      Scheduler scheduler,
      Clock clock) {
    return create(
        config, target, dataset, recall, stats, status, pool, scheduler, clock, ProbeListener.NONE);
  }

  /**
   * @param listener told about every finished search (tracing, event log); called on the recording
   *     thread, its scope around the latency record (see {@link ProbeListener})
   */
  public static ProbeRunner create(
      ProbeConfig config,
      Target target,
      Dataset dataset,
      Recall recall,
      ProbeStats stats,
      TargetStatus status,
      Executor pool,
      Scheduler scheduler,
      Clock clock,
      ProbeListener listener) {
    return create(
        config,
        target,
        dataset,
        recall,
        stats,
        status,
        pool,
        scheduler,
        clock,
        listener,
        ResultHandler.NONE);
  }

  /**
   * @param results also told about every search recorded as successful, with its slot (migration
   *     checks pair the results of two runners that share a schedule by slot)
   */
  public static ProbeRunner create(
      ProbeConfig config,
      Target target,
      Dataset dataset,
      Recall recall,
      ProbeStats stats,
      TargetStatus status,
      Executor pool,
      Scheduler scheduler,
      Clock clock,
      ProbeListener listener,
      ResultHandler results) {
    if (dataset.queries().count() == 0) {
      throw new IllegalArgumentException("dataset " + dataset.name() + " has no queries");
    }
    if (config.timeout().isZero() || config.timeout().isNegative()) {
      throw new IllegalArgumentException("timeout must be positive");
    }
    return new ProbeRunner(
        config, target, dataset, recall, stats, status, pool, scheduler, clock, listener, results);
  }

  /**
   * Told about each search recorded as successful, on the thread that recorded it; must not block
   * or throw.
   */
  @FunctionalInterface
  public interface ResultHandler {
    ResultHandler NONE = (slot, query, result, latencyNanos) -> {};

    /**
     * @param slot the schedule slot (0-based): runners started at the same time with the same rate
     *     send slot {@code i} at the same moment with the same query
     */
    void onResult(long slot, int query, SearchResult result, long latencyNanos);
  }

  /** Starts the schedule now; the first slot is due at once. */
  public void start() {
    start(clock.monotonicNanos());
  }

  /**
   * Starts the schedule with slot 0 intended at {@code startNanos} (monotonic); runners given the
   * same start and rate send each slot at the same moment.
   */
  public void start(long startNanos) {
    long now = startNanos;
    nextTick =
        scheduler.schedule(
            () -> {
              schedule = OpenLoopSchedule.of(now, rate);
              tick();
            },
            0);
  }

  /** Sends nothing more; searches in flight finish on their own (or time out). */
  public void stop() {
    stopped = true;
    Scheduler.Cancellable t = nextTick;
    if (t != null) {
      t.cancel();
    }
  }

  /** The dataset query the schedule sends next. */
  public int nextQuery() {
    return nextQuery;
  }

  /** Searches currently running on the target. */
  public int inFlight() {
    return concurrency - permits.availablePermits();
  }

  private void tick() {
    if (stopped) {
      return;
    }
    long now = clock.monotonicNanos();
    try {
      long due = schedule.firstSlotAfter(now);
      for (; nextSlot < due; nextSlot++) {
        dispatch(nextSlot, schedule.intendedStart(nextSlot), now);
      }
      nextQuery = (int) (nextSlot % dataset.queries().count());
    } finally {
      if (!stopped) {
        nextTick = scheduler.schedule(this::tick, schedule.intendedStart(nextSlot) - now);
      }
    }
  }

  private void dispatch(long slot, long intended, long now) {
    long deadline = intended + timeoutNanos;
    if (now >= deadline) {
      stats.recordTimeout(deadline);
      status.observed();
      failed(ProbeObservation.Outcome.TIMEOUT, timeoutNanos, null);
      return;
    }
    if (!permits.tryAcquire()) {
      stats.recordSkipped(now);
      return;
    }
    Attempt a = new Attempt(slot, (int) (slot % dataset.queries().count()), intended, deadline);
    a.deadlineTask = scheduler.schedule(a::onDeadline, deadline - now);
    try {
      pool.execute(a);
    } catch (RejectedExecutionException e) {
      permits.release();
      a.deadlineTask.cancel();
      if (a.done.compareAndSet(false, true)) {
        stats.recordError(now);
        status.error("worker pool full", clock.wallMillis());
        status.observed();
        failed(ProbeObservation.Outcome.ERROR, now - intended, e);
      }
    }
  }

  /**
   * Tells the listener about a failed search; the listener never throws (see {@link
   * ProbeListener}).
   */
  private void failed(ProbeObservation.Outcome outcome, long latencyNanos, Throwable error) {
    Throwable e =
        error != null
            ? error
            : new TimeoutException(
                "no answer within " + Durations.format(Duration.ofNanos(timeoutNanos)));
    recorder.failed(outcome, latencyNanos, e);
  }

  /** One search: recorded exactly once, by whichever of completion or deadline comes first. */
  private final class Attempt implements Runnable {
    final long slot;
    final int query;
    final long intended;
    final long deadline;
    final AtomicBoolean done = new AtomicBoolean();
    volatile Scheduler.Cancellable deadlineTask;

    Attempt(long slot, int query, long intended, long deadline) {
      this.slot = slot;
      this.query = query;
      this.intended = intended;
      this.deadline = deadline;
    }

    @Override
    public void run() {
      try {
        if (done.get()) {
          return; // waited in the pool's queue past its deadline: already recorded, not worth
          // sending
        }
        long started = clock.monotonicNanos();
        stats.recordLag(started - intended);
        SearchResult result;
        try {
          result = target.search(dataset.queries().row(query), searchK);
        } catch (Exception | LinkageError | AssertionError e) {
          long end = clock.monotonicNanos();
          if (end < deadline && done.compareAndSet(false, true)) {
            cancelDeadline();
            // a target whose own call deadline passed first (Milvus call_timeout) timed out, it did
            // not fail
            if (e instanceof TimeoutException) {
              stats.recordTimeout(end);
            } else {
              stats.recordError(end);
            }
            status.error(TargetStatus.describe(e), clock.wallMillis());
            status.observed();
            failed(ProbeObservation.Outcome.ERROR, end - intended, e);
          } else {
            onDeadline();
          }
          return;
        }
        long end = clock.monotonicNanos();
        if (end > deadline) {
          onDeadline(); // the deadline task may not have run yet; the result is late either way
          return;
        }
        if (done.compareAndSet(false, true)) {
          cancelDeadline();
          recorder.ok(slot, query, result, end, end - intended);
        }
      } finally {
        permits.release();
      }
    }

    void onDeadline() {
      if (done.compareAndSet(false, true)) {
        stats.recordTimeout(deadline);
        status.observed();
        failed(ProbeObservation.Outcome.TIMEOUT, timeoutNanos, null);
      }
    }

    private void cancelDeadline() {
      Scheduler.Cancellable t = deadlineTask;
      if (t != null) {
        t.cancel();
      }
    }
  }
}
