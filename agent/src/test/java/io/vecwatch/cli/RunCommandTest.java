package io.vecwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vecwatch.config.DatasetConfig;
import io.vecwatch.config.ProbeConfig;
import io.vecwatch.config.TargetConfig;
import io.vecwatch.config.VecwatchConfig;
import io.vecwatch.rules.RuleFileParser;
import io.vecwatch.rules.RuleFiles;
import io.vecwatch.rules.RuleGroupSpec;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunCommandTest {
  @TempDir Path dir;

  private record Run(int exit, String err) {}

  private static Run run(String... args) {
    PrintStream saved = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      return new Run(Main.execute(args), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setErr(saved);
    }
  }

  private Path validConfig() throws Exception {
    Path f = dir.resolve("vecwatch.yml");
    Files.writeString(
        f,
        """
        datasets:
          - name: d
            metric: l2
            generate: {count: 100, dim: 4, queries: 5, ground_truth_k: 10}
        targets:
          - name: a
            kind: flat
            dataset: d
        """);
    return f;
  }

  @Test
  void embeddedDemoIsAValidConfigProbingFlatAndHnswAtTenPerSecond() throws Exception {
    VecwatchConfig demo = RunCommand.demo();
    assertThat(demo.web().port()).isEqualTo(9477);
    assertThat(demo.datasets()).hasSize(1);
    DatasetConfig.Generated g = (DatasetConfig.Generated) demo.datasets().get(0).source();
    assertThat(g.count()).isEqualTo(20_000);
    assertThat(g.dim()).isEqualTo(128);
    assertThat(g.queries()).isEqualTo(200);
    assertThat(demo.targets())
        .extracting(TargetConfig::kind)
        .containsExactly("flat", "lucene_hnsw");
    assertThat(demo.probes()).hasSize(2);
    assertThat(demo.probes().stream().mapToDouble(ProbeConfig::rate).sum()).isEqualTo(10.0);
  }

  @Test
  void embeddedDemoEvaluatesTheBundledDefaultRulePackAndOffersTheDemoFault() throws Exception {
    VecwatchConfig demo = RunCommand.demo();
    assertThat(demo.rules().ruleFiles()).hasSize(1);
    RuleFileParser.Result pack = RuleFiles.load(Path.of("."), demo.rules().ruleFiles());
    assertThat(pack.problems()).isEmpty();
    // the same groups as the repository's rules/ folder
    RuleFileParser.Result repo =
        RuleFiles.load(Path.of("..").toAbsolutePath().normalize(), List.of("rules/*.yml"));
    assertThat(pack.groups())
        .extracting(RuleGroupSpec::name)
        .containsExactlyElementsOf(repo.groups().stream().map(RuleGroupSpec::name).toList())
        .contains("vecwatch-quality");
    assertThat(pack.ruleCount()).isEqualTo(repo.ruleCount());
    assertThat(demo.faults().demoTarget()).contains("demo-hnsw");
    assertThat(demo.faults().adminApi()).isFalse();
  }

  @Test
  void aMalformedListenAddressIsOneLineAndExitCode2() throws Exception {
    Run r = run("run", "--config", validConfig().toString(), "--web.listen-address", "nonsense");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err())
        .isEqualTo(
            "vecwatch: --web.listen-address: must be HOST:PORT or :PORT with a port in 0-65535, got \"nonsense\"\n");
  }

  @Test
  void aMissingConfigFileIsOneLineAndExitCode2() {
    Path missing = dir.resolve("nope.yml");
    Run r = run("run", "--config", missing.toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).isEqualTo(missing + ": file does not exist\n");
  }

  @Test
  void aTakenPortIsOneLineAndExitCode2() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      String addr = "127.0.0.1:" + taken.getLocalPort();
      Run r = run("run", "--config", validConfig().toString(), "--web.listen-address", addr);
      assertThat(r.exit()).isEqualTo(2);
      assertThat(r.err()).startsWith("vecwatch: cannot listen on " + addr + ": ").endsWith("\n");
      assertThat(r.err().lines()).hasSize(1);
    }
  }
}
