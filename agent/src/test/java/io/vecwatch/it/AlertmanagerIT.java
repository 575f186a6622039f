package io.vecwatch.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vecwatch.config.AlertingConfig;
import io.vecwatch.config.AlertingConfig.AlertmanagerConfig;
import io.vecwatch.config.RulesConfig;
import io.vecwatch.notify.AlertmanagerNotifier;
import io.vecwatch.promtext.Labels;
import io.vecwatch.promtext.Sample;
import io.vecwatch.rules.AlertSnapshot;
import io.vecwatch.rules.AlertingRule;
import io.vecwatch.rules.RuleEngine;
import io.vecwatch.rules.RuleScheduler;
import io.vecwatch.time.Clock;
import io.vecwatch.time.ManualClock;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Delivery to a real Alertmanager (Debian prometheus-alertmanager 0.25), read back through its API
 * v2.
 */
class AlertmanagerIT {
  private static final Path REPO =
      Path.of(System.getProperty("vecwatch.repo", "..")).toAbsolutePath().normalize();
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();
  @TempDir Path dir;

  private JsonNode alerts(URI am, String alertname) throws Exception {
    String filter = URLEncoder.encode("alertname=\"" + alertname + "\"", StandardCharsets.UTF_8);
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(am.resolve("/api/v2/alerts?filter=" + filter)).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  private static AlertmanagerConfig am(URI url) {
    return new AlertmanagerConfig(
        List.of(url),
        Duration.ofSeconds(5),
        Optional.empty(),
        Optional.empty(),
        AlertingConfig.Tls.NONE,
        1000,
        2,
        Duration.ofMillis(50),
        Duration.ofMillis(200));
  }

  private Path rules(String alertname, String forDuration) throws Exception {
    Path f = dir.resolve("it.rules.yml");
    Files.writeString(
        f,
        """
        groups:
          - name: it
            rules:
              - alert: %s
                expr: vecwatch_probe_window_latency_seconds{quantile="0.99"} > 0.1
                for: %s
                labels: {severity: critical}
                annotations:
                  summary: "P99 of {{ $labels.target }} is {{ $value | humanizeDuration }}"
                  runbook_url: docs/runbooks.md#vecwatchlatencyp99high
        """
            .formatted(alertname, forDuration));
    return f;
  }

  @Test
  void firingAlertArrivesWithLabelsAnnotationsAndStartsAtThenResolves() throws Exception {
    URI amUrl =
        URI.create(System.getProperty("vecwatch.alertmanager.url", "http://127.0.0.1:19093"));
    String alertname =
        "VecwatchIT" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    rules(alertname, "30s");
    // Virtual time 10 minutes behind the real clock: resolved alerts (endsAt = ResolvedAt) are in
    // Alertmanager's past, firing ones stay valid (endsAt = t + 4 x resend_delay of 1 h).
    ManualClock clock =
        new ManualClock(System.currentTimeMillis() - Duration.ofMinutes(10).toMillis());
    List<Sample> feed = new CopyOnWriteArrayList<>();
    Labels p99 =
        Labels.of(
            "__name__",
            "vecwatch_probe_window_latency_seconds",
            "target",
            "it-target",
            "dataset",
            "gen",
            "quantile",
            "0.99");
    RulesConfig cfg =
        new RulesConfig(
            List.of("*.rules.yml"),
            Duration.ofSeconds(5),
            Duration.ofHours(1),
            Map.of("cluster", "it"),
            "http://vecwatch-it:9477",
            Optional.empty(),
            1000);
    try (AlertmanagerNotifier notifier =
        AlertmanagerNotifier.start(
            new AlertingConfig(List.of(am(amUrl))),
            cfg.externalLabels(),
            new SimpleMeterRegistry(),
            Clock.system())) {
      RuleEngine engine =
          RuleEngine.builder()
              .config(cfg)
              .baseDir(dir)
              .source(() -> List.copyOf(feed))
              .sender(notifier)
              .clock(clock)
              .build();
      long firedAt = -1;
      for (int i = 0; i <= 6; i++) { // 0 s .. 30 s: pending, then firing at 30 s
        feed.clear();
        feed.add(new Sample(p99, 0.25));
        engine.eval(Instant.ofEpochMilli(clock.wallMillis()));
        AlertSnapshot a = ((AlertingRule) engine.groups().get(0).rules().get(0)).alerts().get(0);
        firedAt = a.firedAt();
        clock.advance(Duration.ofSeconds(5));
      }
      assertThat(firedAt).isNotEqualTo(AlertSnapshot.NONE);
      Instant expectedStart = Instant.ofEpochMilli(firedAt);

      await().atMost(20, TimeUnit.SECONDS).until(() -> alerts(amUrl, alertname).size() == 1);
      JsonNode got = alerts(amUrl, alertname).get(0);
      assertThat(got.get("labels"))
          .isEqualTo(
              JSON.readTree(
                  """
          {"alertname":"%s","severity":"critical","target":"it-target","dataset":"gen","quantile":"0.99",
           "cluster":"it"}"""
                      .formatted(alertname)));
      assertThat(got.at("/annotations/summary").asText()).isEqualTo("P99 of it-target is 250ms");
      // a relative runbook_url is sent absolute, against the agent's external URL (clickable in
      // Alertmanager's UI and in notifications)
      assertThat(got.at("/annotations/runbook_url").asText())
          .isEqualTo("http://vecwatch-it:9477/docs/runbooks.md#vecwatchlatencyp99high");
      assertThat(Instant.parse(got.get("startsAt").asText())).isEqualTo(expectedStart);
      assertThat(got.get("generatorURL").asText())
          .startsWith("http://vecwatch-it:9477/graph?g0.expr=");
      assertThat(got.at("/status/state").asText()).isEqualTo("active");

      feed.clear();
      feed.add(new Sample(p99, 0.02)); // the fault clears
      engine.eval(Instant.ofEpochMilli(clock.wallMillis()));
      await().atMost(20, TimeUnit.SECONDS).until(() -> alerts(amUrl, alertname).isEmpty());
    }
  }

  @Test
  void alertFiringWhileAlertmanagerIsDownIsDeliveredAfterItReturns() throws Exception {
    String alertname = "VecwatchRestartIT";
    rules(alertname, "0s");
    // Real time here: Alertmanager judges endsAt against its own clock, and the re-send is what
    // recovers.
    RulesConfig cfg =
        new RulesConfig(
            List.of("*.rules.yml"),
            Duration.ofMillis(200),
            Duration.ofSeconds(1),
            Map.of(),
            "http://vecwatch-it:9477",
            Optional.empty(),
            1000);
    List<Sample> feed = new CopyOnWriteArrayList<>();
    feed.add(
        new Sample(
            Labels.of(
                "__name__",
                "vecwatch_probe_window_latency_seconds",
                "target",
                "a",
                "dataset",
                "gen",
                "quantile",
                "0.99"),
            0.05));
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (AlertmanagerProcess am = new AlertmanagerProcess(REPO, dir).start();
        AlertmanagerNotifier notifier =
            AlertmanagerNotifier.start(
                new AlertingConfig(List.of(am(am.url()))), Map.of(), registry, Clock.system())) {
      RuleEngine engine =
          RuleEngine.builder()
              .config(cfg)
              .baseDir(dir)
              .source(() -> List.copyOf(feed))
              .sender(notifier)
              .clock(Clock.system())
              .build();
      try (RuleScheduler ignored = RuleScheduler.start(engine, Clock.system())) {
        feed.set(0, new Sample(feed.get(0).labels(), 0.3));
        await().atMost(20, TimeUnit.SECONDS).until(() -> alerts(am.url(), alertname).size() == 1);

        am.stop();
        feed.add(
            new Sample(
                Labels.of(
                    "__name__",
                    "vecwatch_probe_window_latency_seconds",
                    "target",
                    "b",
                    "dataset",
                    "gen",
                    "quantile",
                    "0.99"),
                0.4)); // a second target goes bad while Alertmanager is down
        String errors = "vecwatch.notifications.errors";
        await()
            .atMost(20, TimeUnit.SECONDS)
            .until(() -> registry.get(errors).counter().count() > 0);

        am.start(); // a fresh Alertmanager: it remembers no alerts
        await().atMost(30, TimeUnit.SECONDS).until(() -> alerts(am.url(), alertname).size() == 2);
        JsonNode got = alerts(am.url(), alertname);
        assertThat(
                List.of(
                    got.get(0).at("/labels/target").asText(),
                    got.get(1).at("/labels/target").asText()))
            .containsExactlyInAnyOrder("a", "b");
      }
    }
  }
}
