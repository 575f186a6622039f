package io.vecwatch.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.vecwatch.rules.fuzz.Bounded;
import java.nio.file.Path;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Rule files: any text is either a valid rule file or a list of problems, each one line naming what
 * is wrong, with no stack trace; YAML alias bombs and deep nesting are refused; nothing hangs.
 */
class RuleFileFuzzTest {
  private static final List<String> LINES =
      List.of(
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
          "  \t",
          "\"unterminated",
          "{",
          "}",
          "[",
          "]",
          ":",
          "? complex",
          "!!binary AAAA",
          "!!python/object x");

  @Provide
  Arbitrary<String> files() {
    Arbitrary<String> lines =
        Arbitraries.of(LINES).list().ofMaxSize(30).map(l -> String.join("\n", l) + "\n");
    Arbitrary<String> raw = Arbitraries.strings().ofMaxLength(200);
    Arbitrary<String> nested =
        Combinators.combine(
                Arbitraries.integers().between(1, 5000), Arbitraries.of("[", "{a: ", "- "))
            .as((n, t) -> "groups: " + t.repeat(n));
    Arbitrary<String> mutated =
        Combinators.combine(
                Arbitraries.of(VALID),
                Arbitraries.integers().between(0, 400),
                Arbitraries.integers().between(0, 5),
                Arbitraries.strings().ofMaxLength(4))
            .as(
                (seed, at, cut, ins) -> {
                  int a = Math.min(at, seed.length());
                  return seed.substring(0, a)
                      + ins
                      + seed.substring(Math.min(seed.length(), a + cut));
                });
    return Arbitraries.oneOf(lines, raw, nested, mutated);
  }

  private static final String VALID =
      """
      groups:
        - name: vecwatch
          interval: 5s
          rules:
            - alert: VecwatchLatencyP99High
              expr: vecwatch_probe_window_latency_seconds{quantile="0.99"} > 0.1
              for: 30s
              labels: {severity: critical}
              annotations:
                summary: "P99 of {{ $labels.target }} is {{ $value | humanizeDuration }}"
            - record: target:rate5m
              expr: sum by (target) (rate(vecwatch_probes_total[5m]))
      """;

  @Property
  void anyTextIsARuleFileOrOneLineProblems(@ForAll("files") String text) throws Throwable {
    RuleFileParser.Result r =
        Bounded.call(() -> RuleFileParser.parse(Path.of("fuzz.rules.yml"), text), text);
    if (!r.ok()) {
      assertThat(r.problems())
          .isNotEmpty()
          .allSatisfy(
              p ->
                  assertThat(p)
                      .startsWith("fuzz.rules.yml")
                      .doesNotContain("\tat ")
                      .doesNotContain("Exception"));
    }
  }
}
