package io.vecwatch.rules.promql;

import static org.assertj.core.api.Assertions.assertThat;

import io.vecwatch.promtext.Labels;
import io.vecwatch.rules.fuzz.Bounded;
import io.vecwatch.rules.history.SeriesStore;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * PromQL expressions as users write them in rule files: any text either parses or is rejected with
 * a {@link PromQLException} (one line, no stack trace); whatever parses evaluates or fails with an
 * {@link EvalException}; nothing hangs.
 */
class PromQLFuzzTest {
  private static final List<String> TOKENS =
      List.of(
          "up",
          "vecwatch_probe_latency_seconds",
          "x:y",
          "rate",
          "irate",
          "increase",
          "avg_over_time",
          "sum",
          "avg",
          "min",
          "max",
          "count",
          "topk",
          "quantile",
          "histogram_quantile",
          "absent",
          "vector",
          "scalar",
          "time",
          "clamp",
          "clamp_min",
          "abs",
          "(",
          ")",
          "(",
          ")",
          "[5m]",
          "[1h30m]",
          "[0s]",
          "[",
          "]",
          "{",
          "}",
          "=",
          "!=",
          "=~",
          "!~",
          "\"a\"",
          "\"(.*\"",
          "'b'",
          "`c`",
          "\"\\x\"",
          "job",
          "__name__",
          ",",
          "+",
          "-",
          "*",
          "/",
          "%",
          "^",
          "==",
          ">",
          "<",
          ">=",
          "<=",
          "and",
          "or",
          "unless",
          "by",
          "without",
          "on",
          "ignoring",
          "group_left",
          "group_right",
          "bool",
          "offset",
          "@",
          "1",
          "0.5",
          "1e308",
          "1e309",
          "-0",
          "Inf",
          "NaN",
          "0x1f",
          "5m",
          "999999999999y",
          ":",
          "#c\n",
          " ",
          "\t");
  private static final SeriesStore STORE = SeriesStore.unbounded();

  static {
    for (int i = 0; i < 20; i++) {
      STORE.append(Labels.of("__name__", "up", "job", "a", "i", "" + (i % 3)), i * 15_000L, i % 2);
      STORE.append(
          Labels.of("__name__", "vecwatch_probe_latency_seconds", "job", "b"),
          i * 15_000L,
          i * 0.1);
    }
  }

  @Provide
  Arbitrary<String> expressions() {
    Arbitrary<String> soup =
        Arbitraries.of(TOKENS).list().ofMaxSize(25).map(l -> String.join("", l));
    Arbitrary<String> spaced =
        Arbitraries.of(TOKENS).list().ofMaxSize(25).map(l -> String.join(" ", l));
    Arbitrary<String> raw = Arbitraries.strings().ofMaxLength(60);
    Arbitrary<String> nested =
        Combinators.combine(
                Arbitraries.integers().between(1, 3000),
                Arbitraries.of("(", "-", "sum(", "abs(", "+", "1 + ", "{", "["))
            .as((n, t) -> t.repeat(n) + "up");
    Arbitrary<String> mutated =
        Combinators.combine(
                Arbitraries.of(
                    "sum by (target) (rate(x_total[5m])) < 0.5 * sum by (target) (rate(x_total[1h]))",
                    "histogram_quantile(0.99, sum by (le) (rate(h_bucket[5m]))) > 0.1",
                    "a{x=\"1\"} != on (x) group_left (y) b",
                    "absent(up{job=\"a\"})",
                    "topk(3, up) or vector(1)"),
                Arbitraries.integers().between(0, 100),
                Arbitraries.strings().ofMaxLength(3))
            .as(
                (seed, at, ins) ->
                    seed.substring(0, Math.min(at, seed.length()))
                        + ins
                        + seed.substring(Math.min(seed.length(), at + ins.length())));
    return Arbitraries.oneOf(soup, spaced, raw, nested, mutated);
  }

  @Property
  void anyTextParsesOrIsRejectedWithOneLine(@ForAll("expressions") String text) throws Throwable {
    Bounded.call(
        () -> {
          Expr e;
          try {
            e = Parser.parseRuleExpression(text);
          } catch (PromQLException ex) {
            assertThat(ex.getMessage())
                .isNotBlank()
                .doesNotContain("\n\tat ")
                .doesNotContain("Exception");
            return null;
          }
          try {
            new Evaluator(STORE, Evaluator.DEFAULT_LOOKBACK_MS).eval(e, 200_000L);
          } catch (EvalException ex) {
            assertThat(ex.getMessage()).isNotBlank();
          }
          return null;
        },
        text);
  }
}
