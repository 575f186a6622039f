package io.vecwatch.rules;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vecwatch.config.RulesConfig;
import io.vecwatch.promtext.Labels;
import io.vecwatch.promtext.Sample;
import io.vecwatch.time.ManualClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** /api/v1/rules and /api/v1/alerts follow Prometheus' JSON shapes. */
class RulesApiTest {
  @TempDir Path dir;

  @Test
  void describesGroupsRulesAndActiveAlerts() throws Exception {
    Files.writeString(
        dir.resolve("x.rules.yml"),
        """
        groups:
          - name: g
            rules:
              - record: r:x
                expr: x * 2
              - alert: High
                expr: x > 1
                for: 1m
                labels: {severity: warning}
                annotations: {summary: "x is {{ $value }}"}
        """);
    ManualClock clock = new ManualClock(1_700_000_000_000L);
    RuleEngine e =
        RuleEngine.builder()
            .config(
                new RulesConfig(
                    List.of("*.rules.yml"),
                    Duration.ofSeconds(5),
                    Duration.ofMinutes(1),
                    Map.of(),
                    "",
                    Optional.empty(),
                    100))
            .baseDir(dir)
            .clock(clock)
            .source(() -> List.of(new Sample(Labels.of("__name__", "x", "t", "a"), 5)))
            .build();
    e.eval(Instant.ofEpochMilli(clock.wallMillis()));

    JsonNode rules = RulesApi.rules(e);
    assertThat(rules.get("status").asText()).isEqualTo("success");
    JsonNode g = rules.at("/data/groups/0");
    assertThat(g.get("name").asText()).isEqualTo("g");
    assertThat(g.get("file").asText()).endsWith("x.rules.yml");
    assertThat(g.get("interval").asDouble()).isEqualTo(5);
    JsonNode rec = g.at("/rules/0");
    assertThat(rec.get("type").asText()).isEqualTo("recording");
    assertThat(rec.get("query").asText()).isEqualTo("x * 2");
    assertThat(rec.get("health").asText()).isEqualTo("ok");
    JsonNode alert = g.at("/rules/1");
    assertThat(alert.get("type").asText()).isEqualTo("alerting");
    assertThat(alert.get("state").asText()).isEqualTo("pending");
    assertThat(alert.get("duration").asDouble()).isEqualTo(60);
    assertThat(alert.at("/labels/severity").asText()).isEqualTo("warning");
    assertThat(alert.at("/annotations/summary").asText()).isEqualTo("x is {{ $value }}");
    assertThat(alert.get("lastEvaluation").asText()).isEqualTo("2023-11-14T22:13:20Z");
    JsonNode a = alert.at("/alerts/0");
    assertThat(a.at("/labels/alertname").asText()).isEqualTo("High");
    assertThat(a.at("/annotations/summary").asText()).isEqualTo("x is 5");
    assertThat(a.get("activeAt").asText()).isEqualTo("2023-11-14T22:13:20Z");
    assertThat(a.get("value").asText()).isEqualTo("5e+00");

    JsonNode alerts = RulesApi.alerts(e);
    assertThat(alerts.at("/data/alerts")).hasSize(1);
    assertThat(alerts.at("/data/alerts/0/state").asText()).isEqualTo("pending");
  }
}
