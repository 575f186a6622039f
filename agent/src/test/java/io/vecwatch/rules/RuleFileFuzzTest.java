package io.vecwatch.rules;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.vecwatch.rules.fuzz.Bounded;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Rule files: any text is either a valid rule file or a list of problems, each one line naming what
 * is wrong, with no stack trace; YAML alias bombs and deep nesting are refused; nothing hangs. The
 * fuzzer mutates the seed corpus (the shipped rules, alias bombs, nesting 5,000 deep, broken files:
 * {@code RuleFileFuzzTestInputs/}) with lines of rule-file YAML.
 */
class RuleFileFuzzTest {
  @FuzzTest
  @DictionaryEntries({
    "groups:",
    "  - name: g",
    "  - name: h",
    "    interval: 1m",
    "    interval: -1s",
    "    interval: 0s",
    "    limit: 2",
    "    limit: -1",
    "    rules:",
    "      - alert: A",
    "      - alert: ''",
    "      - alert: 1",
    "      - record: r",
    "      - record: 'bad name'",
    "        expr: up == 0",
    "        expr: rate(x[5m]) > 1",
    "        expr: 'sum('",
    "        expr: '{{'",
    "        expr:",
    "        for: 5m",
    "        for: 5x",
    "        keep_firing_for: 1m",
    "        labels: {severity: critical}",
    "        labels: {'__x': y}",
    "        labels: [a, b]",
    "        annotations: {summary: '{{ $value | humanize }}'}",
    "        annotations: {summary: '{{ if }}'}",
    "        annotations: {s: '{{ printf \"%999999999d\" 1 }}'}",
    "        bogus: 1",
    "    query_offset: 1m",
    "- x",
    "groups: []",
    "groups: {}",
    "groups: 1",
    "~",
    "---",
    "a: &a [x, x, x, x, x, x, x, x]",
    "b: &b [*a, *a, *a, *a, *a, *a, *a, *a]",
    "c: [*b, *b, *b, *b, *b, *b]",
    "\"unterminated",
    "{",
    "}",
    "[",
    "]",
    ":",
    "? complex",
    "!!binary AAAA",
    "!!python/object x"
  })
  void anyTextIsARuleFileOrOneLineProblems(byte[] bytes) throws Throwable {
    String text = new String(bytes, StandardCharsets.UTF_8);
    RuleFileParser.Result r =
        Bounded.call(() -> RuleFileParser.parse(Path.of("fuzz.rules.yml"), text), text);
    if (!r.ok()) {
      assertThat(r.problems())
          .isNotEmpty()
          .allSatisfy(
              p ->
                  assertThat(p)
                      .startsWith("fuzz.rules.yml")
                      .doesNotContain("\n")
                      .doesNotContain("\tat ")
                      .doesNotContain("Exception"));
    }
  }
}
