package io.vecwatch.agent;

import io.vecwatch.BuildInfo;
import io.vecwatch.config.VecwatchConfig;
import io.vecwatch.errors.Errors;
import io.vecwatch.metrics.AgentMetrics;
import io.vecwatch.migration.Migrations;
import io.vecwatch.target.FaultInjection;
import io.vecwatch.time.Clock;
import io.vecwatch.web.AdminRoutes;
import io.vecwatch.web.AgentInfo;
import io.vecwatch.web.DemoFault;
import io.vecwatch.web.MigrationsJson;
import io.vecwatch.web.StatusRoutes;
import io.vecwatch.web.WebSecurity;
import io.vecwatch.web.WebServer;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The agent's HTTP side: binds {@link WebServer} with the status page, the admin and alerting
 * routes and the migrations API, all behind the same {@link WebSecurity}.
 */
final class AgentWeb {
  private AgentWeb() {}

  /** What {@link #start} bound: the server and the status page (closed with the agent). */
  record Bound(WebServer server, StatusRoutes status) {}

  static Bound start(
      Agent agent,
      Vertx vertx,
      VecwatchConfig config,
      WebSecurity security,
      AgentMetrics metrics,
      TargetSet targets,
      Migrations migrations,
      FaultInjection faults,
      Optional<Path> configFile,
      long startedMillis,
      boolean lifecycle,
      Runnable onQuit,
      Clock clock)
      throws AgentStartException {
    AdminRoutes admin =
        new AdminRoutes(
            vertx,
            agent::alerting,
            faults,
            config.faults().adminApi(),
            targets::contains,
            lifecycle,
            agent::reload,
            onQuit);
    AgentInfo info =
        new AgentInfo(
            BuildInfo.version(),
            startedMillis,
            configFile.map(Path::toString).orElse("embedded demo config"),
            config.faults().demoTarget().map(t -> new DemoFault(faults, t, clock)));
    StatusRoutes[] status = new StatusRoutes[1];
    try {
      WebServer server =
          WebServer.start(
                  vertx,
                  config.web().host(),
                  config.web().port(),
                  security,
                  metrics::scrape,
                  AgentMetrics::contentTypeFor,
                  agent,
                  agent::ready,
                  router -> {
                    AgentStatus sources = new AgentStatus(agent, targets.all(), agent::alerting);
                    status[0] = StatusRoutes.install(router, vertx, sources, info, clock);
                    admin.addTo(router);
                    MigrationsJson.route(vertx, router, migrations::reports);
                  })
              .toCompletionStage()
              .toCompletableFuture()
              .get(30, TimeUnit.SECONDS);
      return new Bound(server, status[0]);
    } catch (ExecutionException e) {
      Throwable c = e.getCause() == null ? e : e.getCause();
      throw new AgentStartException(
          "cannot listen on " + config.web().listenAddress() + ": " + Errors.describe(c), c);
    } catch (TimeoutException e) {
      throw new AgentStartException(
          "cannot listen on " + config.web().listenAddress() + ": timed out", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AgentStartException("interrupted while starting the HTTP server", e);
    }
  }
}
