package io.vecwatch.rules.promql;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.vecwatch.promtext.Labels;
import io.vecwatch.rules.fuzz.Bounded;
import io.vecwatch.rules.history.SeriesStore;
import java.nio.charset.StandardCharsets;

/**
 * PromQL expressions as users write them in rule files: any text either parses or is rejected with
 * a {@link PromQLException} (one line, no stack trace); whatever parses evaluates or fails with an
 * {@link EvalException}; nothing hangs. The fuzzer mutates the seed corpus (real rule expressions,
 * deep nesting, broken ones: {@code PromQLFuzzTestInputs/}) with the language's tokens.
 */
class PromQLFuzzTest {
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

  @FuzzTest
  @DictionaryEntries({
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
    "#c",
    " "
  })
  void anyTextParsesOrIsRejectedWithOneLine(byte[] bytes) throws Throwable {
    String text = new String(bytes, StandardCharsets.UTF_8);
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
