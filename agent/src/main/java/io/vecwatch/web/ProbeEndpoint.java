package io.vecwatch.web;

import io.vecwatch.probe.OnDemandProbe;
import io.vecwatch.time.Clock;
import io.vecwatch.time.Durations;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * {@code GET /probe?target=NAME[&query=I][&timeout=D][&debug=true]}: one search now, outside the
 * continuous schedule (see {@link OnDemandProbe}). JSON by default: latency, outcome, error text,
 * returned ids and scores, recall@K against the ground truth, the trace; with {@code debug=true}
 * the trace as plain text, as blackbox_exporter's debug output. Rate-limited for the whole agent
 * ({@value #LIMIT_TEXT}): more gets 429 with {@code Retry-After}. The deadline is {@code timeout}
 * (at most {@value #MAX_TIMEOUT_TEXT}), else the probe's own.
 */
final class ProbeEndpoint {
  static final double RATE_PER_SECOND = 1.0;
  static final int BURST = 5;
  static final String LIMIT_TEXT = "at most 5 at once, then 1 per second, for the whole agent";
  static final Duration MAX_TIMEOUT = Duration.ofSeconds(30);
  static final String MAX_TIMEOUT_TEXT = "30s";

  private final StatusSources sources;
  private final OnDemandProbe probes;
  private final RateLimiter limiter;

  ProbeEndpoint(StatusSources sources, OnDemandProbe probes, Clock clock) {
    this.sources = sources;
    this.probes = probes;
    this.limiter = RateLimiter.create(clock, RATE_PER_SECOND, BURST);
  }

  void handle(RoutingContext ctx) {
    String target = param(ctx, "target");
    boolean debug = "true".equalsIgnoreCase(param(ctx, "debug"));
    if (target == null) {
      text(ctx, 400, "target: missing; use /probe?target=NAME (names are on /api/v1/targets)\n");
      return;
    }
    OptionalInt query = OptionalInt.empty();
    String q = param(ctx, "query");
    if (q != null) {
      try {
        query = OptionalInt.of(Integer.parseInt(q));
      } catch (NumberFormatException e) {
        text(ctx, 400, "query: not a whole number: " + q + "\n");
        return;
      }
    }
    Optional<Duration> timeout = Optional.empty();
    String t = param(ctx, "timeout");
    if (t != null) {
      try {
        Duration d = Durations.parse(t);
        if (d.isZero() || d.isNegative() || d.compareTo(MAX_TIMEOUT) > 0) {
          throw new IllegalArgumentException("must be above 0 and at most " + MAX_TIMEOUT_TEXT);
        }
        timeout = Optional.of(d);
      } catch (IllegalArgumentException | ArithmeticException e) {
        text(ctx, 400, "timeout: " + e.getMessage() + "\n");
        return;
      }
    }
    if (sources.snapshot().target(target).isEmpty()) {
      text(ctx, 404, "no target named " + target + " (names are on /api/v1/targets)\n");
      return;
    }
    Optional<OnDemandProbe.Subject> subject = sources.onDemand(target);
    if (subject.isEmpty()) {
      text(
          ctx,
          503,
          "target "
              + target
              + " is not probed yet (being built, misconfigured or without a probe)\n");
      return;
    }
    long wait = limiter.tryAcquire();
    if (wait > 0) {
      ctx.response()
          .putHeader(
              "Retry-After", Long.toString(Math.max(1, (wait + 999_999_999L) / 1_000_000_000L)));
      text(ctx, 429, "too many probes on demand: " + LIMIT_TEXT + "\n");
      return;
    }
    OnDemandProbe.Subject s = subject.get();
    try {
      Future.fromCompletionStage(
              probes.start(s, query, timeout.orElse(s.timeout())), ctx.vertx().getOrCreateContext())
          .onComplete(
              ar -> {
                if (ar.failed()) {
                  ctx.fail(ar.cause());
                } else if (debug) {
                  text(ctx, 200, debugText(ar.result()));
                } else {
                  ctx.response()
                      .putHeader("Content-Type", "application/json")
                      .end(json(ar.result()).encode());
                }
              });
    } catch (IllegalArgumentException e) {
      text(ctx, 400, e.getMessage() + "\n");
    } catch (OnDemandProbe.BusyException e) {
      ctx.response().putHeader("Retry-After", "1");
      text(ctx, 429, e.getMessage() + "\n");
    }
  }

  static JsonObject json(OnDemandProbe.Report r) {
    JsonArray recall = new JsonArray();
    for (Map.Entry<Integer, Double> e : r.recall().entrySet()) {
      recall.add(
          new JsonObject()
              .put("k", e.getKey())
              .put("ratio", e.getValue())
              .put("hits", Math.round(e.getValue() * e.getKey())));
    }
    return new JsonObject()
        .put("target", r.target())
        .put("kind", r.kind())
        .put("dataset", r.dataset())
        .put("query", r.query())
        .put("k", r.k())
        .put("timeout_seconds", r.timeout().toNanos() / 1e9)
        .put("time", r.started().toString())
        .put("outcome", r.outcome())
        .put("latency_seconds", Double.isFinite(r.latencySeconds()) ? r.latencySeconds() : null)
        .put("error", r.error().orElse(null))
        .put("recall", recall)
        .put("ids", new JsonArray(r.ids()))
        .put("scores", new JsonArray(r.scores()))
        .put("ground_truth_ids", new JsonArray(r.groundTruthIds()))
        .put("trace", new JsonArray(r.trace()));
  }

  static String debugText(OnDemandProbe.Report r) {
    StringBuilder b = new StringBuilder();
    b.append("Logs for the probe:\n");
    r.trace().forEach(l -> b.append(l).append('\n'));
    b.append("\nResult:\n");
    b.append("outcome ").append(r.outcome()).append('\n');
    if (Double.isFinite(r.latencySeconds())) {
      b.append(String.format(Locale.ROOT, "latency_seconds %.6f%n", r.latencySeconds()));
    }
    r.error().ifPresent(e -> b.append("error ").append(e).append('\n'));
    r.recall().forEach((k, v) -> b.append(String.format(Locale.ROOT, "recall@%d %.4f%n", k, v)));
    b.append("ids ").append(r.ids()).append('\n');
    b.append("scores ").append(r.scores()).append('\n');
    b.append("ground_truth_ids ").append(r.groundTruthIds()).append('\n');
    return b.toString();
  }

  private static String param(RoutingContext ctx, String name) {
    String v = ctx.request().getParam(name);
    return v == null || v.isBlank() ? null : v.strip();
  }

  private static void text(RoutingContext ctx, int status, String body) {
    ctx.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "text/plain; charset=utf-8")
        .end(body);
  }
}
