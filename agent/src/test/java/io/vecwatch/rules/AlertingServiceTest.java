package io.vecwatch.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vecwatch.config.ConfigLoader;
import io.vecwatch.config.VecwatchConfig;
import io.vecwatch.target.registry.TargetKinds;
import io.vecwatch.time.ManualClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AlertingServiceTest {
  @TempDir Path dir;

  private static final String RULE =
      "groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: vector(1) > 2\n";

  private AlertingService start(Path config) throws Exception {
    VecwatchConfig cfg = ConfigLoader.withSystemEnv(TargetKinds.lookup()).load(config);
    return AlertingService.start(
        cfg,
        Optional.of(config),
        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
        new ManualClock(),
        "http://localhost:9477");
  }

  @Test
  void servesTheApiAndReloadsKeepingTheLastGoodRules() throws Exception {
    Path rules = dir.resolve("a.rules.yml");
    Files.writeString(rules, RULE);
    Path config = dir.resolve("vecwatch.yml");
    Files.writeString(config, "rule_files: ['*.rules.yml']\nevaluation_interval: 1s\n");
    try (AlertingService s = start(config)) {
      assertThat(s.rules().status()).isEqualTo(200);
      assertThat(s.rules().body()).contains("\"name\":\"A\"");
      assertThat(s.alerts().body()).isEqualTo("{\"status\":\"success\",\"data\":{\"alerts\":[]}}");

      Files.writeString(rules, RULE.replace("vector(1) > 2", "vector(1) > 2 offset 1m"));
      AlertingService.Reply bad = s.reload();
      assertThat(bad.status()).isEqualTo(500);
      assertThat(bad.body()).contains("rule \"A\": unsupported: offset modifier");
      assertThat(s.engine().groups().get(0).rules()).hasSize(1);

      Files.writeString(rules, RULE + "      - alert: B\n        expr: vector(1) > 3\n");
      assertThat(s.reload().status()).isEqualTo(200);
      assertThat(s.engine().groups().get(0).rules()).hasSize(2);

      Files.writeString(config, "rule_files: ['*.rules.yml']\nbogus: 1\n");
      assertThat(s.reload().body()).contains("bogus: unknown key");
    }
  }

  @Test
  void sighupReloads() throws Exception {
    Path rules = dir.resolve("a.rules.yml");
    Files.writeString(rules, RULE);
    Path config = dir.resolve("vecwatch.yml");
    Files.writeString(config, "rule_files: ['*.rules.yml']\n");
    try (AlertingService s = start(config)) {
      assumeTrue(
          s.reloadOnSighup(),
          "this JVM does not let the agent handle SIGHUP; the HTTP reload is covered by the test above");
      Files.writeString(rules, RULE + "      - alert: B\n        expr: vector(1) > 3\n");
      Process kill =
          new ProcessBuilder("kill", "-HUP", Long.toString(ProcessHandle.current().pid())).start();
      assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
      await()
          .atMost(10, TimeUnit.SECONDS)
          .until(() -> s.engine().groups().get(0).rules().size() == 2);
    }
  }
}
