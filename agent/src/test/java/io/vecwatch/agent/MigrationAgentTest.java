package io.vecwatch.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vecwatch.config.ConfigLoader;
import io.vecwatch.config.DatasetConfig;
import io.vecwatch.config.VecwatchConfig;
import io.vecwatch.dataset.Dataset;
import io.vecwatch.dataset.load.DatasetLoader;
import io.vecwatch.target.registry.TargetKinds;
import io.vecwatch.testing.DatasetCopies;
import io.vecwatch.testing.Scrape;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole agent with two migrations between real in-process flat targets: one to an identical
 * copy, one to a copy missing a tenth of its records (the dataset loader hands out the modified
 * copy, as a faulty move would leave it). Observed over HTTP: the release gate on
 * /api/v1/migrations and the same verdicts on /metrics.
 */
class MigrationAgentTest {
  static final int COUNT = 2000;
  static final String MIGRATION =
      """
        - name: %s
          source: old
          destination: %s
          overlap_k: [1, 10]
          rate: 50
          concurrency: 2
          window: 20s
          count_interval: 200ms
          records: {sample_size: 50, interval: 100ms}
          # two identical in-process indexes on a shared machine: their latency ratio is scheduling noise
          gate: {min_pairs: 50, min_records: 200, max_p99_latency_ratio: 10}
      """;
  static final String CONFIG =
      """
      web:
        listen_address: "127.0.0.1:0"
      datasets:
        - {name: base, metric: l2, generate: {count: %1$d, dim: 16, queries: 50, clusters: 8, seed: 5, ground_truth_k: 10}}
        - {name: lossy, metric: l2, generate: {count: %1$d, dim: 16, queries: 50, clusters: 8, seed: 5, ground_truth_k: 10}}
        - {name: unreadable, metric: l2, generate: {count: 100, dim: 16, queries: 5, ground_truth_k: 10}}
      targets:
        - {name: old, kind: flat, dataset: base}
        - {name: copy, kind: flat, dataset: base}
        - {name: lossy, kind: flat, dataset: lossy}
        - {name: broken, kind: flat, dataset: unreadable}
      migrations:
      """
              .formatted(COUNT)
          + MIGRATION.formatted("same", "copy")
          + MIGRATION.formatted("dropped", "lossy")
          + MIGRATION.formatted("nowhere", "broken");

  private static Agent agent;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    VecwatchConfig config =
        new ConfigLoader(Map.of(), TargetKinds.lookup())
            .parse("migration.yml", CONFIG, Path.of("."));
    agent = Agent.builder(config).datasets(MigrationAgentTest::load).start();
  }

  /** "lossy" is "base" with 10 % of its records left out. */
  static Dataset load(DatasetConfig c) throws Exception {
    if (c.name().equals("unreadable")) {
      throw new IOException("unreadable.fvecs: truncated after vector 17");
    }
    Dataset d = DatasetLoader.load(c);
    return c.name().equals("lossy")
        ? DatasetCopies.modified(d, "lossy", 0, 0.10, 0f, 9).dataset()
        : d;
  }

  @AfterAll
  static void stop() {
    if (agent != null) {
      agent.close();
    }
  }

  private static String get(String path) throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.httpPort() + path))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    return r.body();
  }

  private static JsonObject migration(String name) throws Exception {
    JsonArray all =
        new JsonObject(get("/api/v1/migrations")).getJsonObject("data").getJsonArray("migrations");
    for (int i = 0; i < all.size(); i++) {
      if (all.getJsonObject(i).getString("name").equals(name)) {
        return all.getJsonObject(i);
      }
    }
    throw new AssertionError("no migration " + name + " in " + all.encode());
  }

  private static String verdict(JsonObject m, String check) {
    JsonArray checks = m.getJsonObject("gate").getJsonArray("checks");
    for (int i = 0; i < checks.size(); i++) {
      if (checks.getJsonObject(i).getString("check").equals(check)) {
        return checks.getJsonObject(i).getString("verdict");
      }
    }
    throw new AssertionError("no check " + check);
  }

  @Test
  void aMigrationWhoseDestinationCannotBeBuiltSaysWhyAndNeverPasses() throws Exception {
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> {
              JsonObject m = migration("nowhere");
              assertThat(m.getString("state")).isEqualTo("misconfigured");
              assertThat(m.getString("problem"))
                  .isEqualTo(
                      "target broken: dataset unreadable could not be loaded: "
                          + "unreadable.fvecs: truncated after vector 17");
              assertThat(m.getJsonObject("gate").getString("verdict"))
                  .isEqualTo("insufficient data");
            });
  }

  @Test
  void anIdenticalCopyPassesTheGateWithFullOverlapAndNoGaps() throws Exception {
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> {
              JsonObject m = migration("same");
              assertThat(m.getString("state")).isEqualTo("running");
              assertThat(m.getJsonObject("gate").getString("verdict"))
                  .as(m.encodePrettily())
                  .isEqualTo("pass");
              assertThat(m.getJsonArray("overlap").getJsonObject(1).getDouble("ratio"))
                  .isEqualTo(1.0);
              assertThat(m.getJsonObject("records").getLong("missing")).isZero();
              assertThat(m.getJsonObject("entity_counts").getDouble("difference")).isEqualTo(0.0);
              assertThat(
                      m.getJsonObject("sides")
                          .getJsonObject("destination")
                          .getJsonArray("recall")
                          .getJsonObject(1)
                          .getDouble("ratio"))
                  .isEqualTo(1.0);
            });
    Scrape s = Scrape.parse(get("/metrics"));
    assertThat(s.value("vecwatch_migration_result_overlap_ratio", "migration", "same", "k", "10"))
        .isEqualTo(1.0);
    assertThat(s.value("vecwatch_migration_gate_passing", "migration", "same", "check", "overall"))
        .isEqualTo(1.0);
    assertThat(s.value("vecwatch_migration_pairs_total", "migration", "same"))
        .isGreaterThanOrEqualTo(50);
    assertThat(s.value("vecwatch_migration_entity_count_difference", "migration", "same"))
        .isEqualTo(0.0);
    assertThat(s.value("vecwatch_migration_missing_records_ratio", "migration", "same"))
        .isEqualTo(0.0);
    assertThat(s.value("vecwatch_migration_mismatched_records_ratio", "migration", "same"))
        .isEqualTo(0.0);
    assertThat(s.value("vecwatch_migration_latency_ratio", "migration", "same", "quantile", "0.99"))
        .isPositive();
  }

  @Test
  void aCopyMissingRecordsFailsTheGateNamingTheMissingRecordsAndCountChecks() throws Exception {
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> {
              JsonObject m = migration("dropped");
              assertThat(m.getJsonObject("gate").getString("verdict"))
                  .as(m.encodePrettily())
                  .isEqualTo("fail");
              assertThat(verdict(m, "missing_records")).isEqualTo("fail");
              assertThat(verdict(m, "count_difference")).isEqualTo("fail");
              assertThat(verdict(m, "mismatched_records")).isEqualTo("pass");
              assertThat(m.getJsonObject("entity_counts").getDouble("difference"))
                  .isEqualTo(-COUNT / 10.0);
            });
    Scrape s = Scrape.parse(get("/metrics"));
    assertThat(
            s.value("vecwatch_migration_gate_passing", "migration", "dropped", "check", "overall"))
        .isZero();
    assertThat(
            s.value(
                "vecwatch_migration_gate_passing",
                "migration",
                "dropped",
                "check",
                "missing_records"))
        .isZero();
    assertThat(s.value("vecwatch_migration_entity_count_difference", "migration", "dropped"))
        .isEqualTo(-200.0);
    assertThat(s.value("vecwatch_migration_missing_records_ratio", "migration", "dropped"))
        .isPositive();
  }
}
