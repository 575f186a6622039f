package io.vecwatch.loadtest;

import java.time.Duration;
import java.util.List;

/**
 * How {@code vecwatch bench load} sweeps one target. Immutable; {@link #defaults()} then the {@code
 * with...} copies.
 *
 * @param levels closed-loop concurrency levels, in order
 * @param warmup per step, sent but not measured
 * @param firstWarmup once before the first step, sent but not measured: the client's code paths
 *     (the JVM compiles them during the first thousands of searches) and the target's caches warm
 *     up, so the first step is not measured cold
 * @param step measured time per step
 * @param openWorkers threads serving the open-loop arrivals (searches in flight at most)
 * @param startRate first open-loop rate; 0 to start at half the best closed-loop rate
 * @param growth factor between open-loop rates until the objective breaks
 * @param precision the capacity search stops when the rate that broke is within this share above
 *     the one that held
 * @param maxRate no open-loop step offers more than this (requests per second)
 * @param maxDuration the whole run stops after this
 * @param requestBudget the whole run sends at most this many searches
 * @param parameter the search parameter to sweep ({@code ef}, {@code nprobe}); empty to pick the
 *     target's own, if any
 * @param values its values; empty for the defaults of that parameter
 * @param paramConcurrency closed-loop concurrency of the parameter sweep; 0 for the level with the
 *     best QPS
 * @param phases which parts run: {@code closed}, {@code open}, {@code params}
 */
public record LoadSettings(
    List<Integer> levels,
    Duration warmup,
    Duration firstWarmup,
    Duration step,
    int openWorkers,
    double startRate,
    double growth,
    double precision,
    double maxRate,
    Duration maxDuration,
    long requestBudget,
    String parameter,
    List<Integer> values,
    int paramConcurrency,
    List<String> phases) {

  public static final List<Integer> DEFAULT_LEVELS = List.of(1, 5, 10, 20, 40, 80);
  public static final List<Integer> DEFAULT_EF = List.of(10, 16, 32, 64, 128, 256, 512);
  public static final List<Integer> DEFAULT_NPROBE = List.of(1, 2, 4, 8, 16, 32, 64, 128);
  public static final List<String> ALL_PHASES = List.of("closed", "open", "params");

  public LoadSettings {
    levels = List.copyOf(levels);
    values = List.copyOf(values);
    phases = List.copyOf(phases);
  }

  public static LoadSettings defaults() {
    return new LoadSettings(
        DEFAULT_LEVELS,
        Duration.ofSeconds(2),
        Duration.ofSeconds(10),
        Duration.ofSeconds(10),
        256,
        0,
        1.5,
        0.05,
        100_000,
        Duration.ofMinutes(30),
        10_000_000,
        "",
        List.of(),
        0,
        ALL_PHASES);
  }

  public LoadSettings withLevels(List<Integer> l) {
    return new LoadSettings(
        l,
        warmup,
        firstWarmup,
        step,
        openWorkers,
        startRate,
        growth,
        precision,
        maxRate,
        maxDuration,
        requestBudget,
        parameter,
        values,
        paramConcurrency,
        phases);
  }

  public LoadSettings withTiming(Duration w, Duration s) {
    return new LoadSettings(
        levels,
        w,
        firstWarmup,
        s,
        openWorkers,
        startRate,
        growth,
        precision,
        maxRate,
        maxDuration,
        requestBudget,
        parameter,
        values,
        paramConcurrency,
        phases);
  }

  public LoadSettings withFirstWarmup(Duration f) {
    return new LoadSettings(
        levels,
        warmup,
        f,
        step,
        openWorkers,
        startRate,
        growth,
        precision,
        maxRate,
        maxDuration,
        requestBudget,
        parameter,
        values,
        paramConcurrency,
        phases);
  }

  public LoadSettings withOpenLoop(int workers, double start, double grow, double prec) {
    return new LoadSettings(
        levels,
        warmup,
        firstWarmup,
        step,
        workers,
        start,
        grow,
        prec,
        maxRate,
        maxDuration,
        requestBudget,
        parameter,
        values,
        paramConcurrency,
        phases);
  }

  public LoadSettings withGuards(double rate, Duration duration, long budget) {
    return new LoadSettings(
        levels,
        warmup,
        firstWarmup,
        step,
        openWorkers,
        startRate,
        growth,
        precision,
        rate,
        duration,
        budget,
        parameter,
        values,
        paramConcurrency,
        phases);
  }

  public LoadSettings withParameterSweep(String p, List<Integer> v, int concurrency) {
    return new LoadSettings(
        levels,
        warmup,
        firstWarmup,
        step,
        openWorkers,
        startRate,
        growth,
        precision,
        maxRate,
        maxDuration,
        requestBudget,
        p,
        v,
        concurrency,
        phases);
  }

  public LoadSettings withPhases(List<String> p) {
    return new LoadSettings(
        levels,
        warmup,
        firstWarmup,
        step,
        openWorkers,
        startRate,
        growth,
        precision,
        maxRate,
        maxDuration,
        requestBudget,
        parameter,
        values,
        paramConcurrency,
        p);
  }
}
