package io.vecwatch.bench;

import io.vecwatch.config.ProbeConfig;
import io.vecwatch.config.TargetConfig;
import io.vecwatch.dataset.Dataset;
import io.vecwatch.metrics.AgentMetrics;
import io.vecwatch.metrics.SnapshotCache;
import io.vecwatch.probe.Recall;
import io.vecwatch.stats.ProbeStats;
import io.vecwatch.target.FlatTarget;
import io.vecwatch.testing.TestDatasets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost of recording one probe result on the hot path: reading the clock twice (the timing),
 * computing recall against the ground truth, and recording into the sliding window, the lifetime
 * counters and the Micrometer latency histogram. Results look like an approximate index's: 90% of
 * the ids are right.
 *
 * <p>Run: {@code ./mvnw -B -o -pl agent -Pbench test-compile exec:exec -Dbench.args="ProbeRecord -f
 * 1 -wi 2 -i 3"}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class ProbeRecordBenchmark {
  private static final int QUERIES = 64;

  private Dataset dataset;
  private long[][] results;
  private Recall recall10;
  private Recall recall100;
  private Recall recall10And100;
  private ProbeStats stats1;
  private ProbeStats stats2;
  private AgentMetrics metrics;
  private int next;

  @Setup(Level.Trial)
  public void setUp() {
    dataset = TestDatasets.random("bench", 5000, 128, QUERIES, 100, 1, null);
    Random rnd = new Random(2);
    results = new long[QUERIES][];
    for (int q = 0; q < QUERIES; q++) {
      long[] r = new long[100];
      for (int i = 0; i < 100; i++) {
        // every tenth neighbour is a wrong (but real) entity: recall 0.9, and the distance variant
        // has work
        r[i] = i % 10 == 9 ? 4000 + rnd.nextInt(1000) : dataset.keyOf(dataset.groundTruth(q)[i]);
      }
      results[q] = r;
    }
    recall10 = Recall.of(dataset, List.of(10));
    recall100 = Recall.of(dataset, List.of(100));
    recall10And100 = Recall.of(dataset, List.of(10, 100));
    metrics = AgentMetrics.create(new SnapshotCache());
    TargetConfig t =
        new TargetConfig("t", "flat", Optional.of("bench"), Map.of(), new FlatTarget.Settings());
    ProbeConfig p1 =
        new ProbeConfig(
            "t",
            "bench",
            5,
            4,
            Duration.ofSeconds(1),
            List.of(10),
            Duration.ofSeconds(60),
            Duration.ofSeconds(5));
    ProbeConfig p2 =
        new ProbeConfig(
            "t",
            "bench2",
            5,
            4,
            Duration.ofSeconds(1),
            List.of(10, 100),
            Duration.ofSeconds(60),
            Duration.ofSeconds(5));
    stats1 =
        ProbeStats.create(
            "t",
            "bench",
            List.of(10),
            Duration.ofSeconds(60),
            System.nanoTime(),
            metrics.latencyRecorder(t, p1));
    stats2 =
        ProbeStats.create(
            "t",
            "bench2",
            List.of(10, 100),
            Duration.ofSeconds(60),
            System.nanoTime(),
            metrics.latencyRecorder(t, p2));
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    metrics.close();
  }

  private int query() {
    int q = next;
    next = (q + 1) % QUERIES;
    return q;
  }

  /** Baseline: the two clock reads every result costs anyway. */
  @Benchmark
  public long timingOnly() {
    long start = System.nanoTime();
    return System.nanoTime() - start;
  }

  /** Timing + window + counters + Micrometer histogram, without recall. */
  @Benchmark
  public long recordWithoutRecall() {
    long start = System.nanoTime();
    long end = System.nanoTime();
    stats1.recordOk(end, end - start + 1_000_000, null, null);
    return end;
  }

  /** Recall@100 alone (id formula), to see the share of the recall computation. */
  @Benchmark
  public double recallOnlyK100() {
    int q = query();
    double[] ids = new double[1];
    recall100.compute(q, results[q], ids, null);
    return ids[0];
  }

  /** The full path with recall@10, id formula only. */
  @Benchmark
  public long recordK10() {
    return record(recall10, stats1, 1, false);
  }

  /** The full path with recall@100, id formula only. */
  @Benchmark
  public long recordK100() {
    return record(recall100, stats1, 1, false);
  }

  /** The full path with recall@10, id and distance formulas. */
  @Benchmark
  public long recordK10WithDistance() {
    return record(recall10, stats1, 1, true);
  }

  /**
   * The full path with recall@100, id and distance formulas (10 misses: 10 distance computations,
   * dim 128).
   */
  @Benchmark
  public long recordK100WithDistance() {
    return record(recall100, stats1, 1, true);
  }

  /** What the demo does per result: K = 10 and 100, both formulas. */
  @Benchmark
  public long recordK10And100WithDistance() {
    return record(recall10And100, stats2, 2, true);
  }

  private long record(Recall recall, ProbeStats stats, int ks, boolean distance) {
    long start = System.nanoTime();
    int q = query();
    long end = System.nanoTime();
    double[] ids = new double[ks];
    double[] dist = distance ? new double[ks] : null;
    recall.compute(q, results[q], ids, dist);
    stats.recordOk(end, end - start + 1_000_000, ids, dist);
    return end;
  }
}
