package io.vecwatch.web;

import io.vecwatch.migration.MigrationSnapshot;
import io.vecwatch.migration.Migrations;
import io.vecwatch.migration.ReleaseGate;
import io.vecwatch.stats.LatencyQuantiles;
import io.vecwatch.stats.RecallWindow;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code GET /api/v1/migrations}: per migration, its release gate (each check with value, threshold
 * and verdict {@code pass} / {@code fail} / {@code insufficient data}, and the overall verdict) and
 * the numbers behind it, in the Prometheus HTTP API envelope. Undefined numbers are {@code null}.
 */
public final class MigrationsJson {
  private MigrationsJson() {}

  /** Adds the route; {@code reports} hands out the latest immutable reports. */
  public static void route(
      Vertx vertx, Router router, Supplier<List<Migrations.MigrationReport>> reports) {
    router
        .get("/api/v1/migrations")
        .handler(
            ctx ->
                vertx
                    .executeBlocking(() -> render(reports.get()).encode(), false)
                    .onComplete(
                        ar -> {
                          if (ar.succeeded()) {
                            ctx.response()
                                .putHeader("Content-Type", "application/json")
                                .end(ar.result());
                          } else {
                            ctx.fail(ar.cause());
                          }
                        }));
  }

  public static JsonObject render(List<Migrations.MigrationReport> reports) {
    JsonArray out = new JsonArray();
    reports.forEach(r -> out.add(migration(r)));
    return new JsonObject()
        .put("status", "success")
        .put("data", new JsonObject().put("migrations", out));
  }

  private static JsonObject migration(Migrations.MigrationReport r) {
    MigrationSnapshot s = r.snapshot();
    JsonArray checks = new JsonArray();
    for (ReleaseGate.Check c : r.gate().checks()) {
      JsonObject o =
          new JsonObject()
              .put("check", c.name())
              .put("value", num(c.value()))
              .put("comparison", c.comparison())
              .put("threshold", c.threshold())
              .put("verdict", c.verdict().label())
              .put("detail", c.detail());
      if (c.name().equals(ReleaseGate.OVERLAP)) {
        o.put("k", r.thresholds().overlapAtK());
      }
      checks.add(o);
    }
    JsonArray overlap = new JsonArray();
    s.overlap()
        .forEach(o -> overlap.add(new JsonObject().put("k", o.k()).put("ratio", num(o.mean()))));
    MigrationSnapshot.Counts c = s.counts();
    MigrationSnapshot.Records rec = s.records();
    return new JsonObject()
        .put("name", s.name())
        .put("source", s.sourceTarget())
        .put("destination", s.destinationTarget())
        .put("dataset", s.dataset())
        .put("state", s.state())
        .put("problem", s.problem().orElse(null))
        .put(
            "gate",
            new JsonObject().put("verdict", r.gate().verdict().label()).put("checks", checks))
        .put(
            "window",
            new JsonObject()
                .put("seconds", s.window().toNanos() / 1e9)
                .put("covered_seconds", s.covered().toNanos() / 1e9)
                .put("pairs", s.pairs()))
        .put(
            "totals",
            new JsonObject()
                .put("pairs", s.pairsTotal())
                .put("unpaired", s.unpairedTotal())
                .put("sampled_records", rec.sampledTotal()))
        .put("overlap", overlap)
        .put("relative_score_difference", num(s.scoreDifference()))
        .put(
            "latency_ratio",
            new JsonObject()
                .put("p50", num(s.latencyRatio().p50()))
                .put("p95", num(s.latencyRatio().p95()))
                .put("p99", num(s.latencyRatio().p99())))
        .put(
            "sides",
            new JsonObject()
                .put("source", side(s.source()))
                .put("destination", side(s.destination())))
        .put(
            "entity_counts",
            new JsonObject()
                .put("samples", c.samples())
                .put("source", num(c.source()))
                .put("destination", num(c.destination()))
                .put("difference", num(c.difference()))
                .put("source_growth_per_second", num(c.sourceGrowthPerSecond()))
                .put("destination_growth_per_second", num(c.destinationGrowthPerSecond())))
        .put(
            "records",
            new JsonObject()
                .put("sampled", rec.sampled())
                .put("missing", rec.missing())
                .put("mismatched", rec.mismatched())
                .put("missing_ratio", num(rec.missingRatio()))
                .put("mismatched_ratio", num(rec.mismatchedRatio()))
                .put("unavailable", rec.unavailable().orElse(null)));
  }

  private static JsonObject side(MigrationSnapshot.Side s) {
    JsonArray recall = new JsonArray();
    for (RecallWindow r : s.recall()) {
      recall.add(
          new JsonObject().put("k", r.k()).put("ratio", num(r.mean())).put("queries", r.queries()));
    }
    LatencyQuantiles q = s.pairedLatency();
    return new JsonObject()
        .put("target", s.target())
        .put("recall", recall)
        .put(
            "paired_latency_seconds",
            new JsonObject()
                .put("p50", num(q.p50()))
                .put("p95", num(q.p95()))
                .put("p99", num(q.p99())))
        .put(
            "requests",
            new JsonObject()
                .put("ok", s.ok())
                .put("error", s.errors())
                .put("timeout", s.timeouts()))
        .put("last_error", s.lastError().orElse(null));
  }

  private static Double num(double d) {
    return Double.isFinite(d) ? d : null;
  }
}
