package io.vecwatch.target.milvus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vecwatch.concurrent.ExecutorScheduler;
import io.vecwatch.config.ConfigLoader;
import io.vecwatch.config.ProbeConfig;
import io.vecwatch.dataset.Dataset;
import io.vecwatch.dataset.Metric;
import io.vecwatch.probe.ProbeRunner;
import io.vecwatch.probe.Recall;
import io.vecwatch.probe.TargetStatus;
import io.vecwatch.probe.WorkerPool;
import io.vecwatch.stats.Outcome;
import io.vecwatch.stats.ProbeStats;
import io.vecwatch.stats.ProbeWindowStats;
import io.vecwatch.target.SearchResult;
import io.vecwatch.target.Target;
import io.vecwatch.target.TargetContext;
import io.vecwatch.target.registry.TargetKinds;
import io.vecwatch.time.Clock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/**
 * The agent's probe runner against a Milvus target on Milvus Lite: the recall the runner reports
 * equals recall computed here, independently, from the very results the target returned to it and
 * the brute-force ground truth.
 */
class MilvusProbeRunnerIT {
  private static final int K = 10;
  private final String uri =
      System.getProperty("vecwatch.milvusLite.uri", "http://127.0.0.1:19540");

  /** Passes everything through and remembers which query got which keys. */
  private static final class Recording implements Target {
    record Call(float[] query, long[] ids) {}

    final Target inner;
    final ConcurrentLinkedQueue<Call> calls = new ConcurrentLinkedQueue<>();

    Recording(Target inner) {
      this.inner = inner;
    }

    @Override
    public String name() {
      return inner.name();
    }

    @Override
    public String kind() {
      return inner.kind();
    }

    @Override
    public SearchResult search(float[] query, int k) throws Exception {
      SearchResult r = inner.search(query, k);
      calls.add(new Call(query.clone(), r.ids().clone()));
      return r;
    }
  }

  @Test
  void theRunnersRecallEqualsRecallComputedFromTheSameResultsAndExactGroundTruth()
      throws Exception {
    TestData data = TestData.generate("it", Metric.L2, 4_000, 32, 40, 16, 17, K, i -> 77 + 5L * i);
    String collection = "vw_runner_" + Long.toString(System.nanoTime(), 36);
    try (MilvusAdmin admin = new MilvusAdmin(uri, b -> {})) {
      admin.createCollection(collection, data, 4, 16);
      MilvusTarget milvus = target(data.dataset, collection);
      Recording target = new Recording(milvus);
      ProbeConfig pc =
          new ProbeConfig(
              "runner",
              "it",
              20,
              2,
              Duration.ofSeconds(10),
              List.of(1, K),
              Duration.ofMinutes(10),
              Duration.ofSeconds(5));
      ProbeStats stats =
          ProbeStats.create(
              "runner", "it", pc.recallK(), pc.window(), Clock.system().monotonicNanos(), n -> {});
      try (WorkerPool pool = WorkerPool.create("runner-it", 3);
          ExecutorScheduler scheduler = ExecutorScheduler.create("runner-it-scheduler")) {
        ProbeRunner runner =
            ProbeRunner.create(
                pc,
                target,
                data.dataset,
                Recall.of(data.dataset, pc.recallK()),
                stats,
                new TargetStatus(),
                pool,
                scheduler,
                Clock.system());
        stats.started(Clock.system().monotonicNanos());
        runner.start();
        await().atMost(Duration.ofSeconds(120)).until(() -> stats.total(Outcome.OK) >= 120);
        runner.stop();
        pool.shutdown(Duration.ofSeconds(30));
      } finally {
        milvus.close();
        admin.drop(collection);
      }

      assertThat(stats.total(Outcome.ERROR)).isZero();
      assertThat(stats.total(Outcome.TIMEOUT)).isZero();
      // independent: recall@k of every recorded answer against the brute-force ground truth, by key
      double[] sum = new double[K + 1];
      int n = 0;
      for (Recording.Call c : target.calls) {
        int q = queryIndex(data, c.query());
        sum[1] += data.recall(q, c.ids(), 1);
        sum[K] += data.recall(q, c.ids(), K);
        n++;
      }
      ProbeWindowStats w = stats.snapshot(Clock.system().monotonicNanos()).window();
      assertThat(w.recallAt(K).queries()).isEqualTo(n);
      assertThat(w.recallAt(K).mean()).isCloseTo(sum[K] / n, Offset.offset(1e-12));
      assertThat(w.recallAt(1).mean()).isCloseTo(sum[1] / n, Offset.offset(1e-12));
      assertThat(w.recallAt(K).mean()).as("sparse HNSW: below 1").isLessThan(1.0);
      System.out.printf(
          "probe runner on Milvus Lite: %d searches, recall@1 %.3f, recall@10 %.3f, p50 %.1f ms%n",
          n, w.recallAt(1).mean(), w.recallAt(K).mean(), w.latency().p50() * 1000);
    }
  }

  private static int queryIndex(TestData d, float[] q) {
    for (int i = 0; i < d.queries.length; i++) {
      if (Arrays.equals(d.queries[i], q)) {
        return i;
      }
    }
    throw new AssertionError("not a dataset query");
  }

  private MilvusTarget target(Dataset dataset, String collection) throws Exception {
    String yaml =
        """
        datasets:
          - name: it
            metric: l2
            generate: {count: 10, dim: 32, ground_truth_k: 5, clusters: 2}
        targets:
          - name: runner
            kind: milvus
            dataset: it
            uri: %s
            collection: %s
            search_params: {ef: 10}
            self_recall: {sample_size: 0}
        """
            .formatted(uri, collection);
    var config =
        new ConfigLoader(Map.of(), TargetKinds.lookup()).parse("it.yml", yaml, Path.of("."));
    MilvusTarget t =
        (MilvusTarget)
            TargetKinds.create(
                config.targets().get(0),
                new TargetContext() {
                  @Override
                  public Optional<Dataset> dataset(String n) {
                    return Optional.of(dataset);
                  }

                  @Override
                  public Clock clock() {
                    return Clock.system();
                  }
                });
    await().atMost(Duration.ofSeconds(60)).until(() -> t.collectionInfo().isPresent());
    return t;
  }
}
