package io.vecwatch.loadtest;

import io.vecwatch.dataset.Dataset;
import io.vecwatch.probe.Recall;
import io.vecwatch.target.SearchResult;
import io.vecwatch.target.Target;
import io.vecwatch.time.Clock;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Sends one step of load to a target and measures it with the agent's own pieces: the dataset's
 * queries, the probe's {@link Recall} against the dataset's ground truth, and HdrHistogram
 * latencies of successful searches in nanoseconds, as the agent's windows keep them.
 *
 * <ul>
 *   <li>{@link #closed}: {@code concurrency} threads each send the next query as soon as the
 *       previous answers. Latency is from send to answer.
 *   <li>{@link #open}: request {@code i} is intended to start at {@code start + i / rate}; {@code
 *       workers} threads take the next request, wait for its intended start and send it. Latency is
 *       measured from the intended start, so a request that waited for a free worker (or a
 *       late-waking thread) carries that wait: coordinated omission is corrected the way the probe
 *       runner corrects it.
 * </ul>
 *
 * <p>Searches that start during the warm-up are sent but not measured. A search slower than the
 * timeout counts as a timeout (not in the percentiles, as in the agent); a search that throws
 * counts as an error. Queries are taken in dataset order, round-robin over the whole run, so each
 * step sees fresh queries when the dataset has enough.
 */
final class LoadDriver {
  /**
   * A thread that wakes or dispatches later than this after a request's intended start is flagged.
   */
  static final long LATE_NANOS = 1_000_000;

  /** A step is flagged when more than this share of its requests started late. */
  static final double LATE_SHARE = 0.01;

  private final Dataset dataset;
  private final Recall recall;
  private final int searchK;
  private final long timeoutNanos;
  private final Clock clock;
  private final Guard guard;
  private final float[][] queries;
  private final AtomicLong nextQuery = new AtomicLong();
  private final int cores = Runtime.getRuntime().availableProcessors();

  LoadDriver(Dataset dataset, Recall recall, long timeoutNanos, Clock clock, Guard guard) {
    this.dataset = dataset;
    this.recall = recall;
    this.searchK = recall.searchK();
    this.timeoutNanos = timeoutNanos;
    this.clock = clock;
    this.guard = guard;
    int q = dataset.queries().count();
    this.queries = new float[q][];
    for (int i = 0; i < q; i++) {
      queries[i] = dataset.queries().row(i);
    }
  }

  /** The query vectors, in dataset order; searches receive these very arrays. */
  float[][] queryRows() {
    return queries;
  }

  /**
   * A closed-loop step: {@code concurrency} workers back to back for warm-up + measure, worker
   * {@code w} searching through {@code targets.get(w)} (its own connection, or a shared one).
   */
  StepResult closed(
      Mode mode,
      List<Target> targets,
      int concurrency,
      long warmupNanos,
      long measureNanos,
      Map<String, Integer> params)
      throws InterruptedException {
    long cpu0 = processCpuNanos();
    long start = clock.monotonicNanos();
    long from = start + warmupNanos;
    long end = from + measureNanos;
    Tally[] tallies = new Tally[concurrency];
    List<Thread> threads = new ArrayList<>();
    for (int w = 0; w < concurrency; w++) {
      Tally tally = tallies[w] = new Tally(recall.ks().length);
      Target target = targets.get(w % targets.size());
      threads.add(worker(w, () -> closedWorker(target, tally, from, end)));
    }
    threads.forEach(Thread::start);
    join(threads);
    long stop = Math.min(clock.monotonicNanos(), end);
    return result(
        mode,
        concurrency,
        Double.NaN,
        tallies,
        from,
        stop,
        processCpuNanos() - cpu0,
        clock.monotonicNanos() - start,
        params);
  }

  private void closedWorker(Target target, Tally t, long from, long end) {
    long previousEnd = 0;
    while (true) {
      long s = clock.monotonicNanos();
      if (s >= end || !guard.permit()) {
        return;
      }
      int q = nextQuery();
      boolean measured = s >= from;
      if (measured) {
        // the worker's time in the window not spent in a search: since its previous answer, or
        // since the window opened when that answer came before it (or the thread started late)
        t.gapNanos += s - Math.max(previousEnd, from);
      }
      long e;
      try {
        SearchResult r = target.search(queries[q], searchK);
        e = clock.monotonicNanos();
        if (measured) {
          success(t, q, r, e - s);
        }
      } catch (InterruptedException ex) {
        return;
      } catch (Exception ex) {
        e = clock.monotonicNanos();
        if (measured) {
          failure(t, ex);
        }
      }
      if (measured) {
        t.busyNanos += e - s;
      }
      previousEnd = e;
    }
  }

  /**
   * An open-loop step: a constant arrival rate served by up to {@code workers} searches in flight,
   * worker {@code w} searching through {@code targets.get(w)}.
   */
  StepResult open(
      List<Target> targets, double rate, int workers, long warmupNanos, long measureNanos)
      throws InterruptedException {
    long cpu0 = processCpuNanos();
    long start =
        clock.monotonicNanos()
            + 1_000_000; // a little lead so the first arrivals are not already late
    long from = start + warmupNanos;
    long end = from + measureNanos;
    AtomicLong slots = new AtomicLong();
    double interval = 1e9 / rate;
    Tally[] tallies = new Tally[workers];
    List<Thread> threads = new ArrayList<>();
    for (int w = 0; w < workers; w++) {
      Tally tally = tallies[w] = new Tally(recall.ks().length);
      Target target = targets.get(w % targets.size());
      threads.add(worker(w, () -> openWorker(target, tally, slots, start, interval, from, end)));
    }
    threads.forEach(Thread::start);
    join(threads);
    long stop = Math.min(clock.monotonicNanos(), end);
    return result(
        Mode.OPEN,
        workers,
        rate,
        tallies,
        from,
        stop,
        processCpuNanos() - cpu0,
        clock.monotonicNanos() - start,
        Map.of());
  }

  private void openWorker(
      Target target, Tally t, AtomicLong slots, long start, double interval, long from, long end) {
    while (true) {
      long intended = start + Math.round(slots.getAndIncrement() * interval);
      if (intended >= end || guard.stopped()) {
        return;
      }
      long now = clock.monotonicNanos();
      boolean measured = intended >= from;
      if (now < intended) {
        do {
          LockSupport.parkNanos(intended - now);
          if (Thread.currentThread().isInterrupted()) {
            return;
          }
          now = clock.monotonicNanos();
        } while (now < intended);
        if (measured && now - intended > LATE_NANOS) {
          t.lateWake++;
        }
      } else if (measured && now - intended > LATE_NANOS) {
        t.lateDispatch++; // every worker was busy when this request was due
      }
      if (!guard.permit()) {
        return;
      }
      int q = nextQuery();
      try {
        SearchResult r = target.search(queries[q], searchK);
        long e = clock.monotonicNanos();
        if (measured) {
          success(t, q, r, e - intended);
          t.busyNanos += e - now;
        }
      } catch (InterruptedException ex) {
        return;
      } catch (Exception ex) {
        if (measured) {
          failure(t, ex);
        }
      }
    }
  }

  private static Thread worker(int i, Runnable body) {
    Thread t = new Thread(body, "vecwatch-load-" + i);
    t.setDaemon(true);
    return t;
  }

  private int nextQuery() {
    return (int) (nextQuery.getAndIncrement() % queries.length);
  }

  private void success(Tally t, int q, SearchResult r, long latencyNanos) {
    t.measured++;
    if (latencyNanos > timeoutNanos) {
      t.timeouts++;
      return;
    }
    t.ok++;
    t.latency.recordValue(Math.max(1, latencyNanos));
    recall.compute(q, r.ids(), t.scratch, null);
    for (int i = 0; i < t.scratch.length; i++) {
      t.recallSums[i] += t.scratch[i];
    }
  }

  private static void failure(Tally t, Exception e) {
    t.measured++;
    t.errors++;
    t.lastError = e.getClass().getSimpleName() + ": " + e.getMessage();
  }

  private StepResult result(
      Mode mode,
      int concurrency,
      double offered,
      Tally[] tallies,
      long from,
      long stop,
      long cpuNanos,
      long wallNanos,
      Map<String, Integer> params) {
    Tally all = new Tally(recall.ks().length);
    for (Tally t : tallies) {
      all.add(t);
    }
    double seconds = Math.max(1e-9, (stop - from) / 1e9);
    TreeMap<Integer, Double> meanRecall = new TreeMap<>();
    int[] ks = recall.ks();
    for (int i = 0; i < ks.length; i++) {
      meanRecall.put(ks[i], all.ok == 0 ? Double.NaN : all.recallSums[i] / all.ok);
    }
    double cpuCores = wallNanos <= 0 ? 0 : (double) cpuNanos / wallNanos;
    double overhead =
        all.gapNanos + all.busyNanos == 0
            ? 0
            : (double) all.gapNanos / (all.gapNanos + all.busyNanos);
    List<String> limits = new ArrayList<>();
    if (cpuCores >= 0.9 * cores) {
      limits.add(ClientLimit.CPU_SATURATED);
    }
    if (mode != Mode.OPEN && overhead > 0.10) {
      limits.add(ClientLimit.OVERHEAD);
    }
    if (all.measured > 0 && (double) all.lateDispatch / all.measured > LATE_SHARE) {
      limits.add(ClientLimit.WORKERS_BUSY);
    }
    if (all.measured > 0 && (double) all.lateWake / all.measured > LATE_SHARE) {
      limits.add(ClientLimit.SCHEDULE_LAG);
    }
    boolean complete = !guard.stopped();
    return new StepResult(
        mode,
        concurrency,
        offered,
        all.measured / seconds,
        quantile(all, 50),
        quantile(all, 95),
        quantile(all, 99),
        quantile(all, 99.9),
        all.measured,
        all.measured == 0 ? Double.NaN : (double) all.errors / all.measured,
        all.measured == 0 ? Double.NaN : (double) all.timeouts / all.measured,
        meanRecall,
        params,
        seconds,
        limits,
        cpuCores,
        overhead,
        false,
        complete);
  }

  private static double quantile(Tally t, double percentile) {
    return t.latency.getTotalCount() == 0
        ? Double.NaN
        : t.latency.getValueAtPercentile(percentile) / 1e9;
  }

  private static void join(List<Thread> threads) throws InterruptedException {
    try {
      for (Thread t : threads) {
        t.join();
      }
    } catch (InterruptedException e) {
      threads.forEach(Thread::interrupt);
      for (Thread t : threads) {
        t.join(1000);
      }
      throw e;
    }
  }

  /** CPU time of the whole process (the generator, and the target too when it runs in process). */
  static long processCpuNanos() {
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : 0;
  }
}
