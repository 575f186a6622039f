package io.vecwatch.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vecwatch.config.ConfigLoader;
import io.vecwatch.target.registry.TargetKinds;
import io.vecwatch.testing.Scrape;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A reload applies the {@code migrations:} section like the targets: an unchanged migration keeps
 * its windows and counters, a changed one (or one whose target is rebuilt) starts afresh, an added
 * one starts, a removed one stops and its series go; the release-gate API lists the new set. Real
 * in-process flat targets, observed over HTTP.
 */
class MigrationReloadTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  @TempDir Path dir;

  private static final String HEAD =
      """
      web:
        listen_address: "127.0.0.1:0"
      datasets:
        - {name: base, metric: l2, generate: {count: 1000, dim: 8, queries: 20, clusters: 4, seed: 3, ground_truth_k: 10}}
      targets:
        - {name: old, kind: flat, dataset: base}
        - {name: copy, kind: flat, dataset: base}
        - {name: other, kind: flat, dataset: base%s}
      migrations:
      """;

  private static String migration(String name, String source, String destination, int minPairs) {
    return """
          - name: %s
            source: %s
            destination: %s
            overlap_k: [10]
            rate: 40
            concurrency: 2
            window: 20s
            count_interval: 200ms
            records: {sample_size: 20, interval: 200ms}
            gate: {min_pairs: %d}
        """
        .formatted(name, source, destination, minPairs);
  }

  private static String get(Agent a, String path) throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + a.httpPort() + path)).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    return r.body();
  }

  private static List<JsonObject> gates(Agent a) throws Exception {
    JsonArray all =
        new JsonObject(get(a, "/api/v1/migrations"))
            .getJsonObject("data")
            .getJsonArray("migrations");
    List<JsonObject> out = new ArrayList<>();
    for (int i = 0; i < all.size(); i++) {
      out.add(all.getJsonObject(i));
    }
    return out;
  }

  private static double pairs(Agent a, String migration) throws Exception {
    Scrape s = Scrape.parse(get(a, "/metrics"));
    return s.value("vecwatch_migration_pairs_total", "migration", migration);
  }

  private Agent start(Path file) throws Exception {
    return Agent.builder(new ConfigLoader(Map.of(), TargetKinds.lookup()).load(file))
        .configFile(Optional.of(file))
        .start();
  }

  @Test
  void keepsUnchangedMigrationsRestartsChangedStartsAddedAndDropsRemoved() throws Exception {
    Path file = dir.resolve("vecwatch.yml");
    Files.writeString(
        file,
        HEAD.formatted("")
            + migration("kept", "old", "copy", 10)
            + migration("changed", "old", "other", 10)
            + migration("removed", "copy", "other", 10));
    try (Agent a = start(file)) {
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> pairs(a, "kept") >= 20 && pairs(a, "changed") >= 20);
      double keptBefore = pairs(a, "kept");
      double changedBefore = pairs(a, "changed");

      Files.writeString(
          file,
          HEAD.formatted("")
              + migration("kept", "old", "copy", 10)
              + migration("changed", "old", "copy", 10)
              + migration("added", "other", "copy", 10));
      assertThat(a.reload().status()).isEqualTo(200);

      assertThat(gates(a))
          .extracting(m -> m.getString("name"))
          .containsExactly("kept", "changed", "added");
      assertThat(pairs(a, "kept")).isGreaterThanOrEqualTo(keptBefore);
      assertThat(pairs(a, "changed")).isLessThan(changedBefore);
      String metrics = get(a, "/metrics");
      assertThat(metrics).doesNotContain("migration=\"removed\"");
      assertThat(metrics).contains("vecwatch_migration_pairs_total{migration=\"added\"}");
      // the added one runs on the targets that were already running, the changed one again
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> pairs(a, "added") >= 10 && pairs(a, "changed") >= 10);
      // the API shows the reports of the last refresh (every second)
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () ->
                  assertThat(gates(a))
                      .allSatisfy(m -> assertThat(m.getString("state")).isEqualTo("running")));
      assertThat(gates(a).get(1).getString("destination")).isEqualTo("copy");
    }
  }

  @Test
  void aMigrationWhoseTargetIsRebuiltRunsAgainOnTheRebuiltTarget() throws Exception {
    Path file = dir.resolve("vecwatch.yml");
    Files.writeString(file, HEAD.formatted("") + migration("m", "old", "other", 10));
    try (Agent a = start(file)) {
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> pairs(a, "m") >= 20);
      double before = pairs(a, "m");

      // a new label rebuilds target "other"; the migration itself is unchanged
      Files.writeString(
          file, HEAD.formatted(", labels: {tier: b}") + migration("m", "old", "other", 10));
      assertThat(a.reload().status()).isEqualTo(200);

      assertThat(pairs(a, "m")).isLessThan(before);
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> pairs(a, "m") >= 10);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> gates(a).get(0).getString("state").equals("running"));
    }
  }
}
