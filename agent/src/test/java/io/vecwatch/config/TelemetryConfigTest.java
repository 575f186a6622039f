package io.vecwatch.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.vecwatch.target.registry.TargetKinds;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

class TelemetryConfigTest {

  @Test
  void everyKeyIsReadIntoTheRecords() throws Exception {
    TelemetryConfig t = Fixtures.loader().load(Fixtures.file("valid-telemetry.yml")).telemetry();

    assertThat(t.resources())
        .isEqualTo(new ResourcesConfig(false, Duration.ofSeconds(10), Path.of("/host")));
    assertThat(t.serverMetrics())
        .containsExactly(
            new ServerMetricsConfig(
                "exact",
                URI.create("http://milvus:9091/metrics"),
                Duration.ofSeconds(10),
                Duration.ofSeconds(2),
                Duration.ofMinutes(2),
                OptionalLong.of(8L << 30),
                OptionalDouble.of(4),
                false,
                1 << 20));
    assertThat(t.tracing())
        .isEqualTo(
            new TracingConfig(
                Optional.of(URI.create("http://otel-collector:4318")),
                Map.of("X-Scope-OrgID", "team-a"),
                Optional.of(Secret.of("Bearer " + Fixtures.SECRET)),
                "vecwatch-prod",
                0.25,
                4096,
                256,
                Duration.ofSeconds(2),
                Duration.ofSeconds(5),
                Optional.of(Duration.ofSeconds(30))));
    assertThat(t.loki())
        .isEqualTo(
            new LokiConfig(
                Optional.of(URI.create("https://loki.example.com/loki/api/v1/push")),
                Map.of("env", "prod", "cluster", "eu-1"),
                Optional.of("vecwatch"),
                Optional.of(Secret.of(Fixtures.SECRET)),
                Optional.of("team-a"),
                "warn",
                1 << 20,
                500,
                Duration.ofSeconds(1),
                Duration.ofSeconds(3)));
    assertThat(t.failureLogInterval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(t.shutdownTimeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(t.toString()).doesNotContain(Fixtures.SECRET);
  }

  @Test
  void withoutATelemetrySectionResourcesAreSampledAndEveryExporterIsOff() throws Exception {
    TelemetryConfig t = Fixtures.loader().load(Fixtures.file("valid-minimal.yml")).telemetry();

    assertThat(t).isEqualTo(TelemetryConfig.defaults());
    assertThat(t.resources().enabled()).isTrue();
    assertThat(t.serverMetrics()).isEmpty();
    assertThat(t.tracing().enabled()).isFalse();
    assertThat(t.loki().enabled()).isFalse();
    assertThat(t.tracing().metricsInterval()).isEmpty();
    assertThat(t.shutdownTimeout()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void theExamplesInTheDocsLoad() throws Exception {
    String targets =
        "datasets: [{name: gen, metric: l2, generate: {count: 100, dim: 4, queries: 2}}]\n"
            + "targets: [{name: milvus, kind: flat, dataset: gen}]\n";
    ConfigLoader loader =
        new ConfigLoader(
            Map.of("OTLP_TOKEN", "t0k3n", "LOKI_PASSWORD", "pw"), TargetKinds.lookup());
    for (String doc : new String[] {"../docs/telemetry.md", "../docs/configuration.md"}) {
      String block = yamlBlockStartingWith(doc, "telemetry:");
      TelemetryConfig t = loader.parse(doc, targets + block, Path.of(".")).telemetry();
      assertThat(t.serverMetrics())
          .extracting(ServerMetricsConfig::target)
          .containsExactly("milvus");
      assertThat(t.tracing().enabled()).isTrue();
      assertThat(t.loki().enabled()).isTrue();
    }
  }

  private static String yamlBlockStartingWith(String doc, String first) throws Exception {
    StringBuilder cur = null;
    for (String line : Files.readAllLines(Path.of(doc))) {
      if (cur == null && line.equals("```yaml")) {
        cur = new StringBuilder();
      } else if (cur != null && line.equals("```")) {
        if (cur.toString().startsWith(first)) {
          return cur.toString();
        }
        cur = null;
      } else if (cur != null) {
        cur.append(line).append('\n');
      }
    }
    throw new AssertionError("no yaml block starting with " + first + " in " + doc);
  }

  @Test
  void serverMetricsDefaultsFollowTheInterval() throws Exception {
    String yaml =
        "datasets: [{name: gen, metric: l2, generate: {count: 100, dim: 4, queries: 2}}]\n"
            + "targets: [{name: t, kind: flat, dataset: gen}]\n"
            + "telemetry:\n  server_metrics:\n    - {target: t, url: 'http://m:9091/metrics', interval: 1s}\n"
            + "    - {target: u, url: 'http://m:9091/metrics', interval: 2m}\n";
    ConfigException e =
        Assertions.catchThrowableOfType(
            ConfigException.class, () -> Fixtures.loader().parse("t.yml", yaml, Path.of(".")));
    // only the unknown target is wrong: neither the default timeout nor the default window clash
    // with the intervals
    assertThat(e.problems())
        .containsExactly(
            "t.yml: telemetry.server_metrics[1].target: no target named \"u\" (known: t)");

    TelemetryConfig t =
        Fixtures.loader()
            .parse(
                "t.yml",
                yaml.replace("target: u,", "target: t2,")
                    .replace(
                        "{name: t, kind: flat, dataset: gen}",
                        "{name: t, kind: flat, dataset: gen}, {name: t2, kind: flat, dataset: gen}"),
                Path.of("."))
            .telemetry();
    assertThat(t.serverMetrics().get(0).timeout()).isEqualTo(Duration.ofSeconds(1));
    assertThat(t.serverMetrics().get(0).window()).isEqualTo(Duration.ofSeconds(60));
    assertThat(t.serverMetrics().get(1).timeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(t.serverMetrics().get(1).window()).isEqualTo(Duration.ofMinutes(4));
  }
}
