package io.vecwatch.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vecwatch.config.ConfigLoader;
import io.vecwatch.config.VecwatchConfig;
import io.vecwatch.probe.OnDemandProbe;
import io.vecwatch.rules.AlertingService;
import io.vecwatch.stats.AgentSnapshot;
import io.vecwatch.stats.RecentProbes;
import io.vecwatch.target.registry.TargetKinds;
import io.vecwatch.time.ManualClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The alerts, rules and Alertmanager sections, driven by a real rule engine stepped with a manual
 * clock.
 */
class StatusPageAlertsTest {
  @TempDir Path dir;

  @Test
  void anAlertGoesPendingFiringResolvedOnThePageWithItsValuesEscaped() throws Exception {
    Files.writeString(
        dir.resolve("a.rules.yml"),
        """
        groups:
          - name: g
            rules:
              - alert: Slow
                expr: demo_value > 1
                for: 1m
                labels: {team: "<b>ops</b>"}
                annotations:
                  summary: "value is {{ $value }}"
                  runbook_url: "javascript:alert(1)"
              - alert: Other
                expr: demo_value > 1
                annotations: {runbook_url: "https://runbooks.example/other"}
        """);
    Path config = dir.resolve("vecwatch.yml");
    Files.writeString(config, "rule_files: ['*.rules.yml']\nevaluation_interval: 1s\n");
    VecwatchConfig cfg = ConfigLoader.withSystemEnv(TargetKinds.lookup()).load(config);
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    AtomicInteger value = new AtomicInteger(2);
    Gauge.builder("demo_value", value, AtomicInteger::get).register(registry);
    ManualClock clock = new ManualClock(Instant.parse("2026-12-07T10:00:00Z").toEpochMilli());
    try (AlertingService alerting =
        AlertingService.start(cfg, Optional.of(config), registry, clock, "http://localhost:9477")) {
      StatusPage page =
          new StatusPage(
              sources(alerting),
              new AgentInfo("1.0", clock.wallMillis(), "vecwatch.yml", Optional.empty()),
              new StatusHistory(1),
              clock);

      alerting.engine().eval(Instant.ofEpochMilli(clock.wallMillis()));
      String pending = page.fragment();
      assertThat(pending)
          .contains(
              "<tr class=\"alert pending\"><td data-label=\"State\" class=\"warn\">pending",
              "<b>Slow</b>",
              "team=\"&lt;b&gt;ops&lt;/b&gt;\"",
              "value is 2");
      assertThat(pending).doesNotContain("<b>ops</b>", "javascript:");
      assertThat(pending)
          .contains("<a class=\"runbook\" href=\"https://runbooks.example/other\">runbook</a>");
      assertThat(pending)
          .contains("No Alertmanager is configured", "2 rules in 1 groups, all healthy");

      clock.advance(Duration.ofSeconds(61));
      alerting.engine().eval(Instant.ofEpochMilli(clock.wallMillis()));
      assertThat(page.fragment())
          .contains("<tr class=\"alert firing\"><td data-label=\"State\" class=\"bad\">firing")
          .contains("10:00:00Z</time> <span class=\"sub\">(1m 1s ago)</span>");

      value.set(0);
      clock.advance(Duration.ofSeconds(5));
      alerting.engine().eval(Instant.ofEpochMilli(clock.wallMillis()));
      String resolved = page.fragment();
      assertThat(resolved)
          .contains(
              "No alert is pending or firing.",
              "<tr class=\"alert resolved\"><td data-label=\"State\" class=\"ok\">resolved");
      assertThat(resolved.split("class=\"alert resolved\"", -1))
          .hasSize(3); // both alerts fired, both resolved
    }
  }

  private static StatusSources sources(AlertingService alerting) {
    return new StatusSources() {
      @Override
      public AgentSnapshot snapshot() {
        return AgentSnapshot.EMPTY;
      }

      @Override
      public Optional<AlertingService> alerting() {
        return Optional.of(alerting);
      }

      @Override
      public List<RecentProbes.Entry> recentProbes(String target) {
        return List.of();
      }

      @Override
      public Optional<OnDemandProbe.Subject> onDemand(String target) {
        return Optional.empty();
      }
    };
  }
}
