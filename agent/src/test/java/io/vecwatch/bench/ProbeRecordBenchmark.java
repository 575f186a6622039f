package io.vecwatch.bench;

import io.vecwatch.config.ConfigLoader;
import io.vecwatch.config.DatasetConfig;
import io.vecwatch.config.ProbeConfig;
import io.vecwatch.config.TargetConfig;
import io.vecwatch.config.VecwatchConfig;
import io.vecwatch.dataset.Dataset;
import io.vecwatch.dataset.load.DatasetLoader;
import io.vecwatch.export.EventLog;
import io.vecwatch.metrics.AgentMetrics;
import io.vecwatch.metrics.SnapshotCache;
import io.vecwatch.probe.ProbeListener;
import io.vecwatch.probe.ProbeRecorder;
import io.vecwatch.probe.ProbeRunner;
import io.vecwatch.probe.Recall;
import io.vecwatch.probe.TargetStatus;
import io.vecwatch.stats.ProbeStats;
import io.vecwatch.target.FlatTarget;
import io.vecwatch.target.LuceneHnswTarget;
import io.vecwatch.target.SearchResult;
import io.vecwatch.target.Target;
import io.vecwatch.target.registry.TargetKinds;
import io.vecwatch.time.Clock;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
 * Cost of recording one probe result in the configuration the embedded demo ships, from the moment
 * the search returned: the clock read of its end, recall@10 and @100 by both formulas (id and
 * distance), the probe runner's hand-off ({@link ProbeRecorder}: the observation, the demo's
 * listener chain, which is the event log, and its scope) and the statistics (sliding window with
 * its latency recorder and recall sums, lifetime counters, the Micrometer latency histogram).
 *
 * <p>Everything is built from the demo's own config ({@code io/vecwatch/demo.yml}): its generated
 * 20k × 128 dataset with 100-deep ground truth, its exact flat target and its Lucene HNSW target (m
 * 8, ef_construction 32, ef_search 16, recall@100 well below 1, so the distance formula has misses
 * to judge). Each target answered every one of the dataset's 200 queries once in the setup; the
 * benchmark records those real results round-robin. Only the search itself is left out.
 *
 * <ul>
 *   <li>{@code recordHnswResult}: the demo's HNSW probe (misses, reported distances used).
 *   <li>{@code recordFlatResult}: the demo's flat probe (exact answers).
 *   <li>{@code recordHnswResultRecomputingDistances}: the HNSW results without their reported
 *       distances, so every miss's distance is recomputed from the base vectors (the alternative).
 *   <li>{@code timingOnly}: the two clock reads every result costs anyway.
 * </ul>
 *
 * <p>Run: {@code ./mvnw -B -o -pl agent -Pbench test-compile exec:exec -Dbench.args="ProbeRecord -f
 * 3 -wi 3 -i 5 -prof gc"}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(3)
public class ProbeRecordBenchmark {
  private final Clock clock = Clock.system();
  private AgentMetrics metrics;
  private Probe hnsw;
  private Probe flat;
  private Probe hnswWithoutDistances;
  private int next;

  /** One of the demo's probes with its recorder and the results its target gave. */
  private static final class Probe {
    final ProbeRecorder recorder;
    final SearchResult[] results;

    Probe(ProbeRecorder recorder, SearchResult[] results) {
      this.recorder = recorder;
      this.results = results;
    }
  }

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    VecwatchConfig config = demoConfig();
    DatasetConfig dc = config.datasets().get(0);
    Dataset dataset = DatasetLoader.load(dc);
    metrics = AgentMetrics.create(new SnapshotCache());
    // the demo's listener chain: no tracing or server-side metrics configured, so the event log
    // only
    ProbeListener listener =
        ProbeListener.all(
            List.of(
                EventLog.create(
                    clock, config.telemetry().failureLogInterval(), metrics.registry())));
    TargetConfig flatConfig = target(config, "flat");
    TargetConfig hnswConfig = target(config, "lucene_hnsw");
    Target flatTarget = new FlatTarget(flatConfig.name(), dataset);
    Target hnswTarget =
        new LuceneHnswTarget(
            hnswConfig.name(), dataset, (LuceneHnswTarget.Settings) hnswConfig.settings());
    flat = probe(config, flatConfig, flatTarget, dataset, listener, false);
    hnsw = probe(config, hnswConfig, hnswTarget, dataset, listener, false);
    hnswWithoutDistances = probe(config, hnswConfig, hnswTarget, dataset, listener, true);
  }

  private Probe probe(
      VecwatchConfig config,
      TargetConfig tc,
      Target target,
      Dataset dataset,
      ProbeListener listener,
      boolean dropDistances)
      throws Exception {
    ProbeConfig pc =
        config.probes().stream()
            .filter(p -> p.target().equals(tc.name()))
            .findFirst()
            .orElseThrow();
    Recall recall = Recall.of(dataset, pc.recallK());
    ProbeStats stats =
        ProbeStats.create(
            tc.name(),
            pc.dataset(),
            pc.recallK(),
            pc.window(),
            clock.monotonicNanos(),
            metrics.latencyRecorder(tc, pc));
    if (!dropDistances) { // the third probe shares the HNSW probe's series
      metrics.bindProbe(tc, pc, stats);
    }
    int queries = dataset.queries().count();
    SearchResult[] results = new SearchResult[queries];
    for (int q = 0; q < queries; q++) {
      SearchResult r = target.search(dataset.queries().row(q), recall.searchK());
      results[q] = dropDistances ? new SearchResult(r.ids(), r.scores()) : r;
    }
    ProbeRecorder recorder =
        ProbeRecorder.create(
            target,
            dataset,
            recall,
            stats,
            new TargetStatus(),
            listener,
            ProbeRunner.ResultHandler.NONE);
    return new Probe(recorder, results);
  }

  private static VecwatchConfig demoConfig() throws Exception {
    try (InputStream in = ProbeRecordBenchmark.class.getResourceAsStream("/io/vecwatch/demo.yml")) {
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return ConfigLoader.withSystemEnv(TargetKinds.lookup()).parse("demo.yml", text, Path.of("."));
    }
  }

  private static TargetConfig target(VecwatchConfig config, String kind) {
    return config.targets().stream().filter(t -> t.kind().equals(kind)).findFirst().orElseThrow();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    metrics.close();
  }

  /** Baseline: the two clock reads every result costs anyway. */
  @Benchmark
  public long timingOnly() {
    long start = clock.monotonicNanos();
    return clock.monotonicNanos() - start;
  }

  /** The demo's HNSW probe: recall@10 and @100, both formulas, reported distances used. */
  @Benchmark
  public long recordHnswResult() {
    return record(hnsw);
  }

  /** The demo's flat probe: recall@10 and @100, both formulas (every id is a ground-truth hit). */
  @Benchmark
  public long recordFlatResult() {
    return record(flat);
  }

  /** The HNSW results without reported distances: each miss's distance recomputed (dim 128). */
  @Benchmark
  public long recordHnswResultRecomputingDistances() {
    return record(hnswWithoutDistances);
  }

  /**
   * The same recordings outside JMH, reporting the CPU time of the recording thread per result (min
   * and median of batches of 10,000): on a shared machine CPU time does not count the time the
   * thread waited for a core.
   *
   * <pre>
   * java --add-modules jdk.incubator.vector -cp "$(cat cp.txt):agent/target/test-classes:agent/target/classes" \
   *     io.vecwatch.bench.ProbeRecordBenchmark 60</pre>
   */
  public static void main(String[] args) throws Exception {
    int batches = args.length > 0 ? Integer.parseInt(args[0]) : 60;
    ProbeRecordBenchmark b = new ProbeRecordBenchmark();
    b.setUp();
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    Map<String, Probe> probes = new LinkedHashMap<>();
    probes.put("recordHnswResult", b.hnsw);
    probes.put("recordFlatResult", b.flat);
    probes.put("recordHnswResultRecomputingDistances", b.hnswWithoutDistances);
    int perBatch = 10_000;
    long[][] cpu = new long[probes.size()][batches];
    for (int i = 0; i < 40; i++) { // warm-up: every path compiled
      for (Probe p : probes.values()) {
        for (int j = 0; j < perBatch; j++) {
          b.record(p);
        }
      }
    }
    for (int batch = 0; batch < batches; batch++) { // interleaved, so load changes hit all alike
      int k = 0;
      for (Probe p : probes.values()) {
        long c0 = mx.getCurrentThreadCpuTime();
        for (int j = 0; j < perBatch; j++) {
          b.record(p);
        }
        cpu[k++][batch] = mx.getCurrentThreadCpuTime() - c0;
      }
    }
    int k = 0;
    for (String name : probes.keySet()) {
      long[] c = cpu[k++];
      Arrays.sort(c);
      System.out.printf(
          Locale.ROOT,
          "%-38s CPU per result: min %.0f ns, median %.0f ns (%d batches of %d); load average %.1f%n",
          name,
          (double) c[0] / perBatch,
          (double) c[batches / 2] / perBatch,
          batches,
          perBatch,
          ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }
    b.tearDown();
  }

  private long record(Probe p) {
    int q = next;
    next = q + 1 == p.results.length ? 0 : q + 1;
    long end = clock.monotonicNanos();
    long latency = 1_000_000 + 7_919L * q; // 1 to 2.6 ms, varying like real latencies
    p.recorder.ok(q, q, p.results[q], end, latency);
    return end;
  }
}
