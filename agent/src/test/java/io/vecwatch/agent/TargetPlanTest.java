package io.vecwatch.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.vecwatch.config.ConfigLoader;
import io.vecwatch.config.VecwatchConfig;
import io.vecwatch.target.registry.TargetKinds;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which targets a reload keeps, rebuilds, starts and stops. */
class TargetPlanTest {
  private static VecwatchConfig parse(String datasetCount, String targets, String probes)
      throws Exception {
    return new ConfigLoader(Map.of(), TargetKinds.lookup())
        .parse(
            "t.yml",
            """
        datasets:
          - name: d
            metric: l2
            generate: {count: %s, dim: 4, queries: 5, ground_truth_k: 10}
          - name: e
            metric: l2
            generate: {count: 100, dim: 4, queries: 5, ground_truth_k: 10}
        targets:
        %s
        probes:
        %s
        """
                .formatted(datasetCount, targets, probes),
            Path.of("."));
  }

  @Test
  void matchesTargetsByNameAndComparesSettingsProbesAndDatasets() throws Exception {
    VecwatchConfig before =
        parse(
            "100",
            """
          - {name: same, kind: flat, dataset: e}
          - {name: rate, kind: flat, dataset: e}
          - {name: data, kind: flat, dataset: d}
          - {name: gone, kind: flat, dataset: e}
        """,
            """
          - {target: same, rate: 5}
          - {target: rate, rate: 5}
        """);
    VecwatchConfig after =
        parse(
            "200",
            """
          - {name: same, kind: flat, dataset: e}
          - {name: rate, kind: flat, dataset: e}
          - {name: data, kind: flat, dataset: d}
          - {name: new, kind: flat, dataset: e}
        """,
            """
          - {target: same, rate: 5}
          - {target: rate, rate: 7}
        """);
    TargetPlan p = TargetPlan.of(before, after);
    assertThat(p.kept()).containsExactly("same");
    assertThat(p.changed()).containsExactly("rate", "data");
    assertThat(p.added()).containsExactly("new");
    assertThat(p.removed()).containsExactly("gone");
    assertThat(p.summary())
        .isEqualTo("targets: 1 kept, 2 changed (rate, data), 1 added (new), 1 removed (gone)");
  }
}
