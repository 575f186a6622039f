package io.vecwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RulesCommandTest {
  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
  }

  @Test
  void checkCountsRulesOfGoodFiles() throws Exception {
    Path f = dir.resolve("ok.yml");
    Files.writeString(
        f, "groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up == 0\n");
    assertThat(run("rules", "check", f.toString())).isZero();
    assertThat(out.toString()).isEqualTo(f + ": 1 rules found\n");
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void checkPrintsOneLinePerProblemAndExitsTwo() throws Exception {
    Path f = dir.resolve("bad.yml");
    Files.writeString(
        f,
        """
        groups:
          - name: g
            rules:
              - alert: A
                expr: rate(x[5m] offset 1h)
              - alert: B
                expr: histogram_quantile(0.9, rate(x_bucket[5m]))
        """);
    Path missing = dir.resolve("missing.yml");
    assertThat(run("rules", "check", f.toString(), missing.toString())).isEqualTo(2);
    assertThat(err.toString().lines())
        .containsExactly(
            f + ": group \"g\", rule \"A\": unsupported: offset modifier",
            f + ": group \"g\", rule \"B\": unsupported: function histogram_quantile",
            missing + ": file does not exist");
  }

  @Test
  void testRunsPromtoolFormatAndExitsOneOnFailure() throws Exception {
    Files.writeString(
        dir.resolve("r.yml"),
        "groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up == 0\n");
    Path t = dir.resolve("t.yml");
    Files.writeString(
        t,
        """
        rule_files: [r.yml]
        tests:
          - interval: 1m
            input_series:
              - {series: 'up{job="x"}', values: '0x3'}
            alert_rule_test:
              - eval_time: 1m
                alertname: A
        """);
    assertThat(run("rules", "test", t.toString())).isEqualTo(1);
    assertThat(out.toString()).startsWith("Unit Testing:  " + t);
    assertThat(err.toString()).contains("alertname: A, time: 1m");
  }

  @Test
  void rulesWithoutSubcommandShowsUsage() {
    assertThat(run("rules")).isEqualTo(2);
    assertThat(err.toString()).contains("check").contains("test");
  }
}
