package io.vecwatch.web;

import io.vecwatch.BuildInfo;
import io.vecwatch.stats.SnapshotSource;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.ServerSSLOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The agent's HTTP endpoints on Vert.x:
 *
 * <ul>
 *   <li>{@code /metrics}: Prometheus text 0.0.4, or OpenMetrics text when {@code Accept} asks for
 *       it;
 *   <li>{@code /-/healthy}: 200 while the process runs;
 *   <li>{@code /-/ready}: 200 once every target was probed or failed at least once, 503 before;
 *   <li>{@code /api/v1/targets}: JSON state and window statistics per target;
 *   <li>{@code /}: a small landing page linking these.
 * </ul>
 *
 * <p>Scrapes and snapshots run on Vert.x worker threads ({@code executeBlocking}), never on the
 * event loop: they are CPU-only and fast, but a JVM thread-state gauge walks every thread.
 */
public final class WebServer {
  private final HttpServer server;

  private WebServer(HttpServer server) {
    this.server = server;
  }

  /**
   * Starts listening; the future fails when the address cannot be bound.
   *
   * @param scrape renders the metrics in the given content type
   * @param contentTypeFor picks the content type for an {@code Accept} header
   * @param ready whether every target was observed at least once
   */
  public static Future<WebServer> start(
      Vertx vertx,
      String host,
      int port,
      Function<String, String> scrape,
      Function<String, String> contentTypeFor,
      SnapshotSource snapshots,
      BooleanSupplier ready) {
    return start(vertx, host, port, scrape, contentTypeFor, snapshots, ready, router -> {});
  }

  /**
   * As above, with more routes (the rule engine's API, reload, fault injection) added by {@code
   * extraRoutes}.
   */
  public static Future<WebServer> start(
      Vertx vertx,
      String host,
      int port,
      Function<String, String> scrape,
      Function<String, String> contentTypeFor,
      SnapshotSource snapshots,
      BooleanSupplier ready,
      Consumer<Router> extraRoutes) {
    return start(
        vertx,
        host,
        port,
        WebSecurity.none(),
        scrape,
        contentTypeFor,
        snapshots,
        ready,
        extraRoutes);
  }

  /**
   * As above, every route behind {@code security} (TLS, basic auth, headers, rate limit from the
   * web config file): like Prometheus exporters, nothing is left open, probes included.
   */
  public static Future<WebServer> start(
      Vertx vertx,
      String host,
      int port,
      WebSecurity security,
      Function<String, String> scrape,
      Function<String, String> contentTypeFor,
      SnapshotSource snapshots,
      BooleanSupplier ready,
      Consumer<Router> extraRoutes) {
    Router router = Router.router(vertx);
    router.route().handler(security::handle);
    extraRoutes.accept(router);
    router
        .get("/metrics")
        .handler(
            ctx -> {
              String type = contentTypeFor.apply(ctx.request().getHeader("Accept"));
              vertx
                  .executeBlocking(() -> scrape.apply(type), false)
                  .onComplete(
                      ar -> {
                        if (ar.succeeded()) {
                          ctx.response().putHeader("Content-Type", type).end(ar.result());
                        } else {
                          ctx.fail(ar.cause());
                        }
                      });
            });
    router.get("/-/healthy").handler(ctx -> text(ctx, 200, "vecwatch is Healthy.\n"));
    router
        .get("/-/ready")
        .handler(
            ctx -> {
              if (ready.getAsBoolean()) {
                text(ctx, 200, "vecwatch is Ready.\n");
              } else {
                text(ctx, 503, "vecwatch is not ready: some targets were not probed yet.\n");
              }
            });
    router
        .get("/api/v1/targets")
        .handler(
            ctx ->
                vertx
                    .executeBlocking(() -> TargetsJson.render(snapshots.snapshot()).encode(), false)
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
    router
        .get("/docs/runbooks.md")
        .handler(
            ctx ->
                RunbookPage.html()
                    .ifPresentOrElse(
                        page ->
                            ctx.response()
                                .putHeader("Content-Type", "text/html; charset=utf-8")
                                .end(page),
                        () -> text(ctx, 404, "the runbooks are not packed in this build\n")));
    router
        .get("/")
        .handler(
            ctx ->
                ctx.response().putHeader("Content-Type", "text/html; charset=utf-8").end(LANDING));
    // gzip when the client asks for it (Prometheus always does). HTTP/2 only over TLS (ALPN), as
    // exporter-toolkit serves it: no cleartext "Upgrade: h2c", which no scraper needs.
    HttpServerOptions options =
        new HttpServerOptions()
            .setHost(host)
            .setPort(port)
            .setCompressionSupported(true)
            .setHttp2ClearTextEnabled(false);
    if (security.tlsEnabled()) {
      ServerSSLOptions ssl = security.sslOptions();
      options
          .setSsl(true)
          .setUseAlpn(security.config().http2())
          .setKeyCertOptions(ssl.getKeyCertOptions())
          .setTrustOptions(ssl.getTrustOptions())
          .setClientAuth(ssl.getClientAuth())
          .setEnabledSecureTransportProtocols(ssl.getEnabledSecureTransportProtocols());
      ssl.getEnabledCipherSuites().forEach(options::addEnabledCipherSuite);
    }
    HttpServer server = vertx.createHttpServer(options).requestHandler(router);
    security.onTlsChange(() -> server.updateSSLOptions(security.sslOptions(), true));
    return server.listen().map(WebServer::new);
  }

  private static void text(RoutingContext ctx, int status, String body) {
    ctx.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "text/plain; charset=utf-8")
        .end(body);
  }

  /** The port actually bound (useful with port 0). */
  public int port() {
    return server.actualPort();
  }

  public Future<Void> close() {
    return server.close();
  }

  private static final String LANDING =
      """
      <!DOCTYPE html>
      <html lang="en">
      <head><meta charset="utf-8"><title>vecwatch</title>
      <style>body{font-family:sans-serif;margin:2em;max-width:40em}code{background:#eee;padding:0 .2em}</style>
      </head>
      <body>
      <h1>vecwatch</h1>
      <p>Canary probes, latency, recall@K and health of vector databases. Version %s.</p>
      <ul>
      <li><a href="metrics">/metrics</a> &mdash; Prometheus metrics</li>
      <li><a href="api/v1/targets">/api/v1/targets</a> &mdash; targets, state, window statistics (JSON)</li>
      <li><a href="api/v1/migrations">/api/v1/migrations</a> &mdash; migrations and their release gates (JSON)</li>
      <li><a href="-/ready">/-/ready</a> &mdash; 200 once every target was probed</li>
      <li><a href="-/healthy">/-/healthy</a> &mdash; 200 while the process runs</li>
      <li><a href="docs/runbooks.md">/docs/runbooks.md</a> &mdash; what each alert means and what to do</li>
      </ul>
      </body>
      </html>
      """
          .formatted(BuildInfo.version());
}
