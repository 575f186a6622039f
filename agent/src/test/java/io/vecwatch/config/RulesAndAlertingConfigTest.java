package io.vecwatch.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.vecwatch.target.registry.TargetKinds;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RulesAndAlertingConfigTest {

  @Test
  void defaultsWhenNothingIsSet() throws Exception {
    VecwatchConfig c =
        new ConfigLoader(Map.of(), TargetKinds.lookup()).parse("t.yml", "{}", Path.of("."));
    assertThat(c.rules()).isEqualTo(RulesConfig.defaults());
    assertThat(c.rules().evaluationInterval()).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.alerting().alertmanagers()).isEmpty();
  }

  @Test
  void readsEveryKey(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("ca.pem"), "x");
    Files.writeString(dir.resolve("pw"), "s3cret\n");
    String yaml =
        """
        rule_files: [rules/*.yml, extra.rules.yml]
        evaluation_interval: 10s
        resend_delay: 2m
        external_labels: {cluster: eu-1}
        external_url: https://vecwatch.example.org/
        rule_state_file: data/alerts.json
        rule_state_outage_tolerance: 30m
        rule_state_for_grace_period: 10m
        rule_state_series_grace_period: 2m
        rule_history_max_series: 500
        datasets:
          - {name: gen, metric: l2, generate: {count: 100, dim: 4, queries: 5, ground_truth_k: 10}}
        targets:
          - {name: exact, kind: flat, dataset: gen}
        capacity_requests_per_second: {exact: 1200}
        alerting:
          alertmanagers:
            - urls: [https://am1:9093, https://am2:9093/prefix]
              timeout: 3s
              basic_auth: {username: vecwatch, password_file: pw}
              tls: {ca_file: ca.pem}
              queue_capacity: 100
              max_retries: 5
              min_backoff: 100ms
              max_backoff: 5s
            - url: http://127.0.0.1:9093
              bearer_token: ${AM_TOKEN}
        """;
    VecwatchConfig c =
        new ConfigLoader(Map.of("AM_TOKEN", "tok"), TargetKinds.lookup()).parse("t.yml", yaml, dir);
    RulesConfig r = c.rules();
    assertThat(r.ruleFiles()).containsExactly("rules/*.yml", "extra.rules.yml");
    assertThat(r.evaluationInterval()).isEqualTo(Duration.ofSeconds(10));
    assertThat(r.resendDelay()).isEqualTo(Duration.ofMinutes(2));
    assertThat(r.externalLabels()).isEqualTo(Map.of("cluster", "eu-1"));
    assertThat(r.externalUrl()).isEqualTo("https://vecwatch.example.org");
    assertThat(r.ruleStateFile()).contains(dir.resolve("data/alerts.json"));
    assertThat(r.historyMaxSeries()).isEqualTo(500);
    assertThat(r.restore())
        .isEqualTo(
            new RulesConfig.Restore(
                Duration.ofMinutes(30), Duration.ofMinutes(10), Duration.ofMinutes(2)));
    assertThat(r.capacity()).isEqualTo(Map.of("exact", 1200.0));
    List<AlertingConfig.AlertmanagerConfig> ams = c.alerting().alertmanagers();
    assertThat(ams).hasSize(2);
    AlertingConfig.AlertmanagerConfig a = ams.get(0);
    assertThat(a.urls())
        .containsExactly(URI.create("https://am1:9093"), URI.create("https://am2:9093/prefix"));
    assertThat(a.timeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(a.basicAuth().orElseThrow().password().reveal()).isEqualTo("s3cret");
    assertThat(a.tls().caFile()).contains(dir.resolve("ca.pem"));
    assertThat(a.queueCapacity()).isEqualTo(100);
    assertThat(a.maxRetries()).isEqualTo(5);
    assertThat(a.minBackoff()).isEqualTo(Duration.ofMillis(100));
    assertThat(ams.get(1).bearerToken().orElseThrow().reveal()).isEqualTo("tok");
    assertThat(ams.get(1).queueCapacity())
        .isEqualTo(AlertingConfig.AlertmanagerConfig.DEFAULT_QUEUE_CAPACITY);
    assertThat(c.toString()).doesNotContain("s3cret").doesNotContain("tok,").contains("<secret>");
    assertThat(ams.get(1).tls()).isEqualTo(AlertingConfig.Tls.NONE);
    assertThat(r.ruleStateFile()).isEqualTo(Optional.of(dir.resolve("data/alerts.json")));
  }
}
