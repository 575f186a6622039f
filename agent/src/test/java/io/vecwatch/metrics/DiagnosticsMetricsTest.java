package io.vecwatch.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.vecwatch.stats.AgentSnapshot;
import io.vecwatch.stats.Diagnostics;
import io.vecwatch.stats.HealthSnapshot;
import io.vecwatch.stats.TargetSnapshot;
import io.vecwatch.stats.TargetState;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Targets' diagnostics reach /metrics with the target's labels, typed as the target says. */
class DiagnosticsMetricsTest {
  private final SnapshotCache cache = new SnapshotCache();
  private final AgentMetrics metrics = AgentMetrics.create(cache);

  @AfterEach
  void close() {
    metrics.close();
  }

  private static TargetSnapshot target(String name, Diagnostics d) {
    return new TargetSnapshot(
        name,
        "milvus",
        Map.of("env", "prod"),
        TargetState.UP,
        Optional.empty(),
        OptionalLong.empty(),
        HealthSnapshot.NONE,
        OptionalLong.empty(),
        OptionalLong.empty(),
        true,
        List.of(),
        d);
  }

  @Test
  void seriesCarryTheTargetsLabelsAndTheirOwn() {
    Diagnostics d =
        Diagnostics.builder()
            .gauge("vecwatch_milvus_load_progress_ratio", "loading progress", 0.25)
            .gauge("vecwatch_milvus_quota_state", "quota", Map.of("state", "DenyToRead"), 1)
            .counter("vecwatch_milvus_connect_attempts_total", "attempts", 3)
            .info("server_version", "v2.3.5")
            .build();
    cache.set(new AgentSnapshot(0, 0, true, List.of(target("m1", d))));

    String text = metrics.scrape(AgentMetrics.PROMETHEUS_TEXT);

    assertThat(text)
        .contains(
            "vecwatch_milvus_load_progress_ratio{env=\"prod\",kind=\"milvus\",target=\"m1\"} 0.25",
            "vecwatch_milvus_quota_state{env=\"prod\",kind=\"milvus\",state=\"DenyToRead\",target=\"m1\"} 1.0",
            "# TYPE vecwatch_milvus_connect_attempts_total counter",
            "vecwatch_milvus_connect_attempts_total{env=\"prod\",kind=\"milvus\",target=\"m1\"} 3.0",
            "vecwatch_target_info{env=\"prod\",kind=\"milvus\",server_version=\"v2.3.5\",target=\"m1\"} 1");
  }

  @Test
  void seriesComeAndGoWithTheTargetsReports() {
    cache.set(
        new AgentSnapshot(
            0,
            0,
            true,
            List.of(
                target(
                    "m1",
                    Diagnostics.builder()
                        .gauge("vecwatch_milvus_index_pending_rows", "lag", 7)
                        .build()))));
    assertThat(metrics.scrape(AgentMetrics.PROMETHEUS_TEXT))
        .contains("vecwatch_milvus_index_pending_rows{");

    cache.set(new AgentSnapshot(0, 0, true, List.of(target("m1", Diagnostics.EMPTY))));
    assertThat(metrics.scrape(AgentMetrics.PROMETHEUS_TEXT))
        .doesNotContain("vecwatch_milvus_index_pending_rows")
        .doesNotContain("vecwatch_target_info");
  }

  @Test
  void twoTargetsShareOneFamilyPerName() {
    Diagnostics d =
        Diagnostics.builder().gauge("vecwatch_self_recall_ratio", "self-recall", 0.5).build();
    Diagnostics e =
        Diagnostics.builder().gauge("vecwatch_self_recall_ratio", "self-recall", 0.75).build();
    cache.set(new AgentSnapshot(0, 0, true, List.of(target("a", d), target("b", e))));

    String text = metrics.scrape(AgentMetrics.PROMETHEUS_TEXT);

    assertThat(text.lines().filter(l -> l.startsWith("# TYPE vecwatch_self_recall_ratio")))
        .hasSize(1);
    assertThat(text).contains("target=\"a\"} 0.5", "target=\"b\"} 0.75");
  }
}
