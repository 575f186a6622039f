package io.vecwatch.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.common.AttributeKey;
import io.vecwatch.config.ConfigLoader;
import io.vecwatch.config.TargetConfig;
import io.vecwatch.config.TelemetryConfig;
import io.vecwatch.probe.ProbeListener;
import io.vecwatch.target.FlatTarget;
import io.vecwatch.target.registry.TargetKinds;
import io.vecwatch.time.ManualClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TelemetryTest {

  @Test
  void defaultsSampleResourcesAndStartNoExporter() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (Telemetry t =
        Telemetry.start(
            TelemetryConfig.defaults(), List.of(), registry, new ManualClock(), Map.of())) {
      assertThat(t.resources()).isPresent();
      assertThat(t.serverSide()).isEmpty();
      assertThat(t.probeListener()).isNotSameAs(ProbeListener.NONE);
      assertThat(registry.find("vecwatch.export.dropped").meters()).isEmpty();
      assertThat(registry.find("vecwatch.log.events.suppressed").counter()).isNotNull();
    }
  }

  @Test
  void spansOfATargetCarryItsLabelsAndDatabaseSystem() throws Exception {
    TargetConfig milvus =
        new ConfigLoader(Map.of(), TargetKinds.lookup())
            .parse(
                "m.yml",
                """
        targets:
          - {name: m, kind: milvus, uri: "http://milvus:19530", collection: docs, labels: {env: prod}}
        """,
                Path.of("."))
            .targets()
            .get(0);
    var attrs = Telemetry.spanAttributes(List.of(milvus)).get("m");

    assertThat(attrs.get(AttributeKey.stringKey("db.system.name"))).isEqualTo("milvus");
    assertThat(attrs.get(AttributeKey.stringKey("vecwatch.label.env"))).isEqualTo("prod");
  }

  @Test
  void milvusTargetsGetTheirCollectionOnSpansAndAGetMetricsSource(@TempDir Path dir)
      throws Exception {
    Files.writeString(dir.resolve("ca.pem"), "not read here");
    var config =
        new ConfigLoader(Map.of("MILVUS_TOKEN", "root:Milvus"), TargetKinds.lookup())
            .parse(
                "m.yml",
                """
        targets:
          - {name: m, kind: milvus, uri: "http://milvus:19530", collection: docs, token: "${MILVUS_TOKEN}"}
          - {name: tls, kind: milvus, uri: "https://milvus:19530", collection: docs, tls: {ca_file: ca.pem}}
        """,
                dir);
    TargetConfig m = config.targets().get(0);

    var attrs = Telemetry.spanAttributes(config.targets()).get("m");
    assertThat(attrs.get(AttributeKey.stringKey("db.collection.name"))).isEqualTo("docs");
    assertThat(TargetKinds.systemInfo(m)).isPresent();
    // with TLS the limits are read over the target's own TLS settings too
    assertThat(TargetKinds.systemInfo(config.targets().get(1))).isPresent();
    assertThat(
            TargetKinds.systemInfo(
                new TargetConfig(
                    "f", "flat", Optional.empty(), Map.of(), new FlatTarget.Settings())))
        .isEmpty();
  }
}
