package io.vecwatch.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.vecwatch.target.registry.TargetKinds;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MigrationConfigTest {
  static final String BASE =
      """
      datasets:
        - {name: gen, metric: l2, generate: {count: 1000, dim: 16, queries: 10, ground_truth_k: 100}}
        - {name: other, metric: l2, generate: {count: 1000, dim: 16, queries: 10, ground_truth_k: 5}}
      targets:
        - {name: old, kind: flat, dataset: gen}
        - {name: new, kind: lucene_hnsw, dataset: gen}
      """;

  static VecwatchConfig load(String migrations) throws Exception {
    return new ConfigLoader(Map.of(), TargetKinds.lookup())
        .parse("m.yml", BASE + "migrations:\n" + migrations, Path.of("."));
  }

  @Test
  void aMigrationGetsTheSourcesDatasetAndTheGateDefaultsOfTheProductionGuide() throws Exception {
    MigrationConfig m =
        load("  - {name: move, source: old, destination: new}\n").migrations().get(0);

    assertThat(m.dataset()).isEqualTo("gen");
    assertThat(m.overlapK()).containsExactly(10);
    assertThat(m.window()).isEqualTo(Duration.ofMinutes(5));
    assertThat(m.records()).isEqualTo(MigrationConfig.Records.defaults());
    assertThat(m.gate()).isEqualTo(new MigrationConfig.Gate(10, 0.95, 0, 0, 0, 1.2, 100, 100));
  }

  @Test
  void everyKeyIsReadAsWritten() throws Exception {
    MigrationConfig m =
        load("""
          - name: move
            source: old
            destination: new
            dataset: other
            overlap_k: [1, 5]
            rate: 3.5
            concurrency: 4
            timeout: 250ms
            window: 10m
            count_interval: 30s
            records: {sample_size: 8, interval: 1m, window_samples: 500, tolerance: 0.001}
            gate: {overlap_k: 5, min_overlap: 0.9, max_missing_ratio: 0.01, max_mismatched_ratio: 0.02,
                   max_count_difference: 50, max_p99_latency_ratio: 1.5, min_pairs: 20, min_records: 30}
        """)
            .migrations()
            .get(0);

    assertThat(m)
        .isEqualTo(
            new MigrationConfig(
                "move",
                "old",
                "new",
                "other",
                List.of(1, 5),
                3.5,
                4,
                Duration.ofMillis(250),
                Duration.ofMinutes(10),
                Duration.ofSeconds(30),
                new MigrationConfig.Records(8, Duration.ofMinutes(1), 500, 0.001),
                new MigrationConfig.Gate(5, 0.9, 0.01, 0.02, 50, 1.5, 20, 30)));
  }

  @Test
  void theGateReadsTheFirstKWhenTenIsNotCompared() throws Exception {
    MigrationConfig m =
        load("  - {name: move, source: old, destination: new, overlap_k: [5, 50]}\n")
            .migrations()
            .get(0);

    assertThat(m.gate().overlapAtK()).isEqualTo(5);
  }
}
