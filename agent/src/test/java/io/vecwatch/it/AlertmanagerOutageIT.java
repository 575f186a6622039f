package io.vecwatch.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
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
import io.vecwatch.testing.AlertWebhook;
import io.vecwatch.time.Clock;
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
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Alertmanager outages, with real Alertmanagers (0.25) and this test as their webhook receiver:
 * alerts that start firing while the only Alertmanager is down reach it once it is back, none lost;
 * with two Alertmanagers configured (an HA pair, each sent every alert, as Prometheus does) and one
 * down, every alert reaches the other, and the one that returns catches up.
 */
class AlertmanagerOutageIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ALERT = "VecwatchOutageDrill";
  private static final List<String> TARGETS = List.of("a", "b", "c");
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  @TempDir Path dir;

  private static Labels p99(String target) {
    return Labels.of(
        "__name__",
        "vecwatch_probe_window_latency_seconds",
        "target",
        target,
        "dataset",
        "gen",
        "quantile",
        "0.99");
  }

  /** The agent's alerting, in-process: engine, scheduler and notifier on the real clock. */
  private final class Alerting implements AutoCloseable {
    final List<Sample> feed = new CopyOnWriteArrayList<>();
    final MeterRegistry registry = new SimpleMeterRegistry();
    final RuleEngine engine;
    final AlertmanagerNotifier notifier;
    final RuleScheduler scheduler;

    Alerting(List<URI> alertmanagers) throws Exception {
      Files.writeString(
          dir.resolve("outage.rules.yml"),
          """
          groups:
            - name: outage
              rules:
                - alert: %s
                  expr: vecwatch_probe_window_latency_seconds{quantile="0.99"} > 0.1
                  for: 1s
          """
              .formatted(ALERT));
      // resend_delay 2 s: a firing alert is sent again that often (the default is 1 m), which is
      // what carries it to an Alertmanager that was down when it fired
      RulesConfig rules =
          new RulesConfig(
              List.of("*.rules.yml"),
              Duration.ofMillis(500),
              Duration.ofSeconds(2),
              Map.of(),
              "http://vecwatch-it:9477",
              Optional.empty(),
              1000);
      // 2 retries 50-200 ms apart: a batch sent to a stopped Alertmanager is dropped within a
      // second, so delivery after the outage rests on the resend, as it does in production
      AlertmanagerConfig amc =
          new AlertmanagerConfig(
              alertmanagers,
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
              new AlertingConfig(List.of(amc)), Map.of(), registry, Clock.system());
      engine =
          RuleEngine.builder()
              .config(rules)
              .baseDir(dir)
              .source(() -> List.copyOf(feed))
              .sender(notifier)
              .clock(Clock.system())
              .build();
      scheduler = RuleScheduler.start(engine, Clock.system());
    }

    List<AlertSnapshot> alerts() {
      return ((AlertingRule) engine.groups().get(0).rules().get(0)).alerts();
    }

    boolean allFiring() {
      List<AlertSnapshot> a = alerts();
      return a.size() == TARGETS.size() && a.stream().allMatch(s -> s.state() == AlertState.FIRING);
    }

    /** target → firedAt (epoch ms). */
    Map<String, Long> firedAt() {
      Map<String, Long> m = new TreeMap<>();
      for (AlertSnapshot s : alerts()) {
        m.put(s.labels().get("target"), s.firedAt());
      }
      return m;
    }

    double counter(String name, URI am) {
      Counter c = registry.find(name).tag("alertmanager", am.toString()).counter();
      return c == null ? 0 : c.count();
    }

    @Override
    public void close() {
      scheduler.close();
      notifier.close();
    }
  }

  /** Active alerts of the drill in one Alertmanager's v2 API: target → startsAt (epoch ms). */
  private Map<String, Long> active(URI am) throws Exception {
    String filter = URLEncoder.encode("alertname=\"" + ALERT + "\"", StandardCharsets.UTF_8);
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(am.resolve("/api/v2/alerts?filter=" + filter))
                .timeout(Duration.ofSeconds(5))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    Map<String, Long> m = new TreeMap<>();
    for (JsonNode a : JSON.readTree(r.body())) {
      if (a.at("/status/state").asText().equals("active")) {
        m.put(
            a.at("/labels/target").asText(),
            Instant.parse(a.get("startsAt").asText()).toEpochMilli());
      }
    }
    return m;
  }

  private static Set<String> pagedTargets(AlertWebhook hook) {
    Set<String> s = new TreeSet<>();
    for (AlertWebhook.Notification n : hook.notifications("firing", ALERT)) {
      s.addAll(n.labelValues("target"));
    }
    return s;
  }

  private AlertmanagerProcess alertmanager(AlertWebhook hook, String name) throws Exception {
    Path work = Files.createDirectories(dir.resolve(name));
    return AlertmanagerProcess.withConfig(
        hook.writeAlertmanagerConfig(work.resolve("alertmanager.yml")), work);
  }

  @Test
  void alertsFiringDuringAnOutageAreDeliveredWhenAlertmanagerReturnsNoneLost() throws Exception {
    try (AlertWebhook hook = new AlertWebhook();
        AlertmanagerProcess am = alertmanager(hook, "am").start();
        Alerting agent = new Alerting(List.of(am.url()))) {
      am.stop();
      for (String t : TARGETS) {
        agent.feed.add(new Sample(p99(t), 0.25));
      }
      // for: 1 s at 0.5 s evaluations, then the failed sends: seconds; 30 s for a loaded machine
      await("firing while Alertmanager is down, sends failed and dropped")
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  agent.allFiring()
                      && agent.counter("vecwatch.notifications.dropped", am.url()) >= 1);
      assertThat(agent.counter("vecwatch.notifications.sent", am.url())).isZero();

      am.start();
      long back = System.nanoTime();
      // the next resend (2 s) plus group_wait (1 s); 30 s for a loaded machine
      await("every alert paged after Alertmanager returned")
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> pagedTargets(hook).equals(Set.copyOf(TARGETS)));
      long paged =
          hook.notifications("firing", ALERT).stream()
              .mapToLong(AlertWebhook.Notification::receivedNanos)
              .max()
              .orElseThrow();
      System.out.printf(
          "alertmanager outage: %d alerts fired while it was down, %d dropped sends counted; all "
              + "paged %.1f s after it returned%n",
          TARGETS.size(),
          (long) agent.counter("vecwatch.notifications.dropped", am.url()),
          (paged - back) / 1e9);
      assertThat(active(am.url()))
          .as("Alertmanager holds each alert with startsAt = the agent's firedAt")
          .isEqualTo(agent.firedAt());
      assertThat(hook.notifications("firing", ALERT))
          .as("one page per alert group")
          .hasSize(TARGETS.size());
      assertThat(hook.notifications("resolved", ALERT)).isEmpty();
    }
  }

  @Test
  void withOneOfAnHaPairDownEveryAlertReachesTheOtherAndTheReturningOneCatchesUp()
      throws Exception {
    try (AlertWebhook hook1 = new AlertWebhook();
        AlertWebhook hook2 = new AlertWebhook();
        AlertmanagerProcess am1 = alertmanager(hook1, "am1").start();
        AlertmanagerProcess am2 = alertmanager(hook2, "am2").start();
        Alerting agent = new Alerting(List.of(am1.url(), am2.url()))) {
      am2.stop();
      for (String t : TARGETS) {
        agent.feed.add(new Sample(p99(t), 0.25));
      }
      await("every alert in the Alertmanager that is up")
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> active(am1.url()).keySet().equals(Set.copyOf(TARGETS)));
      await("every alert paged by it")
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> pagedTargets(hook1).equals(Set.copyOf(TARGETS)));
      assertThat(active(am1.url())).isEqualTo(agent.firedAt());
      assertThat(agent.counter("vecwatch.notifications.errors", am2.url()))
          .as("the agent did try the one that is down")
          .isPositive();
      assertThat(agent.counter("vecwatch.notifications.sent", am2.url())).isZero();

      am2.start();
      await("the returning Alertmanager catches up at the next resend")
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> active(am2.url()).keySet().equals(Set.copyOf(TARGETS)));
      assertThat(active(am2.url())).isEqualTo(agent.firedAt());
      System.out.printf(
          "alertmanager HA pair, one down: %d of %d alerts reached the other; the returning one "
              + "then held %d%n",
          active(am1.url()).size(), TARGETS.size(), active(am2.url()).size());
    }
  }
}
