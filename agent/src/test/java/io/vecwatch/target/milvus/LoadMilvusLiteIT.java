package io.vecwatch.target.milvus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import io.vecwatch.config.ConfigLoader;
import io.vecwatch.dataset.Dataset;
import io.vecwatch.dataset.Metric;
import io.vecwatch.loadtest.LoadReport;
import io.vecwatch.loadtest.LoadSettings;
import io.vecwatch.loadtest.LoadTest;
import io.vecwatch.loadtest.Mode;
import io.vecwatch.loadtest.Objective;
import io.vecwatch.loadtest.Progress;
import io.vecwatch.loadtest.ReportJson;
import io.vecwatch.loadtest.ReportSchema;
import io.vecwatch.loadtest.StepResult;
import io.vecwatch.target.SearchResult;
import io.vecwatch.target.Target;
import io.vecwatch.target.TargetContext;
import io.vecwatch.target.registry.TargetKinds;
import io.vecwatch.time.Clock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vecwatch bench load} against a Milvus collection on Milvus Lite: a short sweep (closed
 * loop, open loop, {@code ef}) finishes, its report matches the schema, and the recall it reports
 * equals recall computed here from the very ids Milvus returned.
 */
class LoadMilvusLiteIT {
  private static final int K = 10;
  private final String uri =
      System.getProperty("vecwatch.milvusLite.uri", "http://127.0.0.1:19540");

  @TempDir Path dir;

  @Test
  void shortSweepOnMilvusLiteFinishesWithRecallEqualToRecallFromTheSameIds() throws Exception {
    TestData data =
        TestData.generate("it", Metric.L2, 3_000, 32, 40, 16, 23, K, i -> 1000 + 3L * i);
    String collection = "vw_load_" + Long.toString(System.nanoTime(), 36);
    try (MilvusAdmin admin = new MilvusAdmin(uri, b -> {})) {
      admin.createCollection(collection, data, 4, 16);
      MilvusTarget milvus = target(data.dataset, collection);
      try {
        ConcurrentLinkedQueue<Object[]> calls = new ConcurrentLinkedQueue<>();
        Target recording =
            new Target() {
              @Override
              public String name() {
                return milvus.name();
              }

              @Override
              public String kind() {
                return milvus.kind();
              }

              @Override
              public SearchResult search(float[] query, int k) throws Exception {
                SearchResult r = milvus.search(query, k);
                calls.add(new Object[] {query, r.ids()});
                return r;
              }
            };
        LoadSettings closedOnly =
            LoadSettings.defaults()
                .withFirstWarmup(Duration.ZERO)
                .withLevels(List.of(2))
                .withTiming(Duration.ZERO, Duration.ofSeconds(2))
                .withPhases(List.of("closed"));
        LoadReport first =
            new LoadTest(
                    recording,
                    data.dataset,
                    List.of(K),
                    Duration.ofSeconds(5),
                    Objective.DEFAULT,
                    closedOnly,
                    Clock.system(),
                    Progress.NONE)
                .run();
        StepResult step = first.steps(Mode.CLOSED).get(0);
        double sum = 0;
        for (Object[] c : calls) {
          sum += data.recall(queryIndex(data, (float[]) c[0]), (long[]) c[1], K);
        }
        assertThat(step.errorRatio()).isZero();
        assertThat(step.requests()).isEqualTo(calls.size());
        assertThat(step.recall().get(K)).isCloseTo(sum / calls.size(), within(1e-12));
        assertThat(step.recall().get(K)).as("sparse HNSW at ef 10: below 1").isLessThan(1.0);

        LoadSettings sweep =
            LoadSettings.defaults()
                .withFirstWarmup(Duration.ZERO)
                .withLevels(List.of(1, 4))
                .withTiming(Duration.ofMillis(300), Duration.ofMillis(1500))
                .withOpenLoop(32, 10, 2, 0.5)
                .withGuards(160, Duration.ofMinutes(2), 100_000)
                .withParameterSweep("ef", List.of(10, 64), 4);
        // as the command runs it: a connection of its own per worker (4 closed-loop workers, 32
        // open-loop ones), each tuned by the parameter sweep
        LoadReport r =
            new LoadTest(
                    milvus,
                    UnaryOperator.identity(),
                    100,
                    Duration.ofSeconds(30),
                    data.dataset,
                    List.of(K),
                    Duration.ofSeconds(5),
                    Objective.DEFAULT,
                    sweep,
                    Clock.system(),
                    Progress.NONE)
                .run();
        ReportJson.write(r, dir.resolve("report.json"));
        System.out.println(Files.readString(dir.resolve("report.json")));

        assertThat(r.complete()).isTrue();
        assertThat(r.kind()).isEqualTo("milvus");
        assertThat(r.steps(Mode.CLOSED))
            .hasSize(2)
            .allSatisfy(s -> assertThat(s.errorRatio()).isZero());
        assertThat(r.steps(Mode.OPEN)).isNotEmpty();
        assertThat(r.capacityRps()).isNotNull();
        List<StepResult> params = r.steps(Mode.PARAMS);
        assertThat(params).extracting(s -> s.params().get("ef")).containsExactly(10, 64);
        // every worker's connection searched with the swept ef: a larger beam finds more
        assertThat(params.get(1).recall().get(K)).isGreaterThan(params.get(0).recall().get(K));
        assertThat(r.notes())
            .contains("each worker searched through its own connection (32 opened)");
        ReportSchema.assertValid(dir.resolve("report.json"));
      } finally {
        milvus.close();
        admin.drop(collection);
      }
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
          - name: load
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
