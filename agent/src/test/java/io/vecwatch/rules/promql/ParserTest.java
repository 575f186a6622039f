package io.vecwatch.rules.promql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vecwatch.promtext.Labels;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ParserTest {

  @Test
  void multiplicationBindsTighterThanAdditionAndComparison() {
    Expr e = Parser.parse("a + b * c > 1");
    assertThat(e).isInstanceOf(Expr.Binary.class);
    Expr.Binary gt = (Expr.Binary) e;
    assertThat(gt.op()).isEqualTo(BinaryOp.GT);
    Expr.Binary add = (Expr.Binary) gt.lhs();
    assertThat(add.op()).isEqualTo(BinaryOp.ADD);
    assertThat(((Expr.Binary) add.rhs()).op()).isEqualTo(BinaryOp.MUL);
  }

  @Test
  void orBindsLooserThanAndAndPowerIsRightAssociative() {
    Expr.Binary or = (Expr.Binary) Parser.parse("a or b and c");
    assertThat(or.op()).isEqualTo(BinaryOp.OR);
    assertThat(((Expr.Binary) or.rhs()).op()).isEqualTo(BinaryOp.AND);
    Expr.Binary pow = (Expr.Binary) Parser.parse("2 ^ 3 ^ 2");
    assertThat(pow.lhs()).isEqualTo(new Expr.NumberLiteral(2));
    assertThat(pow.rhs()).isInstanceOf(Expr.Binary.class);
  }

  @Test
  void unaryMinusBindsTighterThanMultiplicationButLooserThanPower() {
    Expr.Binary mul = (Expr.Binary) Parser.parse("-a * b");
    assertThat(mul.op()).isEqualTo(BinaryOp.MUL);
    assertThat(mul.lhs()).isInstanceOf(Expr.Negation.class);
    assertThat(Parser.parse("-a ^ 2")).isInstanceOf(Expr.Negation.class);
    assertThat(Parser.parse("-1.5")).isEqualTo(new Expr.NumberLiteral(-1.5));
  }

  @Test
  void parsesSelectorsWithAllMatcherTypes() {
    Expr.VectorSelector vs =
        (Expr.VectorSelector)
            Parser.parse(
                "vecwatch_recall_ratio{k=\"10\", target!='x', dataset=~\"s.*\", kind!~`l|m`,}");
    assertThat(vs.metricName()).isEqualTo("vecwatch_recall_ratio");
    assertThat(vs.matchers())
        .extracting(Matcher::type)
        .containsExactly(
            Matcher.Type.EQ, Matcher.Type.EQ, Matcher.Type.NEQ, Matcher.Type.RE, Matcher.Type.NRE);
    Matcher re = vs.matchers().get(3);
    assertThat(re.matches("sift")).isTrue();
    assertThat(re.matches("xsift")).as("anchored").isFalse();
    Expr.VectorSelector byName = (Expr.VectorSelector) Parser.parse("{__name__=\"up\", job=\"a\"}");
    assertThat(byName.metricName()).isEqualTo("up");
  }

  @Test
  void parsesAggregationsWithGroupingBeforeOrAfter() {
    Expr.Aggregation a = (Expr.Aggregation) Parser.parse("sum by (target, dataset) (x)");
    Expr.Aggregation b = (Expr.Aggregation) Parser.parse("SUM(x) BY (target, dataset)");
    assertThat(a).isEqualTo(b);
    assertThat(a.grouping()).isEqualTo(Set.of("target", "dataset"));
    Expr.Aggregation w = (Expr.Aggregation) Parser.parse("count without (on) (x)");
    assertThat(w.without()).isTrue();
    assertThat(w.grouping()).containsExactly("on");
  }

  @Test
  void parsesRangeFunctionsAndMatching() {
    Expr.Call c = (Expr.Call) Parser.parse("quantile_over_time(0.9, x{a=\"b\"}[1h30m])");
    assertThat(((Expr.MatrixSelector) c.args().get(1)).rangeMillis()).isEqualTo(5_400_000L);
    Expr.Binary b = (Expr.Binary) Parser.parse("a > bool ignoring(k) b");
    assertThat(b.returnBool()).isTrue();
    assertThat(b.matching()).isEqualTo(new Expr.VectorMatching(false, Set.of("k")));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "x offset 5m                          | unsupported: offset modifier",
        "x @ 100                              | unsupported: @ modifier",
        "rate(x[5m:1m])                       | unsupported: subquery",
        "max_over_time(rate(x[1m])[5m:])      | unsupported: subquery",
        "a / on(i) group_left b               | unsupported: group_left modifier",
        "a / ignoring(i) group_right(j) b     | unsupported: group_right modifier",
        "histogram_quantile(0.9, x)           | unsupported: function histogram_quantile",
        "topk(3, x)                           | unsupported: aggregation topk",
        "stddev by (a) (x)                    | unsupported: aggregation stddev",
        "x[5m]                                | unsupported: range vector outside a range function (x[5m])",
      })
  void rejectsConstructsOutsideTheSubsetNamingThem(String expr, String message) {
    assertThatThrownBy(() -> Parser.parseRuleExpression(expr))
        .isInstanceOfSatisfying(PromQLException.class, e -> assertThat(e.isUnsupported()).isTrue())
        .hasMessage(message);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "1 > 2                 | comparisons between scalars must use BOOL modifier",
        "a + bool b            | bool modifier can only be used on comparison operators",
        "a and 1               | set operator \"and\" not allowed in binary scalar expression",
        "1 + on(a) x           | vector matching only allowed between instant vectors",
        "{a=~\".*\"}             | vector selector must contain at least one non-empty matcher",
        "rate(x)               | expected type range vector in call to function \"rate\", got instant vector",
        "sum(1)                | expected type instant vector in aggregation expression, got scalar",
        "abs(x, y)             | expected 1 argument(s) in call to \"abs\", got 2",
        "x{a=~\"(\"}             | invalid regular expression",
      })
  void reportsTypeErrors(String expr, String message) {
    assertThatThrownBy(() -> Parser.parse(expr))
        .isInstanceOf(PromQLException.class)
        .hasMessageContaining(message);
  }

  @Test
  void reportsSyntaxErrorsWithTheirPosition() {
    assertThatThrownBy(() -> Parser.parse("nosuch(x)"))
        .hasMessage("parse error at char 1: unknown function with name \"nosuch\"");
    assertThatThrownBy(() -> Parser.parse("x{a=\"b\""))
        .hasMessageStartingWith("parse error at char 8: unexpected end");
    assertThatThrownBy(() -> Parser.parse("")).hasMessageContaining("no expression found");
    assertThatThrownBy(() -> Parser.parse("x{a=\"b}"))
        .hasMessageContaining("unterminated quoted string");
  }

  @Test
  void parsesNumbersLikePrometheus() {
    assertThat(Parser.parse("0x10")).isEqualTo(new Expr.NumberLiteral(16));
    assertThat(Parser.parse("010")).isEqualTo(new Expr.NumberLiteral(8));
    assertThat(Parser.parse("1e3")).isEqualTo(new Expr.NumberLiteral(1000));
    assertThat(((Expr.NumberLiteral) Parser.parse("NaN")).value()).isNaN();
    assertThat(Parser.parse("-Inf")).isEqualTo(new Expr.NumberLiteral(Double.NEGATIVE_INFINITY));
  }

  @Test
  void parsesSeriesNotation() {
    assertThat(Parser.parseSeries("up{job=\"a\", i=\"1\"}"))
        .isEqualTo(Labels.of("__name__", "up", "job", "a", "i", "1"));
    assertThat(Parser.parseSeries("{__name__=\"x\"}")).isEqualTo(Labels.of("__name__", "x"));
    assertThatThrownBy(() -> Parser.parseSeries("up{job=~\"a\"}"))
        .hasMessageContaining("only = matchers");
  }

  // Found by PromQLFuzzTest: deep nesting overflowed the stack (a crash instead of a user error).

  @Test
  void deeplyNestedExpressionsAreAUserErrorNotAStackOverflow() {
    for (String deep :
        List.of(
            "(".repeat(5000) + "up" + ")".repeat(5000),
            "-".repeat(5000) + "up",
            "1 + ".repeat(5000) + "up",
            "sum(".repeat(3000) + "up" + ")".repeat(3000))) {
      assertThatThrownBy(() -> Parser.parse(deep))
          .isInstanceOf(PromQLException.class)
          .hasMessageContaining("expression nested more than 256 levels deep");
    }
    assertThat(Parser.parse("(".repeat(100) + "up" + ")".repeat(100))).isNotNull();
  }
}
