package io.vecwatch.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vecwatch.config.AlertingConfig;
import io.vecwatch.config.AlertingConfig.AlertmanagerConfig;
import io.vecwatch.config.RulesConfig;
import io.vecwatch.notify.AlertmanagerNotifier;
import io.vecwatch.promtext.Labels;
import io.vecwatch.promtext.Sample;
import io.vecwatch.rules.AlertSnapshot;
import io.vecwatch.rules.AlertState;
import io.vecwatch.rules.AlertingRule;
import io.vecwatch.rules.RuleEngine;
import io.vecwatch.rules.RuleScheduler;
import io.vecwatch.time.Clock;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An agent restart with the alert state file while an alert fires, against a real Alertmanager
 * (0.25) whose webhook receiver is this test: whether the target's series are there at the first
 * evaluation after the restart or come back only some evaluations later, Alertmanager keeps the
 * first {@code startsAt} and sends no further notification (no resolve, no second page).
 */
class RestartNoRepageIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ALERT = "VecwatchRestartNoRepage";
  private static final Labels P99 =
      Labels.of(
          "__name__",
          "vecwatch_probe_window_latency_seconds",
          "target",
          "milvus-it",
          "dataset",
          "gen",
          "quantile",
          "0.99");
  private final HttpClient http = HttpClient.newHttpClient();
  private final List<JsonNode> notifications = new CopyOnWriteArrayList<>();
  @TempDir Path dir;
  private HttpServer webhook;
  private AlertmanagerProcess am;

  @BeforeEach
  void startAlertmanagerWithWebhook() throws Exception {
    webhook = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    webhook.createContext(
        "/hook",
        ex -> {
          notifications.add(JSON.readTree(ex.getRequestBody().readAllBytes()));
          ex.sendResponseHeaders(200, -1);
          ex.close();
        });
    webhook.start();
    Path cfg = dir.resolve("alertmanager.yml");
    Files.writeString(
        cfg,
        """
        route:
          receiver: hook
          group_by: [alertname, target]
          group_wait: 1s
          group_interval: 1s
          repeat_interval: 1h
        receivers:
          - name: hook
            webhook_configs:
              - url: http://127.0.0.1:%d/hook
                send_resolved: true
        """
            .formatted(webhook.getAddress().getPort()));
    am = AlertmanagerProcess.withConfig(cfg, dir).start();
    Files.writeString(
        dir.resolve("it.rules.yml"),
        """
        groups:
          - name: it
            rules:
              - alert: %s
                expr: vecwatch_probe_window_latency_seconds{quantile="0.99"} > 0.1
                for: 1s
        """
            .formatted(ALERT));
  }

  @AfterEach
  void stop() throws Exception {
    am.close();
    webhook.stop(0);
  }

  private JsonNode amAlerts() throws Exception {
    String filter = URLEncoder.encode("alertname=\"" + ALERT + "\"", StandardCharsets.UTF_8);
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(am.url().resolve("/api/v2/alerts?filter=" + filter)).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  /**
   * One agent process's alerting: engine, scheduler and notifier (real time: Alertmanager judges
   * endsAt).
   */
  private final class Agent implements AutoCloseable {
    final List<Sample> feed = new CopyOnWriteArrayList<>();
    final RuleEngine engine;
    final AlertmanagerNotifier notifier;
    final RuleScheduler scheduler;

    Agent() throws Exception {
      RulesConfig cfg =
          new RulesConfig(
              List.of("*.rules.yml"),
              Duration.ofMillis(500),
              Duration.ofSeconds(2),
              Map.of(),
              "http://vecwatch-it:9477",
              Optional.of(dir.resolve("alert-state.json")),
              1000);
      AlertmanagerConfig amc =
          new AlertmanagerConfig(
              List.of(am.url()),
              Duration.ofSeconds(5),
              Optional.empty(),
              Optional.empty(),
              AlertingConfig.Tls.NONE,
              1000,
              2,
              Duration.ofMillis(50),
              Duration.ofMillis(200));
      notifier =
          AlertmanagerNotifier.start(
              new AlertingConfig(List.of(amc)),
              Map.of(),
              new SimpleMeterRegistry(),
              Clock.system());
      engine =
          RuleEngine.builder()
              .config(cfg)
              .baseDir(dir)
              .source(() -> List.copyOf(feed))
              .sender(notifier)
              .clock(Clock.system())
              .build();
      scheduler = RuleScheduler.start(engine, Clock.system());
    }

    AlertSnapshot alert() {
      List<AlertSnapshot> all = ((AlertingRule) engine.groups().get(0).rules().get(0)).alerts();
      return all.isEmpty() ? null : all.get(0);
    }

    long evaluations() {
      return engine.groups().get(0).evaluations();
    }

    @Override
    public void close() {
      scheduler.close();
      notifier.close();
    }
  }

  /** Fires the alert, waits for its page, stops the agent; returns the page's startsAt. */
  private String firingThenStopped() throws Exception {
    try (Agent first = new Agent()) {
      first.feed.add(new Sample(P99, 0.25));
      await()
          .atMost(20, TimeUnit.SECONDS)
          .until(() -> first.alert() != null && first.alert().state() == AlertState.FIRING);
      await().atMost(20, TimeUnit.SECONDS).until(() -> notifications.size() == 1);
    }
    JsonNode page = notifications.get(0);
    assertThat(page.get("status").asText()).isEqualTo("firing");
    assertThat(amAlerts()).hasSize(1);
    return amAlerts().get(0).get("startsAt").asText();
  }

  private void assertNoRepage(String startsAt) throws Exception {
    // Long enough for Alertmanager (group_interval 1s) to have sent anything new several times
    // over.
    await()
        .during(4, TimeUnit.SECONDS)
        .atMost(8, TimeUnit.SECONDS)
        .until(() -> notifications.size() == 1);
    JsonNode now = amAlerts();
    assertThat(now).hasSize(1);
    assertThat(now.get(0).get("startsAt").asText())
        .as("same startsAt: not a new alert")
        .isEqualTo(startsAt);
    assertThat(now.get(0).at("/status/state").asText()).isEqualTo("active");
  }

  @Test
  void restartWithSeriesPresentAtOnceDoesNotRepage() throws Exception {
    String startsAt = firingThenStopped();
    try (Agent second = new Agent()) {
      second.feed.add(new Sample(P99, 0.25));
      await().atMost(20, TimeUnit.SECONDS).until(() -> second.evaluations() >= 6);
      assertThat(second.alert().state()).isEqualTo(AlertState.FIRING);
      assertNoRepage(startsAt);
    }
  }

  @Test
  void restartWithSeriesBackAfterSomeEvaluationsDoesNotRepage() throws Exception {
    String startsAt = firingThenStopped();
    try (Agent second = new Agent()) {
      // The target's series come back only after its first probes: 6 evaluations (3 s) without
      // them.
      await().atMost(20, TimeUnit.SECONDS).until(() -> second.evaluations() >= 6);
      assertThat(second.alert().state())
          .as("kept while the series are missing")
          .isEqualTo(AlertState.FIRING);
      second.feed.add(new Sample(P99, 0.25));
      long back = second.evaluations();
      await().atMost(20, TimeUnit.SECONDS).until(() -> second.evaluations() >= back + 6);
      assertThat(second.alert().state()).isEqualTo(AlertState.FIRING);
      assertNoRepage(startsAt);
    }
  }
}
