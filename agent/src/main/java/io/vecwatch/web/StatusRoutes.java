package io.vecwatch.web;

import io.vecwatch.Bundled;
import io.vecwatch.probe.OnDemandProbe;
import io.vecwatch.time.Clock;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The status page and what belongs to it: {@code GET /} (the page), {@code GET /status/fragment}
 * (its refreshing part), {@code /status.js} and {@code /status.css}, {@code GET /probe} ({@link
 * ProbeEndpoint}), the bundled documentation under {@code /docs/}, and, when the config enables it,
 * {@code POST /-/demo-fault}. Also samples every target every few seconds for the page's
 * sparklines.
 *
 * <pre>{@code
 * StatusRoutes status = StatusRoutes.install(router, vertx, sources, info, clock);
 * ...
 * status.close();
 * }</pre>
 */
public final class StatusRoutes implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StatusRoutes.class);
  private static final Pattern DOC_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*\\.md");

  /** No script, style or frame from anywhere else; the page's own SVG is inline. */
  static final String CSP =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
          + "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

  private final Vertx vertx;
  private final long timer;
  private final OnDemandProbe probes;

  private StatusRoutes(Vertx vertx, long timer, OnDemandProbe probes) {
    this.vertx = vertx;
    this.timer = timer;
    this.probes = probes;
  }

  public static StatusRoutes install(
      Router router, Vertx vertx, StatusSources sources, AgentInfo info, Clock clock) {
    StatusHistory history = new StatusHistory(Math.max(1, sources.snapshot().targets().size()));
    StatusPage page = new StatusPage(sources, info, history, clock);
    OnDemandProbe probes = OnDemandProbe.create(clock);
    ProbeEndpoint probe = new ProbeEndpoint(sources, probes, clock);
    String js = resource("status.js");
    String css = resource("status.css");

    router.get("/").handler(ctx -> blocking(ctx, vertx, "text/html; charset=utf-8", page::page));
    router
        .get("/status/fragment")
        .handler(ctx -> blocking(ctx, vertx, "text/html; charset=utf-8", page::fragment));
    router.get("/status.js").handler(ctx -> asset(ctx, "text/javascript; charset=utf-8", js));
    router.get("/status.css").handler(ctx -> asset(ctx, "text/css; charset=utf-8", css));
    router.get("/probe").handler(probe::handle);
    router
        .get("/docs")
        .handler(ctx -> ctx.response().setStatusCode(301).putHeader("Location", "docs/").end());
    router
        .get("/docs/")
        .handler(ctx -> blocking(ctx, vertx, "text/html; charset=utf-8", StatusRoutes::docsIndex));
    router
        .get("/docs/:name")
        .handler(
            ctx -> {
              String name = ctx.pathParam("name");
              // runbooks.md is served as HTML with one anchor per alert (RunbookPage), so
              // runbook_url links land there
              if (!DOC_NAME.matcher(name).matches() || name.equals("runbooks.md")) {
                ctx.next();
                return;
              }
              vertx
                  .executeBlocking(() -> Bundled.read(Bundled.DOCS, name), false)
                  .onComplete(
                      ar -> {
                        if (ar.failed()) {
                          ctx.fail(ar.cause());
                        } else if (ar.result().isEmpty()) {
                          ctx.response()
                              .setStatusCode(404)
                              .putHeader("Content-Type", "text/plain; charset=utf-8")
                              .end("no document " + name + " in this build\n");
                        } else {
                          ctx.response()
                              .putHeader("Content-Type", "text/plain; charset=utf-8")
                              .putHeader("X-Content-Type-Options", "nosniff")
                              .end(ar.result().get());
                        }
                      });
            });
    info.demoFault()
        .ifPresent(
            d ->
                router
                    .post("/-/demo-fault")
                    .handler(
                        ctx -> {
                          d.start();
                          LOG.warn("demo fault: {} (started from the status page)", d.describe());
                          // back to the page (a plain form post works without JavaScript)
                          ctx.response().setStatusCode(303).putHeader("Location", "../").end();
                        }));

    long timer =
        vertx.setPeriodic(
            1,
            StatusPage.REFRESH_SECONDS * 1000L,
            id ->
                vertx.executeBlocking(
                    () -> {
                      page.sample();
                      info.demoFault()
                          .ifPresent(
                              d -> {
                                if (d.expire()) {
                                  LOG.warn(
                                      "demo fault over: {} answers at full speed again",
                                      d.target());
                                }
                              });
                      return null;
                    },
                    false));
    return new StatusRoutes(vertx, timer, probes);
  }

  private static void blocking(
      RoutingContext ctx, Vertx vertx, String type, Callable<String> render) {
    vertx
        .executeBlocking(render, false)
        .onComplete(
            ar -> {
              if (ar.succeeded()) {
                ctx.response()
                    .putHeader("Content-Type", type)
                    .putHeader("Content-Security-Policy", CSP)
                    .putHeader("X-Content-Type-Options", "nosniff")
                    .putHeader("Cache-Control", "no-store")
                    .end(ar.result());
              } else {
                ctx.fail(ar.cause());
              }
            });
  }

  private static void asset(RoutingContext ctx, String type, String body) {
    ctx.response()
        .putHeader("Content-Type", type)
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Cache-Control", "max-age=300")
        .end(body);
  }

  private static String docsIndex() throws IOException {
    List<String> names = Bundled.list(Bundled.DOCS, ".md");
    StringBuilder b =
        new StringBuilder(
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>vecwatch docs</title>"
                + "<link rel=\"stylesheet\" href=\"../status.css\"></head><body><header><h1>vecwatch documentation</h1>"
                + "</header><main><p><a href=\"../\">← status</a></p><ul>");
    for (String n : names) {
      b.append("<li><a href=\"")
          .append(Html.esc(n))
          .append("\">")
          .append(Html.esc(n))
          .append("</a></li>");
    }
    if (names.isEmpty()) {
      b.append("<li>This build carries no documentation.</li>");
    }
    return b.append("</ul></main></body></html>\n").toString();
  }

  private static String resource(String name) {
    try (InputStream in = StatusRoutes.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("io/vecwatch/web/" + name + " is missing from the build");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Stops sampling and the probes on demand. */
  @Override
  public void close() {
    vertx.cancelTimer(timer);
    probes.close();
  }
}
