package io.vecwatch.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricContractTest {

  @Test
  void readsNamesFromTableRowsWithHistogramSamplesAndPrefixes(@TempDir Path dir) throws Exception {
    Path md = dir.resolve("metrics.md");
    Files.writeString(
        md,
        String.join(
            "\n",
            "# Metrics",
            "| series | type | labels | meaning |",
            "|---|---|---|---|",
            "| `a_latency_seconds` | histogram | target | x `not_a_name_in_meaning` |",
            "| `b_total` | counter | target | y |",
            "| `jvm_*`, `process_*` | | | binders |",
            "text mentioning `c_gauge` outside a table"));
    MetricContract c = MetricContract.read(md);
    assertThat(c.names())
        .containsExactlyInAnyOrder(
            "a_latency_seconds",
            "a_latency_seconds_bucket",
            "a_latency_seconds_sum",
            "a_latency_seconds_count",
            "b_total");
    assertThat(c.contains("jvm_memory_used_bytes")).isTrue();
    assertThat(c.contains("process_cpu_usage")).isTrue();
    assertThat(c.contains("c_gauge")).isFalse();
    assertThat(c.contains("not_a_name_in_meaning")).isFalse();
  }

  @Test
  void theRepositoryContractListsTheCoreSeries() throws Exception {
    MetricContract c = MetricContract.read(Repo.file("docs/metrics.md"));
    assertThat(c.names())
        .contains(
            "vecwatch_probe_latency_seconds_bucket",
            "vecwatch_recall_ratio",
            "vecwatch_target_up",
            "vecwatch_probe_requests_total");
  }
}
