package io.vecwatch.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vecwatch.agent.Agent;
import io.vecwatch.config.ConfigLoader;
import io.vecwatch.config.VecwatchConfig;
import io.vecwatch.rules.AlertSnapshot;
import io.vecwatch.rules.AlertState;
import io.vecwatch.rules.AlertingRule;
import io.vecwatch.rules.Rule;
import io.vecwatch.rules.RuleGroup;
import io.vecwatch.target.registry.TargetKinds;
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
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole path, end to end: the real agent (in-process flat index probed 20 times a second) with
 * a latency fault injected through its opt-in admin endpoint; the P99 alert goes pending, fires,
 * and arrives in the real Alertmanager (.ci/peers.sh) with its labels, annotations and {@code
 * startsAt = FiredAt}; after the fault clears it resolves there. Prints the detection latency
 * (fault start to firing to received) against {@code for} + window + evaluation interval.
 */
class FaultDetectionIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration FOR = Duration.ofSeconds(10);
  private static final Duration WINDOW = Duration.ofSeconds(5);
  private static final Duration EVAL = Duration.ofSeconds(1);
  private final HttpClient http = HttpClient.newHttpClient();
  @TempDir Path dir;

  private String post(String url) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(url))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return r.body();
  }

  private JsonNode get(String url) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(url + " " + r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  private static Optional<AlertSnapshot> alert(Agent agent) {
    for (RuleGroup g : agent.alerting().engine().groups()) {
      for (Rule r : g.rules()) {
        if (r instanceof AlertingRule ar && !ar.alerts().isEmpty()) {
          return Optional.of(ar.alerts().get(0));
        }
      }
    }
    return Optional.empty();
  }

  @Test
  void injectedLatencyFiresReachesAlertmanagerAndResolves() throws Exception {
    String am = System.getProperty("vecwatch.alertmanager.url", "http://127.0.0.1:19093");
    String run = UUID.randomUUID().toString().substring(0, 8);
    Files.writeString(
        dir.resolve("p99.rules.yml"),
        """
        groups:
          - name: e2e
            rules:
              - alert: VecwatchE2ELatencyP99High
                expr: vecwatch_probe_window_latency_seconds{quantile="0.99"} > 0.1
                for: %ds
                labels: {severity: critical}
                annotations:
                  summary: "P99 search latency of {{ $labels.target }} is {{ $value | humanizeDuration }}"
                  runbook_url: docs/runbooks.md#vecwatchlatencyp99high
        """
            .formatted(FOR.toSeconds()));
    Path config = dir.resolve("vecwatch.yml");
    Files.writeString(
        config,
        """
        web: {listen_address: "127.0.0.1:0"}
        datasets:
          - name: small
            metric: l2
            generate: {count: 2000, dim: 16, queries: 50, clusters: 8, seed: 7, ground_truth_k: 10}
        targets:
          - {name: fast, kind: flat, dataset: small}
        probes:
          - {target: fast, rate: 20, concurrency: 8, timeout: 2s, recall_k: [10], window: %ds}
        rule_files: ["*.rules.yml"]
        evaluation_interval: %ds
        external_labels: {e2e_run: "%s"}
        faults: {admin_api: true}
        alerting:
          alertmanagers:
            - url: %s
        """
            .formatted(WINDOW.toSeconds(), EVAL.toSeconds(), run, am));
    VecwatchConfig cfg = ConfigLoader.withSystemEnv(TargetKinds.lookup()).load(config);
    // the fault-injection API needs --web.enable-lifecycle as well as faults.admin_api
    try (Agent agent = Agent.builder(cfg).configFile(Optional.of(config)).lifecycle(true).start()) {
      String base = "http://127.0.0.1:" + agent.httpPort();
      await().atMost(Duration.ofSeconds(60)).until(() -> agent.ready());
      // A healthy baseline first: a full window of fast searches, no alert.
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  get(base + "/api/v1/rules")
                      .at("/data/groups/0/rules/0/health")
                      .asText()
                      .equals("ok"));
      assertThat(alert(agent)).isEmpty();

      Instant faultStart = Instant.now();
      assertThat(post(base + "/-/faults?target=fast&delay=150ms")).contains("fast delay 150ms");

      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> alert(agent).map(a -> a.state() == AlertState.PENDING).orElse(false));
      Instant pending = Instant.now();
      JsonNode apiAlerts = get(base + "/api/v1/alerts");
      assertThat(apiAlerts.at("/data/alerts/0/state").asText()).isEqualTo("pending");

      await()
          .atMost(FOR.plusSeconds(30))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> alert(agent).map(a -> a.state() == AlertState.FIRING).orElse(false));
      Instant firing = Instant.now();
      AlertSnapshot fired = alert(agent).orElseThrow();

      String filter = URLEncoder.encode("e2e_run=\"" + run + "\"", StandardCharsets.UTF_8);
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> get(am + "/api/v2/alerts?filter=" + filter).size() == 1);
      Instant received = Instant.now();
      JsonNode got = get(am + "/api/v2/alerts?filter=" + filter).get(0);
      assertThat(got.at("/labels/alertname").asText()).isEqualTo("VecwatchE2ELatencyP99High");
      assertThat(got.at("/labels/severity").asText()).isEqualTo("critical");
      assertThat(got.at("/labels/target").asText()).isEqualTo("fast");
      assertThat(got.at("/labels/dataset").asText()).isEqualTo("small");
      assertThat(got.at("/labels/quantile").asText()).isEqualTo("0.99");
      // The injected 150 ms is a floor for the P99, not a ceiling: on a loaded machine the search
      // adds to it (and
      // later evaluations re-send the summary with the value they saw), so the check is the floor,
      // not a band.
      assertThat(fired.value()).isGreaterThanOrEqualTo(0.150);
      String summary = got.at("/annotations/summary").asText();
      Matcher m =
          Pattern.compile("P99 search latency of fast is (\\d+(?:\\.\\d+)?)(ms|s)")
              .matcher(summary);
      assertThat(m.matches()).as(summary).isTrue();
      assertThat(Double.parseDouble(m.group(1)) / (m.group(2).equals("ms") ? 1000 : 1))
          .isGreaterThanOrEqualTo(0.150);
      // relative runbook_url made absolute against the agent's own URL (no external URL configured)
      assertThat(got.at("/annotations/runbook_url").asText())
          .isEqualTo(
              "http://127.0.0.1:" + agent.httpPort() + "/docs/runbooks.md#vecwatchlatencyp99high");
      assertThat(Instant.parse(got.get("startsAt").asText()))
          .isEqualTo(Instant.ofEpochMilli(fired.firedAt()));

      Instant faultEnd = Instant.now();
      post(base + "/-/faults?target=fast&delay=0s");
      await()
          .atMost(WINDOW.plusSeconds(30))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> alert(agent).map(a -> a.state() == AlertState.INACTIVE).orElse(true));
      Instant resolved = Instant.now();
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> get(am + "/api/v2/alerts?filter=" + filter).isEmpty());
      Instant resolvedReceived = Instant.now();

      long toFiring = Duration.between(faultStart, firing).toMillis();
      long bound = FOR.plus(WINDOW).plus(EVAL.multipliedBy(2)).plusSeconds(2).toMillis();
      System.out.printf(
          "DETECTION fault->pending %d ms, fault->firing %d ms, fault->received %d ms "
              + "(for %d s, evaluation every %d s, window %d s; bound %d ms); clear->resolved %d ms, "
              + "clear->resolved in Alertmanager %d ms%n",
          Duration.between(faultStart, pending).toMillis(),
          toFiring,
          Duration.between(faultStart, received).toMillis(),
          FOR.toSeconds(),
          EVAL.toSeconds(),
          WINDOW.toSeconds(),
          bound,
          Duration.between(faultEnd, resolved).toMillis(),
          Duration.between(faultEnd, resolvedReceived).toMillis());
      assertThat(toFiring)
          .as("fires once the condition held for `for`")
          .isGreaterThanOrEqualTo(FOR.toMillis())
          .isLessThanOrEqualTo(bound);
    }
  }
}
