package io.vecwatch.rules.unittest;

import static org.assertj.core.api.Assertions.assertThat;

import io.vecwatch.rules.fuzz.Bounded;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * promtool test files ({@code vecwatch rules test}): any text either runs or is reported as failing
 * with promtool-style lines, never an exception; huge series expansions and evaluation ranges are
 * refused rather than exhausting memory or time.
 */
class TestFileFuzzTest {
  private static final List<String> LINES =
      List.of(
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
          ":");
  private static final Path DIR;

  static {
    try {
      DIR = Files.createTempDirectory("vecwatch-testfile-fuzz");
      Files.writeString(
          DIR.resolve("fuzz.rules.yml"),
          "groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up > 1\n        for: 1m\n");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Provide
  Arbitrary<String> files() {
    Arbitrary<String> lines =
        Arbitraries.of(LINES).list().ofMaxSize(30).map(l -> String.join("\n", l) + "\n");
    Arbitrary<String> raw = Arbitraries.strings().ofMaxLength(200);
    Arbitrary<String> nested =
        Arbitraries.integers().between(1, 5000).map(n -> "tests: " + "[".repeat(n));
    return Arbitraries.oneOf(lines, lines, raw, nested);
  }

  @Property
  void anyTextRunsOrFailsWithPromtoolStyleLines(@ForAll("files") String text) throws Throwable {
    Path file = DIR.resolve("fuzz.test.yml");
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
