package io.vecwatch.web;

import io.vecwatch.rules.AlertingService;
import io.vecwatch.target.FaultInjection;
import io.vecwatch.time.Durations;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The alerting and admin routes: {@code GET /api/v1/rules}, {@code GET /api/v1/alerts}, and with
 * {@code --web.enable-lifecycle} {@code POST /-/reload}, {@code POST /-/quit} and, when {@code
 * faults.admin_api} is on, {@code POST /-/faults?target=T&delay=D}. Replies are computed off the
 * event loop (reload reads files; the others take locks shared with rule evaluation); until
 * alerting has started they answer 503.
 *
 * <pre>{@code
 * AdminRoutes admin = new AdminRoutes(vertx, agent::alerting, faults, config.faults().adminApi(), names::contains);
 * WebServer.start(vertx, ..., admin::addTo);
 * }</pre>
 */
public final class AdminRoutes {
  private static final Logger LOG = LoggerFactory.getLogger(AdminRoutes.class);
  private static final String TEXT = "text/plain; charset=utf-8";

  private final Vertx vertx;
  private final Supplier<AlertingService> alerting;
  private final FaultInjection faults;
  private final boolean faultsApi;
  private final Predicate<String> knownTarget;
  private final boolean lifecycle;
  private final Supplier<AlertingService.Reply> reload;
  private final Runnable onQuit;

  /**
   * @param alerting the running alerting service, or null while it is starting
   * @param faultsApi whether {@code POST /-/faults} is served
   * @param knownTarget whether a target of that name exists
   * @param lifecycle {@code --web.enable-lifecycle}: without it {@code /-/reload}, {@code /-/quit}
   *     and {@code /-/faults} answer 403, as in Prometheus
   * @param reload what {@code POST /-/reload} does (may block: it runs off the event loop)
   * @param onQuit what {@code POST /-/quit} does once it answered
   */
  public AdminRoutes(
      Vertx vertx,
      Supplier<AlertingService> alerting,
      FaultInjection faults,
      boolean faultsApi,
      Predicate<String> knownTarget,
      boolean lifecycle,
      Supplier<AlertingService.Reply> reload,
      Runnable onQuit) {
    this.vertx = vertx;
    this.alerting = alerting;
    this.faults = faults;
    this.faultsApi = faultsApi;
    this.knownTarget = knownTarget;
    this.lifecycle = lifecycle;
    this.reload = reload;
    this.onQuit = onQuit;
  }

  /** Adds the routes to {@code router}. */
  public void addTo(Router router) {
    router.get("/api/v1/rules").handler(ctx -> reply(ctx, s -> s.rules()));
    router.get("/api/v1/alerts").handler(ctx -> reply(ctx, s -> s.alerts()));
    router
        .post("/-/reload")
        .handler(
            ctx -> {
              if (!lifecycleOff(ctx)) {
                reply(ctx, s -> reload.get());
              }
            });
    router.route("/-/reload").handler(AdminRoutes::onlyPost);
    router
        .post("/-/quit")
        .handler(
            ctx -> {
              if (!lifecycleOff(ctx)) {
                ctx.response()
                    .putHeader("Content-Type", TEXT)
                    .end("Requesting termination... Goodbye!\n")
                    .onComplete(
                        ar -> {
                          LOG.info("received POST /-/quit: stopping");
                          onQuit.run();
                        });
              }
            });
    router.route("/-/quit").handler(AdminRoutes::onlyPost);
    if (faultsApi) {
      router
          .post("/-/faults")
          .handler(
              ctx -> {
                if (!lifecycleOff(ctx)) {
                  reply(
                      ctx,
                      s ->
                          setFault(
                              ctx.request().getParam("target"), ctx.request().getParam("delay")));
                }
              });
    }
  }

  /** 403 with Prometheus' one-line reason when {@code --web.enable-lifecycle} is off; true then. */
  private boolean lifecycleOff(RoutingContext ctx) {
    if (lifecycle) {
      return false;
    }
    ctx.response()
        .setStatusCode(403)
        .putHeader("Content-Type", TEXT)
        .end("Lifecycle API is not enabled.\n");
    return true;
  }

  private static void onlyPost(RoutingContext ctx) {
    ctx.response()
        .setStatusCode(405)
        .putHeader("Allow", "POST")
        .putHeader("Content-Type", TEXT)
        .end("Only POST requests allowed\n");
  }

  private void reply(RoutingContext ctx, Function<AlertingService, AlertingService.Reply> work) {
    AlertingService s = alerting.get();
    if (s == null) {
      ctx.response()
          .setStatusCode(503)
          .putHeader("Content-Type", TEXT)
          .end("alerting is starting\n");
      return;
    }
    vertx
        .executeBlocking(() -> work.apply(s), false)
        .onComplete(
            ar -> {
              if (ar.succeeded()) {
                ctx.response()
                    .setStatusCode(ar.result().status())
                    .putHeader("Content-Type", ar.result().contentType())
                    .end(ar.result().body());
              } else {
                ctx.fail(ar.cause());
              }
            });
  }

  AlertingService.Reply setFault(String target, String delay) {
    if (target == null || !knownTarget.test(target)) {
      return new AlertingService.Reply(404, TEXT, "no target named " + target + "\n");
    }
    Duration d;
    try {
      d = Durations.parse(delay == null ? "" : delay);
    } catch (IllegalArgumentException | ArithmeticException e) {
      return new AlertingService.Reply(400, TEXT, "delay: " + e.getMessage() + "\n");
    }
    faults.setDelay(target, d);
    LOG.warn("fault injection: every search of {} now waits {}", target, Durations.format(d));
    return new AlertingService.Reply(200, TEXT, target + " delay " + Durations.format(d) + "\n");
  }
}
