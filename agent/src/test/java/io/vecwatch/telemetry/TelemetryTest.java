package io.vecwatch.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.common.AttributeKey;
import io.vecwatch.config.TargetConfig;
import io.vecwatch.config.TelemetryConfig;
import io.vecwatch.export.ProbeListener;
import io.vecwatch.target.FlatTarget;
import io.vecwatch.time.ManualClock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TelemetryTest {

  @Test
  void defaultsSampleResourcesAndStartNoExporter() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (Telemetry t = Telemetry.start(TelemetryConfig.defaults(), List.of(), registry, new ManualClock(), Map.of())) {
      assertThat(t.resources()).isPresent();
      assertThat(t.serverSide()).isEmpty();
      assertThat(t.probeListener()).isNotSameAs(ProbeListener.NONE);
      assertThat(registry.find("vecwatch.export.dropped").meters()).isEmpty();
      assertThat(registry.find("vecwatch.log.events.suppressed").counter()).isNotNull();
    }
  }

  @Test
  void spansOfATargetCarryItsLabelsAndDatabaseSystem() {
    TargetConfig milvus = new TargetConfig("m", "milvus", Optional.empty(), Map.of("env", "prod"),
        new FlatTarget.Settings());
    var attrs = Telemetry.spanAttributes(List.of(milvus)).get("m");

    assertThat(attrs.get(AttributeKey.stringKey("db.system.name"))).isEqualTo("milvus");
    assertThat(attrs.get(AttributeKey.stringKey("vecwatch.label.env"))).isEqualTo("prod");
  }
}
