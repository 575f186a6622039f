package io.vecwatch.web;

import io.vecwatch.stats.AgentSnapshot;
import io.vecwatch.stats.HealthSnapshot;
import io.vecwatch.stats.LatencyQuantiles;
import io.vecwatch.stats.ProbeSnapshot;
import io.vecwatch.stats.ProbeWindowStats;
import io.vecwatch.stats.RecallWindow;
import io.vecwatch.stats.TargetSnapshot;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.OptionalLong;

/**
 * The {@code /api/v1/targets} document, in the Prometheus HTTP API envelope ({@code {"status":
 * "success", "data": ...}}). Times are RFC 3339; numbers that are undefined (no data in the window)
 * are {@code null}.
 */
final class TargetsJson {
  private TargetsJson() {}

  static JsonObject render(AgentSnapshot s) {
    JsonArray targets = new JsonArray();
    for (TargetSnapshot t : s.targets()) {
      targets.add(target(t));
    }
    return new JsonObject()
        .put("status", "success")
        .put(
            "data",
            new JsonObject()
                .put("time", Instant.ofEpochMilli(s.wallMillis()).toString())
                .put("ready", s.ready())
                .put("targets", targets));
  }

  private static JsonObject target(TargetSnapshot t) {
    JsonObject labels = new JsonObject();
    t.labels().forEach(labels::put);
    HealthSnapshot h = t.health();
    JsonArray probes = new JsonArray();
    t.probes().forEach(p -> probes.add(probe(p)));
    return new JsonObject()
        .put("name", t.name())
        .put("kind", t.kind())
        .put("labels", labels)
        .put("state", t.state().label())
        .put("last_error", t.lastError().orElse(null))
        .put("last_error_time", time(t.lastErrorWallMillis()))
        .put(
            "health",
            new JsonObject()
                .put("up", h.up())
                .put("consecutive_failures", h.consecutiveFailures())
                .put("last_check_time", time(h.lastCheckWallMillis()))
                .put("reasons", new JsonArray(h.reasons())))
        .put("entities", t.entities().isPresent() ? t.entities().getAsLong() : null)
        .put(
            "expected_entities",
            t.expectedEntities().isPresent() ? t.expectedEntities().getAsLong() : null)
        .put("probes", probes);
  }

  private static JsonObject probe(ProbeSnapshot p) {
    ProbeWindowStats w = p.window();
    LatencyQuantiles q = w.latency();
    JsonArray recall = new JsonArray();
    for (RecallWindow r : w.recall()) {
      recall.add(
          new JsonObject()
              .put("k", r.k())
              .put("ratio", num(r.mean()))
              .put("queries", r.queries())
              .put("distance_ratio", num(r.distanceMean()))
              .put("distance_queries", r.distanceQueries()));
    }
    return new JsonObject()
        .put("dataset", p.dataset())
        .put(
            "window",
            new JsonObject()
                .put("seconds", w.window().toNanos() / 1e9)
                .put("covered_seconds", w.covered().toNanos() / 1e9)
                .put(
                    "requests",
                    new JsonObject()
                        .put("ok", w.ok())
                        .put("error", w.errors())
                        .put("timeout", w.timeouts()))
                .put("skipped", w.skipped())
                .put("requests_per_second", num(w.requestsPerSecond()))
                .put("error_ratio", num(w.errorRatio()))
                .put("timeout_ratio", num(w.timeoutRatio()))
                .put(
                    "latency_seconds",
                    new JsonObject()
                        .put("p50", num(q.p50()))
                        .put("p95", num(q.p95()))
                        .put("p99", num(q.p99()))
                        .put("p999", num(q.p999())))
                .put("recall", recall))
        .put(
            "totals",
            new JsonObject()
                .put("ok", p.okTotal())
                .put("error", p.errorTotal())
                .put("timeout", p.timeoutTotal())
                .put("skipped", p.skippedTotal()))
        .put("lag_seconds", num(p.lagSeconds()));
  }

  private static Double num(double d) {
    return Double.isFinite(d) ? d : null;
  }

  private static String time(OptionalLong wallMillis) {
    return wallMillis.isPresent() ? Instant.ofEpochMilli(wallMillis.getAsLong()).toString() : null;
  }
}
