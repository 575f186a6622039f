package io.vecwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vecwatch.config.ConfigLoader;
import io.vecwatch.config.VecwatchConfig;
import io.vecwatch.target.registry.TargetKinds;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vecwatch bench load}: the whole flow from agent config to report to the agent's capacity
 * figure.
 */
class LoadCommandTest {
  private static final String CONFIG =
      """
      datasets:
        - name: gen
          metric: l2
          generate: {count: 2000, dim: 16, queries: 40, ground_truth_k: 10}
      targets:
        - name: exact
          kind: flat
          dataset: gen
        - name: other
          kind: flat
          dataset: gen
      faults:
        delays: {exact: 20ms}
      """;

  @TempDir Path dir;

  private record Run(int code, String out, String err) {}

  private Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void benchmarkReportFeedsTheAgentsCapacityThroughCapacityFromReport() throws Exception {
    Path config = Files.writeString(dir.resolve("vecwatch.yml"), CONFIG);
    Path out = dir.resolve("out");
    // 2 workers on a target held 20 ms per search (the config's fault delay): at most 100
    // searches/s
    Run r =
        run(
            "bench",
            "load",
            "--config",
            config.toString(),
            "--target",
            "exact",
            "--out",
            out.toString(),
            "--levels",
            "2",
            "--warmup",
            "0",
            "--first-warmup",
            "0",
            "--step",
            "1s",
            "--phases",
            "closed,open",
            "--open-workers",
            "2",
            "--start-rate",
            "40",
            "--growth",
            "2",
            "--precision",
            "0.5",
            "--max-rate",
            "400");

    assertThat(r.code()).as(r.out() + r.err()).isZero();
    assertThat(r.out())
        .contains("capacity: ")
        .contains("agent config:")
        .contains("capacity_from_report:");
    JsonNode report = new ObjectMapper().readTree(out.resolve("report.json").toFile());
    assertThat(report.get("target").asText()).isEqualTo("exact");
    assertThat(report.get("kind").asText()).isEqualTo("flat");
    // never above the theoretical 100/s (the numbers against theory are checked in LoadTimingIT)
    assertThat(report.get("steps").get(0).get("achieved_rps").asDouble()).isBetween(1.0, 110.0);
    double capacity = report.get("capacity_rps").asDouble();
    assertThat(capacity).isBetween(1.0, 110.0);
    assertThat(out.resolve("report.html")).exists();
    assertThat(out.resolve("qps-vs-concurrency.png")).exists();

    // the agent reads the measured figure
    Path agentConfig =
        Files.writeString(
            dir.resolve("agent.yml"), CONFIG + "capacity_from_report:\n  exact: out/report.json\n");
    VecwatchConfig cfg = new ConfigLoader(Map.of(), TargetKinds.lookup()).load(agentConfig);
    assertThat(cfg.rules().capacity()).isEqualTo(Map.of("exact", capacity));
  }

  @Test
  void unknownTargetIsOneLineNamingTheKnownOnes() throws Exception {
    Path config = Files.writeString(dir.resolve("vecwatch.yml"), CONFIG);
    Run r =
        run(
            "bench",
            "load",
            "--config",
            config.toString(),
            "--target",
            "nope",
            "--out",
            dir.toString());

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err().strip())
        .isEqualTo(
            "vecwatch: --target: no target named \"nope\" in " + config + " (known: exact, other)");
  }

  @Test
  void badObjectiveIsOneLine() throws Exception {
    Path config = Files.writeString(dir.resolve("vecwatch.yml"), CONFIG);
    Run r =
        run(
            "bench",
            "load",
            "--config",
            config.toString(),
            "--target",
            "exact",
            "--out",
            dir.toString(),
            "--recall",
            "1.5");

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err().strip()).isEqualTo("vecwatch: --recall: must be between 0 and 1, got 1.5");
  }

  @Test
  void unknownPhaseIsOneLine() throws Exception {
    Path config = Files.writeString(dir.resolve("vecwatch.yml"), CONFIG);
    Run r =
        run(
            "bench",
            "load",
            "--config",
            config.toString(),
            "--target",
            "exact",
            "--out",
            dir.toString(),
            "--phases",
            "closed,warp");

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err().strip())
        .isEqualTo("vecwatch: --phases: unknown phase \"warp\" (known: closed, open, params)");
  }

  @Test
  void badDurationIsOneLine() throws Exception {
    Path config = Files.writeString(dir.resolve("vecwatch.yml"), CONFIG);
    Run r =
        run(
            "bench",
            "load",
            "--config",
            config.toString(),
            "--target",
            "exact",
            "--out",
            dir.toString(),
            "--step",
            "ten");

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err())
        .startsWith("vecwatch: --step: not a valid duration: \"ten\"")
        .doesNotContain("Exception");
  }

  @Test
  void recallKDeeperThanTheGroundTruthIsOneLine() throws Exception {
    Path config = Files.writeString(dir.resolve("vecwatch.yml"), CONFIG);
    Run r =
        run(
            "bench",
            "load",
            "--config",
            config.toString(),
            "--target",
            "exact",
            "--out",
            dir.toString(),
            "--recall-k",
            "50");

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err().strip())
        .isEqualTo("vecwatch: --recall-k: 50 exceeds the ground-truth depth 10 of dataset gen");
  }

  @Test
  void badConfigIsReportedLikeCheckConfig() throws Exception {
    Path config = Files.writeString(dir.resolve("vecwatch.yml"), "targets: 3\n");
    Run r =
        run(
            "bench",
            "load",
            "--config",
            config.toString(),
            "--target",
            "exact",
            "--out",
            dir.toString());

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).startsWith(config + ":").doesNotContain("Exception");
  }
}
