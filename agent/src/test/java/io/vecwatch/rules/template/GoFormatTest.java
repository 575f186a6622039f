package io.vecwatch.rules.template;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Expected strings were produced by Go 1.26 ({@code strconv.FormatFloat} and {@code fmt}), the
 * implementation Prometheus' templates use; they are the reference, not something this code could
 * compute independently.
 */
class GoFormatTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        // value                | %v (shortest g)        | %.4g       | %.2f      | %e
        // | 'E' shortest
        "1234567.0              | 1.234567e+06           | 1.235e+06  | 1234567.00 | 1.234567e+06   | 1.234567E+06",
        "123456                 | 123456                 | 1.235e+05  | 123456.00 | 1.234560e+05    | 1.23456E+05",
        "1e20                   | 1e+20                  | 1e+20      | 100000000000000000000.00 | 1.000000e+20 | 1E+20",
        "0.0001                 | 0.0001                 | 0.0001     | 0.00      | 1.000000e-04    | 1E-04",
        "0.00001                | 1e-05                  | 1e-05      | 0.00      | 1.000000e-05    | 1E-05",
        "100                    | 100                    | 100        | 100.00    | 1.000000e+02    | 1E+02",
        "2.5e-7                 | 2.5e-07                | 2.5e-07    | 0.00      | 2.500000e-07    | 2.5E-07",
        "0.95                   | 0.95                   | 0.95       | 0.95      | 9.500000e-01    | 9.5E-01",
        "0.3333333333333333     | 0.3333333333333333     | 0.3333     | 0.33      | 3.333333e-01    | 3.333333333333333E-01",
        "2.675                  | 2.675                  | 2.675      | 2.67      | 2.675000e+00    | 2.675E+00",
        "0.005                  | 0.005                  | 0.005      | 0.01      | 5.000000e-03    | 5E-03",
        "-0.001                 | -0.001                 | -0.001     | -0.00     | -1.000000e-03   | -1E-03",
        "123456.789             | 123456.789             | 1.235e+05  | 123456.79 | 1.234568e+05    | 1.23456789E+05",
        "4.9E-324               | 5e-324                 | 4.941e-324 | 0.00      | 4.940656e-324   | 5E-324",
        "0.30000000000000004    | 0.30000000000000004    | 0.3        | 0.30      | 3.000000e-01    | 3.0000000000000004E-01",
      })
  void formatsFloatsLikeGo(
      double v, String shortest, String g4, String f2, String e, String upperShortest) {
    assertThat(GoFormat.formatFloat(v, 'g', -1)).isEqualTo(shortest);
    assertThat(GoFormat.print(v)).isEqualTo(shortest);
    assertThat(GoFormat.formatFloat(v, 'g', 4)).isEqualTo(g4);
    assertThat(GoFormat.formatFloat(v, 'f', 2)).isEqualTo(f2);
    assertThat(GoFormat.formatFloat(v, 'e', 6)).isEqualTo(e);
    assertThat(GoFormat.formatFloat(v, 'E', -1)).isEqualTo(upperShortest);
  }

  @Test
  void aPrecisionPastTheExactDigitsPadsTheExactValueWithZeros() {
    // Found by fuzzing: "%.9999999f" (Go accepts precisions up to about ten million) took seconds
    // of ten-million-digit arithmetic per value. The exact value is BigDecimal's, independently.
    String exact = new BigDecimal(0.1).toPlainString(); // 0.1000000000000000055511151231257827...
    String f = GoFormat.formatFloat(0.1, 'f', 9_999_999);
    assertThat(f).hasSize(2 + 9_999_999).startsWith(exact);
    assertThat(f.substring(exact.length())).matches("0+");
    String e = GoFormat.formatFloat(-0.1, 'e', 9_999_999);
    assertThat(e).startsWith("-1." + exact.substring(3)).endsWith("0e-01").hasSize(9_999_999 + 7);
    assertThat(GoFormat.formatFloat(Double.MIN_VALUE, 'f', 1074))
        .isEqualTo(new BigDecimal(Double.MIN_VALUE).toPlainString());
  }

  @Test
  void specialValues() {
    for (char f : new char[] {'g', 'e', 'f', 'E'}) {
      assertThat(GoFormat.formatFloat(Double.NaN, f, -1)).isEqualTo("NaN");
      assertThat(GoFormat.formatFloat(Double.POSITIVE_INFINITY, f, 3)).isEqualTo("+Inf");
      assertThat(GoFormat.formatFloat(Double.NEGATIVE_INFINITY, f, 3)).isEqualTo("-Inf");
    }
  }

  @Test
  void sprintfHandlesVerbsFlagsAndMismatches() {
    assertThat(
            GoFormat.sprintf(
                "%d|%5.1f|%-6s|%q|%x|%v|%s|%e|%g|%08.3f|%+d",
                List.of(
                    42L, 3.14159, "ab", "q\"x", 255L, "str", 1.5, 123456.789, 0.000012, -3.5, 7L)))
        .isEqualTo(
            "42|  3.1|ab    |\"q\\\"x\"|ff|str|%!s(float64=1.5)|1.234568e+05|1.2e-05|-003.500|+7");
    assertThat(GoFormat.sprintf("%d", List.of(1.5))).isEqualTo("%!d(float64=1.5)");
    assertThat(GoFormat.sprintf("%s %s", List.of("a"))).isEqualTo("a %!s(MISSING)");
    assertThat(GoFormat.sprintf("%s", List.of("a", 2L))).isEqualTo("a%!(EXTRA int=2)");
    assertThat(GoFormat.sprintf("100%%", List.of())).isEqualTo("100%");
  }
}
