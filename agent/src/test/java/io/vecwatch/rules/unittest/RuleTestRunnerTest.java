package io.vecwatch.rules.unittest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * promtool's output format and exit codes; the same files run through promtool itself in
 * RulePackIT.
 */
class RuleTestRunnerTest {
  @TempDir Path dir;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(Path... files) {
    return new RuleTestRunner(
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8))
        .run(List.of(files));
  }

  private void rules() throws Exception {
    Files.writeString(
        dir.resolve("r.yml"),
        """
        groups:
          - name: g
            rules:
              - alert: High
                expr: x > 1
                for: 2m
                labels: {severity: page}
                annotations: {summary: "x={{ $value }}"}
        """);
  }

  @Test
  void passingFileExitsZero() throws Exception {
    rules();
    Path t = dir.resolve("t.yml");
    Files.writeString(
        t,
        """
        rule_files: [r.yml]
        evaluation_interval: 1m
        tests:
          - interval: 1m
            input_series:
              - series: 'x{i="1"}'
                values: '0 5x5'
            alert_rule_test:
              - eval_time: 2m
                alertname: High
              - eval_time: 3m
                alertname: High
                exp_alerts:
                  - exp_labels: {severity: page, i: "1"}
                    exp_annotations: {summary: "x=5"}
            promql_expr_test:
              - expr: x * 2
                eval_time: 1m
                exp_samples:
                  - labels: '{i="1"}'
                    value: 10
        """);
    assertThat(run(t)).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8))
        .isEqualTo("Unit Testing:  " + t + "\n  SUCCESS\n\n");
  }

  @Test
  void failingFileExitsOneWithPromtoolsDiffs() throws Exception {
    rules();
    Path t = dir.resolve("t.yml");
    Files.writeString(
        t,
        """
        rule_files: [r.yml]
        tests:
          - name: wrong
            interval: 1m
            input_series:
              - series: 'x{i="1"}'
                values: '0 5x5'
            alert_rule_test:
              - eval_time: 2m
                alertname: High
                exp_alerts:
                  - exp_labels: {severity: page, i: "1"}
            promql_expr_test:
              - expr: x
                eval_time: 1m
                exp_samples:
                  - labels: 'x{i="1"}'
                    value: 4
        """);
    assertThat(run(t)).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .isEqualTo(
            """
          FAILED:
            name: wrong,
            alertname: High, time: 2m,\s
                exp:[
                    0:
                      Labels:{alertname="High", i="1", severity="page"}
                      Annotations:{}
                    ],\s
                got:[]
            expr: "x", time: 1m,
                exp: {__name__="x", i="1"} 4E+00
                got: {__name__="x", i="1"} 5E+00
        """);
  }

  @Test
  void evaluationErrorsStopTheTestGroup() throws Exception {
    Files.writeString(
        dir.resolve("r.yml"),
        """
        groups:
          - name: g
            rules:
              - record: r
                expr: x + on() x
        """);
    Path t = dir.resolve("t.yml");
    Files.writeString(
        t,
        """
        rule_files: [r.yml]
        tests:
          - interval: 1m
            input_series:
              - {series: 'x{i="1"}', values: '1'}
              - {series: 'x{i="2"}', values: '1'}
            promql_expr_test:
              - {expr: r, eval_time: 0m}
        """);
    assertThat(run(t)).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("    rule: r, time: 0s, err: found duplicate series");
  }

  @Test
  void unknownFieldsAreRejectedLikeYamlUnmarshalStrict() throws Exception {
    rules();
    Path t = dir.resolve("t.yml");
    Files.writeString(t, "rule_files: [r.yml]\ntests:\n  - interval: 1m\n    input: []\n");
    assertThat(run(t)).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("field input not found in type main.testGroup");
  }

  // Found by TestFileFuzzTest: inputs that would exhaust memory or never finish are refused with
  // one line.

  @Test
  void seriesExpandingBeyondAMillionSamplesAreRefused() throws Exception {
    rules();
    Path t = dir.resolve("t.yml");
    Files.writeString(
        t,
        """
        rule_files: [r.yml]
        tests:
          - input_series:
              - series: 'x'
                values: '1+1x100000000000'
        """);
    assertThat(run(t)).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("series values \"1+1x100000000000\" expand to more than 1000000 samples");
  }

  @Test
  void anEvalTimeNeedingMoreThanAMillionEvaluationsIsRefused() throws Exception {
    rules();
    Path t = dir.resolve("t.yml");
    Files.writeString(
        t,
        """
        rule_files: [r.yml]
        evaluation_interval: 1s
        tests:
          - promql_expr_test:
              - expr: x
                eval_time: 1000000y
        """);
    assertThat(run(t)).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("eval_time 1000000y needs more than 1000000 evaluations");
  }

  @Test
  void aZeroEvaluationIntervalIsRefusedInsteadOfLoopingForever() throws Exception {
    rules();
    Path t = dir.resolve("t.yml");
    Files.writeString(t, "rule_files: [r.yml]\nevaluation_interval: 0s\ntests: []\n");
    assertThat(run(t)).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains(t + ": evaluation_interval must be greater than 0");
  }

  @Test
  void aYamlSyntaxErrorIsOneLineWithoutQuotingTheFile() throws Exception {
    // Found by fuzzing: the YAML parser's own message spans lines and quotes the offending one.
    Path t = dir.resolve("t.yml");
    Files.writeString(t, "tests: - - - password: hunter2\n");
    assertThat(run(t)).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains(t + ": line 1, column 8: not valid YAML: sequence entries are not allowed here\n")
        .doesNotContain("hunter2");
  }
}
