package io.vecwatch.target.milvus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import io.vecwatch.config.ConfigException;
import io.vecwatch.config.ConfigLoader;
import io.vecwatch.config.TargetConfig;
import io.vecwatch.config.VecwatchConfig;
import io.vecwatch.dataset.Dataset;
import io.vecwatch.dataset.Metric;
import io.vecwatch.stats.Diagnostics;
import io.vecwatch.stats.OwnSearches;
import io.vecwatch.target.Health;
import io.vecwatch.target.SearchResult;
import io.vecwatch.target.TargetContext;
import io.vecwatch.target.TargetException;
import io.vecwatch.target.registry.TargetKinds;
import io.vecwatch.time.Clock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What every Milvus server must pass, run against each real server by a subclass (Milvus Lite,
 * Milvus 2.3). The test owns the data: it creates and fills the collection (the agent never
 * writes), computes exact ground truth by brute force, and compares the target's answers with the
 * same searches done directly through the SDK.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class MilvusTargetSuite {
  static final int K = 10;
  static final int COUNT = 5_000;
  static final int DIM = 32;
  static final Map<String, Object> SEARCH_PARAMS = Map.of("ef", K);

  protected TestData data;

  /** Where the suite's targets count the searches they send. */
  protected final OwnSearches own = new OwnSearches();

  protected String collection;
  protected MilvusAdmin admin;
  private final List<MilvusTarget> targets = new ArrayList<>();
  private final List<String> collections = new ArrayList<>();

  /** The server's uri as targets see it. */
  abstract String uri();

  /** A client acting as the database owner. */
  abstract MilvusAdmin openAdmin() throws Exception;

  /**
   * Extra target keys for this server (credentials, TLS), as YAML lines indented by four spaces.
   */
  String connectionYaml() {
    return "";
  }

  /** Environment the target config is expanded with (secrets). */
  Map<String, String> env() {
    return Map.of();
  }

  /** Lets the agent's user read {@code name} (servers with RBAC). */
  void allowAgent(String name) {}

  @BeforeAll
  void createCollection() throws Exception {
    admin = openAdmin();
    // keys are not positions: proves the target reports primary keys and the dataset maps them
    data = TestData.generate("it", Metric.L2, COUNT, DIM, 50, 20, 11, K, i -> 1_000 + 3L * i);
    collection = newCollection("vw_it", data);
  }

  String newCollection(String prefix, TestData d) {
    String name = prefix + "_" + Long.toString(System.nanoTime(), 36);
    // a sparse graph (M=4) so HNSW with ef=10 misses neighbours: recall below 1 is real
    admin.createCollection(name, d, 4, 16);
    collections.add(name);
    allowAgent(name);
    return name;
  }

  /** Stops what the subclass started, after the suite has dropped its collections. */
  void stopServer() throws Exception {}

  @AfterAll
  void cleanUp() throws Exception {
    targets.forEach(MilvusTarget::close);
    if (admin != null) {
      collections.forEach(admin::drop);
      admin.close();
    }
    stopServer();
  }

  /** Builds a target through the real config loader and kind registry, as the agent does. */
  MilvusTarget target(String name, String collectionName, String extraYaml, Dataset... datasets)
      throws Exception {
    TargetConfig tc = targetConfig(name, collectionName, extraYaml, datasets);
    Map<String, Dataset> byName = new HashMap<>();
    byName.put("it", data.dataset);
    for (Dataset d : datasets) {
      byName.put(d.name(), d);
    }
    TargetContext ctx =
        new TargetContext() {
          @Override
          public Optional<Dataset> dataset(String n) {
            return Optional.ofNullable(byName.get(n));
          }

          @Override
          public Clock clock() {
            return Clock.system();
          }

          @Override
          public OwnSearches ownSearches() {
            return own;
          }
        };
    MilvusTarget t = (MilvusTarget) TargetKinds.create(tc, ctx);
    targets.add(t);
    return t;
  }

  /** A target's config as the real config loader parses it, with the suite's connection. */
  TargetConfig targetConfig(
      String name, String collectionName, String extraYaml, Dataset... datasets)
      throws ConfigException {
    String yaml =
        """
        datasets:
          - name: it
            metric: l2
            generate: {count: 10, dim: 32, ground_truth_k: 5, clusters: 2}
          - name: it16
            metric: l2
            generate: {count: 10, dim: 16, ground_truth_k: 5, clusters: 2}
        targets:
          - name: %s
            kind: milvus
            dataset: %s
            uri: %s
            collection: %s
            search_params: {ef: %d}
            connect_timeout: 30s
            call_timeout: 30s
            reconnect: {initial_backoff: 100ms, max_backoff: 2s}
        %s%s"""
            .formatted(
                name,
                datasets.length == 0 ? "it" : datasets[0].name(),
                uri(),
                collectionName,
                K,
                connectionYaml(),
                extraYaml);
    VecwatchConfig config =
        new ConfigLoader(env(), TargetKinds.lookup()).parse("it.yml", yaml, Path.of("."));
    return config.targets().get(0);
  }

  static void awaitState(MilvusTarget t, Connection.State state) {
    await().atMost(Duration.ofSeconds(120)).until(() -> t.connectionStatus().state() == state);
  }

  MilvusTarget connected(String name, String collectionName, String extraYaml) throws Exception {
    MilvusTarget t = target(name, collectionName, extraYaml);
    awaitState(t, Connection.State.CONNECTED);
    return t;
  }

  double meanRecall(MilvusTarget t, TestData d) throws Exception {
    double sum = 0;
    for (int q = 0; q < d.queries.length; q++) {
      sum += d.recall(q, t.search(d.queries[q], K).ids(), K);
    }
    return sum / d.queries.length;
  }

  /**
   * Whether the server answers identical searches identically. Milvus Lite (FAISS) does; Milvus
   * 2.3.5 does not: with this sparse graph about a quarter of repeated identical HNSW searches came
   * back different.
   */
  boolean deterministicSearch() {
    return true;
  }

  @Test
  void recallOfTheTargetsResultsMatchesTheSameSearchDoneDirectlyAndIsBelowOne() throws Exception {
    MilvusTarget t = connected("recall", collection, "");

    double fromTarget = 0;
    double direct = 0;
    for (int q = 0; q < data.queries.length; q++) {
      long[] got = t.search(data.queries[q], K).ids();
      long[] raw = admin.search(collection, data.queries[q], K, SEARCH_PARAMS, Metric.L2);
      if (deterministicSearch()) {
        assertThat(got).as("query %d", q).containsExactly(raw);
      }
      fromTarget += data.recall(q, got, K);
      direct += data.recall(q, raw, K);
    }
    fromTarget /= data.queries.length;
    direct /= data.queries.length;
    System.out.printf(
        "%s: recall@%d %.3f over %d queries (direct search %.3f)%n",
        getClass().getSimpleName(), K, fromTarget, data.queries.length, direct);

    if (deterministicSearch()) {
      assertThat(fromTarget).isEqualTo(direct);
    } else {
      // same parameters, same index: the two estimates differ only by the server's own
      // nondeterminism
      assertThat(fromTarget).isCloseTo(direct, Offset.offset(0.1));
    }
    assertThat(fromTarget)
        .as("HNSW with M=4, ef=10 must miss some neighbours")
        .isBetween(0.3, 0.999);
  }

  @Test
  void searchReportsPrimaryKeysWithTheirDistancesUnderTheDatasetMetric() throws Exception {
    MilvusTarget t = connected("keys", collection, "");
    for (int q = 0; q < 10; q++) {
      SearchResult r = t.search(data.queries[q], K);
      assertThat(r.size()).isEqualTo(K);
      for (int j = 0; j < r.size(); j++) {
        int pos = data.positionOf(r.ids()[j]);
        double expected = Metric.L2.distance(data.queries[q], data.base[pos]);
        assertThat((double) r.scores()[j])
            .isCloseTo(expected, Offset.offset(1e-3 * (1 + expected)));
      }
    }
  }

  @Test
  void idFieldReportsAnotherIntegerFieldAsTheKey() throws Exception {
    MilvusTarget t = connected("idfield", collection, "    id_field: doc\n");
    SearchResult r = t.search(data.queries[0], K);
    long[] pks = admin.search(collection, data.queries[0], K, SEARCH_PARAMS, Metric.L2);
    for (int j = 0; j < K; j++) {
      // the doc field holds the base position, the primary key 1000 + 3 * position
      assertThat(r.ids()[j]).isEqualTo(data.positionOf(pks[j]));
    }
  }

  @Test
  void entityCountIsWhatTheCollectionHolds() throws Exception {
    MilvusTarget t = connected("count", collection, "    expected_entities: 5000\n");
    assertThat(t.entityCount()).isEqualTo(COUNT);
    assertThat(t.expectedEntities()).hasValue(COUNT);
  }

  @Test
  void healthIsUpAndDiagnosticsDescribeLoadIndexVersionAndSelfRecall() throws Exception {
    MilvusTarget t =
        connected("diag", collection, "    self_recall: {sample_size: 50, window: 200}\n");
    Health h = t.health();
    assertThat(h.healthy()).as("reasons %s", h.reasons()).isTrue();

    Diagnostics d = null;
    for (int i = 0; i < 4; i++) {
      d = t.diagnostics();
    }
    assertThat(d.value("vecwatch_milvus_connection_state", Map.of("state", "connected")))
        .hasValue(1);
    assertThat(d.value("vecwatch_milvus_load_progress_ratio")).hasValue(1.0);
    assertThat(d.value("vecwatch_milvus_load_state", Map.of("state", "loaded"))).hasValue(1);
    assertThat(d.value("vecwatch_milvus_index_total_rows")).hasValue(COUNT);
    assertThat(d.value("vecwatch_milvus_index_pending_rows")).hasValue(0);
    assertThat(d.value("vecwatch_milvus_quota_state", Map.of("state", "DenyToRead"))).hasValue(0);
    assertThat(d.info())
        .containsEntry("index_type", "HNSW")
        .containsEntry("metric_type", "L2")
        .containsEntry("vector_field", "vec")
        .containsKey("server_version");
    assertThat(d.info().get("server_version")).isNotBlank().isNotEqualTo("unknown");
    assertThat(d.value("vecwatch_self_recall_window_samples")).hasValue(200);
    // independent: the same self-search over every 5th stored vector, done directly. The agent's
    // 200 random
    // samples estimate that share; 4 standard deviations of a 200-sample proportion are at most
    // 0.142
    double direct = admin.selfRecall(collection, data, 5, SEARCH_PARAMS);
    // (static data: the collection's default consistency sees all of it)
    System.out.printf(
        "%s: self-recall agent %.3f, direct %.3f%n",
        getClass().getSimpleName(), d.value("vecwatch_self_recall_ratio").orElseThrow(), direct);
    assertThat(d.value("vecwatch_self_recall_ratio").orElseThrow())
        .isCloseTo(direct, Offset.offset(0.142));
    assertThat(d.value("vecwatch_self_recall_missing_ratio")).hasValue(0.0);

    // every series a real server made the target report is in the Milvus section of docs/metrics.md
    String doc = Files.readString(Path.of("..", "docs", "metrics.md"));
    String milvusSection = doc.substring(doc.indexOf("\n## Milvus"));
    for (Diagnostics.Series s : d.series()) {
      assertThat(milvusSection).as(s.name()).contains("| `" + s.name() + "` |");
    }
    assertThat(milvusSection).contains("| `vecwatch_target_info` |");
    for (String label : d.info().keySet()) {
      assertThat(milvusSection).as("info label " + label).contains(label);
    }
  }

  @Test
  void deletingDataMovesRecallTheCountAndTheMissingKeys() throws Exception {
    TestData d = data;
    String c = newCollection("vw_del", d);
    // the collection's default (bounded) consistency: once the count shows the delete, searches see
    // it too
    // (strong would cost every search a wait for the next time tick, ~0.2 s on Milvus 2.3)
    MilvusTarget t =
        connected(
            "deleted",
            c,
            "    expected_entities: 5000\n" + "    self_recall: {sample_size: 25, window: 100}\n");
    double before = meanRecall(t, d);
    for (int i = 0; i < 4; i++) {
      t.diagnostics();
    }
    assertThat(t.entityCount()).isEqualTo(COUNT);
    assertThat(t.diagnostics().value("vecwatch_self_recall_missing_ratio")).hasValue(0.0);

    List<Long> gone = new ArrayList<>();
    Set<Long> goneSet = new HashSet<>();
    for (int i = 0; i < COUNT; i++) {
      if (i % 10 < 3) {
        gone.add(d.keys[i]);
        goneSet.add(d.keys[i]);
      }
    }
    admin.delete(c, gone);

    await().atMost(Duration.ofSeconds(60)).until(() -> t.entityCount() == COUNT - gone.size());
    double after = meanRecall(t, d);
    // independent bound: a search can at best return the ground-truth neighbours that still exist
    double reachable = 0;
    for (int q = 0; q < d.queries.length; q++) {
      int alive = 0;
      for (int j = 0; j < K; j++) {
        if (!goneSet.contains(d.keys[d.groundTruth[q][j]])) {
          alive++;
        }
      }
      reachable += (double) alive / K;
    }
    reachable /= d.queries.length;
    assertThat(after).isLessThan(before).isLessThanOrEqualTo(reachable);

    Diagnostics diag = null;
    for (int i = 0; i < 4; i++) {
      diag = t.diagnostics(); // 4 rounds x 25 samples refill the 100-sample window after the delete
    }
    // 30% of the keys are gone; 100 samples put the observed share within +-0.15 with overwhelming
    // probability
    assertThat(diag.value("vecwatch_self_recall_missing_ratio").orElseThrow())
        .isBetween(0.15, 0.45);
    assertThat(diag.value("vecwatch_self_recall_ratio")).isPresent();
  }

  @Test
  void aMissingCollectionMarksOnlyThatTargetMisconfigured() throws Exception {
    MilvusTarget good = connected("good", collection, "");
    MilvusTarget bad = target("bad", "no_such_collection", "");
    awaitState(bad, Connection.State.MISCONFIGURED);

    String expected = "target bad: collection \"no_such_collection\" does not exist at " + uri();
    assertThat(bad.connectionStatus().lastError()).contains(expected);
    assertThat(catchThrowable(bad::health))
        .isInstanceOf(TargetException.class)
        .hasMessage(expected);
    assertThat(catchThrowable(() -> bad.search(data.queries[0], K)))
        .isInstanceOf(TargetException.class)
        .hasMessage(expected);
    assertThat(good.search(data.queries[0], K).size()).isEqualTo(K);
    assertThat(good.health().healthy()).isTrue();
  }

  @Test
  void aMissingVectorFieldIsNamedAtFirstContact() throws Exception {
    MilvusTarget t = target("nofield", collection, "    vector_field: embedding\n");
    awaitState(t, Connection.State.MISCONFIGURED);
    assertThat(catchThrowable(t::health))
        .isInstanceOf(TargetException.class)
        .hasMessage(
            "target nofield: "
                + "collection \""
                + collection
                + "\" has no field \"embedding\" (fields: pk, vec, doc)");
  }

  @Test
  void aDatasetOfAnotherDimensionIsRejectedAtFirstContact() throws Exception {
    TestData small = TestData.generate("it16", Metric.L2, 20, 16, 2, 2, 3, 5, i -> i);
    MilvusTarget t = target("dim", collection, "", small.dataset);
    awaitState(t, Connection.State.MISCONFIGURED);
    assertThat(t.connectionStatus().lastError())
        .contains(
            "target dim: collection \""
                + collection
                + "\": field \"vec\" has dimension 32 but dataset \"it16\" has dimension 16");
  }
}
