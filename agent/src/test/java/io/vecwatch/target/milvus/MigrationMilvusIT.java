package io.vecwatch.target.milvus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.milvus.v2.common.IndexParam;
import io.vecwatch.agent.Agent;
import io.vecwatch.config.ConfigLoader;
import io.vecwatch.config.VecwatchConfig;
import io.vecwatch.dataset.Metric;
import io.vecwatch.target.registry.TargetKinds;
import io.vecwatch.testing.Scrape;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Migrations against the real Milvus Lite of .ci/peers.sh, through the whole agent: an in-process
 * flat index to a Milvus collection (the production guide's "local index to Milvus" move), and a
 * Milvus collection with an HNSW index to collections with an IVF_FLAT index. Each has an identical
 * copy and a copy where one batch of 300 inserts was skipped (a dual writer that lost a batch). The
 * gate passes for the copies and fails for the lossy ones, naming the record and count checks.
 *
 * <p>Milvus Lite accepts any index type but searches every index exhaustively, so the index types
 * differ in what the collection describes, not in search accuracy; the overlap of an identical copy
 * is therefore high on both paths. Latency thresholds are set out of the way for the comparisons
 * here: an in-process index answers in microseconds and a gRPC call in milliseconds, and two
 * collections of one Lite process on a shared 2-core machine differ by scheduling noise. The
 * latency check itself is covered by ReleaseGateTest.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MigrationMilvusIT {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final int COUNT = 3_000;
  private static final int SKIPPED_FROM = 1_000;
  private static final int SKIPPED = 300;
  private final String uri =
      System.getProperty("vecwatch.milvusLite.uri", "http://127.0.0.1:19540");
  private final List<String> collections = new ArrayList<>();
  private MilvusAdmin admin;
  private Agent agent;

  @BeforeAll
  void start() throws Exception {
    admin = new MilvusAdmin(uri, b -> {});
    TestData data =
        TestData.generate("mig", Metric.L2, COUNT, 32, 40, 12, 21, 10, i -> 70_000 + 3L * i);
    String suffix = Long.toString(System.nanoTime(), 36);
    String hnsw =
        create(
            "vw_mig_hnsw_" + suffix,
            data,
            IndexParam.IndexType.HNSW,
            Map.of("M", 16, "efConstruction", 64),
            false);
    String ivf =
        create(
            "vw_mig_ivf_" + suffix,
            data,
            IndexParam.IndexType.IVF_FLAT,
            Map.of("nlist", 16),
            false);
    String lossy =
        create(
            "vw_mig_lossy_" + suffix,
            data,
            IndexParam.IndexType.IVF_FLAT,
            Map.of("nlist", 16),
            true);
    String milvus =
        "kind: milvus, uri: \"%s\", dataset: mig, consistency_level: Strong".formatted(uri);
    String gate = "gate: {min_pairs: 40, min_records: 100, max_p99_latency_ratio: %s}";
    String yaml =
        """
        web: {listen_address: "127.0.0.1:0"}
        datasets:
          - {name: mig, metric: l2, generate: {count: %1$d, dim: 32, ground_truth_k: 10}}
        targets:
          - {name: local, kind: flat, dataset: mig}
          - {name: hnsw, %2$s, collection: %3$s, search_params: {ef: 64}}
          - {name: ivf, %2$s, collection: %4$s, search_params: {nprobe: 16}}
          - {name: ivf-lossy, %2$s, collection: %5$s, search_params: {nprobe: 16}}
        probes:
          - {target: local, rate: 1}
          - {target: hnsw, rate: 1}
          - {target: ivf, rate: 1}
          - {target: ivf-lossy, rate: 1}
        migrations:
          - {name: local-to-milvus, source: local, destination: hnsw, %6$s}
          - {name: local-to-lossy, source: local, destination: ivf-lossy, %6$s}
          - {name: hnsw-to-ivf, source: hnsw, destination: ivf, %7$s}
          - {name: hnsw-to-lossy, source: hnsw, destination: ivf-lossy, %7$s}
        """
            .formatted(
                COUNT,
                milvus,
                hnsw,
                ivf,
                lossy,
                "rate: 20, window: 30s, count_interval: 500ms, records: {sample_size: 50, interval: 250ms}, "
                    + gate.formatted("1000"),
                "rate: 20, window: 30s, count_interval: 500ms, records: {sample_size: 50, interval: 250ms}, "
                    + gate.formatted("5"));
    VecwatchConfig config =
        new ConfigLoader(Map.of(), TargetKinds.lookup())
            .parse("migration-it.yml", yaml, Path.of("."));
    agent = Agent.builder(config).datasets(c -> data.dataset).start();
  }

  private String create(
      String name,
      TestData data,
      IndexParam.IndexType type,
      Map<String, Object> params,
      boolean skipABatch) {
    collections.add(name);
    admin.createCollection(
        name,
        data,
        type,
        params,
        i -> skipABatch && i >= SKIPPED_FROM && i < SKIPPED_FROM + SKIPPED);
    return name;
  }

  @AfterAll
  void stop() {
    if (agent != null) {
      agent.close();
    }
    if (admin != null) {
      collections.forEach(admin::drop);
      admin.close();
    }
  }

  private String get(String path) throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.httpPort() + path))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    return r.body();
  }

  private JsonObject migration(String name) throws Exception {
    JsonArray all =
        new JsonObject(get("/api/v1/migrations")).getJsonObject("data").getJsonArray("migrations");
    for (int i = 0; i < all.size(); i++) {
      if (all.getJsonObject(i).getString("name").equals(name)) {
        return all.getJsonObject(i);
      }
    }
    throw new AssertionError("no migration " + name);
  }

  private static Map<String, String> verdicts(JsonObject m) {
    Map<String, String> out = new TreeMap<>();
    JsonArray checks = m.getJsonObject("gate").getJsonArray("checks");
    for (int i = 0; i < checks.size(); i++) {
      out.put(
          checks.getJsonObject(i).getString("check"), checks.getJsonObject(i).getString("verdict"));
    }
    return out;
  }

  @Test
  void identicalCopiesPassTheGateOnBothPaths() {
    await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(
            () -> {
              for (String name : List.of("local-to-milvus", "hnsw-to-ivf")) {
                JsonObject m = migration(name);
                assertThat(m.getJsonObject("gate").getString("verdict"))
                    .as(m.encodePrettily())
                    .isEqualTo("pass");
                assertThat(m.getJsonObject("records").getLong("missing")).isZero();
                assertThat(m.getJsonObject("records").getLong("mismatched")).isZero();
                assertThat(m.getJsonObject("entity_counts").getDouble("difference")).isEqualTo(0.0);
              }
            });
  }

  @Test
  void aSkippedBatchOfInsertsFailsTheGateNamingMissingRecordsAndCountDifference() {
    await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(
            () -> {
              for (String name : List.of("local-to-lossy", "hnsw-to-lossy")) {
                JsonObject m = migration(name);
                Map<String, String> v = verdicts(m);
                assertThat(m.getJsonObject("gate").getString("verdict"))
                    .as(m.encodePrettily())
                    .isEqualTo("fail");
                assertThat(v)
                    .as(name)
                    .containsEntry("missing_records", "fail")
                    .containsEntry("count_difference", "fail")
                    .containsEntry("mismatched_records", "pass")
                    .containsEntry("latency_p99_ratio", "pass");
                assertThat(m.getJsonObject("entity_counts").getDouble("difference"))
                    .isEqualTo((double) -SKIPPED);
                // 300 of 3000 records (10 %) are missing; with n sampled records the ratio's
                // standard error is
                // sqrt(0.1 * 0.9 / n), at most 0.03 for the 100 records the gate needs: 5 standard
                // errors either side
                double ratio = m.getJsonObject("records").getDouble("missing_ratio");
                long n = m.getJsonObject("records").getLong("sampled");
                assertThat(ratio)
                    .isBetween(0.1 - 5 * Math.sqrt(0.09 / n), 0.1 + 5 * Math.sqrt(0.09 / n));
              }
            });
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> {
              Scrape s = Scrape.parse(get("/metrics"));
              assertThat(
                      s.value(
                          "vecwatch_migration_gate_passing",
                          "migration",
                          "hnsw-to-lossy",
                          "check",
                          "overall"))
                  .isZero();
              assertThat(
                      s.value(
                          "vecwatch_migration_gate_passing",
                          "migration",
                          "hnsw-to-lossy",
                          "check",
                          "missing_records"))
                  .isZero();
              assertThat(
                      s.value(
                          "vecwatch_migration_entity_count_difference",
                          "migration",
                          "hnsw-to-lossy"))
                  .isEqualTo((double) -SKIPPED);
            });
  }
}
