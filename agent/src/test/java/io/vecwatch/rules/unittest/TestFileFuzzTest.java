package io.vecwatch.rules.unittest;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.vecwatch.rules.fuzz.Bounded;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * promtool test files ({@code vecwatch rules test}): any text either runs or is reported as failing
 * with promtool-style lines, never an exception; huge series expansions and evaluation ranges are
 * refused rather than exhausting memory or time. The fuzzer mutates the seed corpus (test files in
 * the shipped style, the expansions and loops fuzzing once found: {@code TestFileFuzzTestInputs/})
 * with lines of test-file YAML; every input names {@code fuzz.rules.yml}, written beside it.
 */
class TestFileFuzzTest {
  private static Path dir;

  @BeforeAll
  static void setUp() throws IOException {
    dir = Files.createTempDirectory("vecwatch-testfile-fuzz");
    Files.writeString(
        dir.resolve("fuzz.rules.yml"),
        """
        groups:
          - name: g
            rules:
              - alert: A
                expr: up > 1
                for: 1m
                labels: {severity: page}
                annotations: {summary: "{{ $labels.job }} is {{ $value }}"}
              - record: job:up:sum
                expr: sum by (job) (up)
        """);
  }

  @AfterAll
  static void tearDown() throws IOException {
    try (var files = Files.list(dir)) {
      for (Path p : files.toList()) {
        Files.deleteIfExists(p);
      }
    }
    Files.deleteIfExists(dir);
  }

  @FuzzTest
  @DictionaryEntries({
    "rule_files: [fuzz.rules.yml]",
    "rule_files: [missing.yml]",
    "evaluation_interval: 1m",
    "evaluation_interval: 0s",
    "evaluation_interval: 1ms",
    "group_eval_order: [g, g]",
    "tests:",
    "  - interval: 1m",
    "  - interval: 0s",
    "    name: t",
    "    input_series:",
    "      - series: 'up{job=\"a\"}'",
    "        values: '1+1x10'",
    "        values: '1+1x100000000000'",
    "        values: '_x3 stale 1e309'",
    "        values: '1 2 3 -'",
    "      - series: '{'",
    "    alert_rule_test:",
    "      - eval_time: 5m",
    "      - eval_time: 1000000y",
    "      - eval_time: -5m",
    "        alertname: A",
    "        exp_alerts:",
    "          - exp_labels: {job: a}",
    "            exp_annotations: {summary: x}",
    "    promql_expr_test:",
    "      - expr: up",
    "      - expr: 'sum('",
    "        eval_time: 1m",
    "        eval_time: 99999999h",
    "        exp_samples:",
    "          - labels: 'up{job=\"a\"}'",
    "            value: 1",
    "            value: .nan",
    "            value: abc",
    "          - labels: '{{'",
    "    external_labels: {a: b}",
    "    external_url: http://x",
    "    bogus: 1",
    "- x",
    "~",
    "{",
    "\"",
    ":"
  })
  void anyTextRunsOrFailsWithPromtoolStyleLines(byte[] bytes) throws Throwable {
    String text = new String(bytes, StandardCharsets.UTF_8);
    Path file = dir.resolve("fuzz.test.yml");
    Files.writeString(file, text);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    RuleTestRunner runner =
        new RuleTestRunner(
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    int code = Bounded.call(() -> runner.run(List.of(file)), text);
    assertThat(code).isIn(0, 1);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .doesNotContain("\tat ")
        .doesNotContain("Exception");
  }
}
