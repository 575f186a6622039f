package io.vecwatch.rules.unittest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vecwatch.rules.promql.StaleNaN;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SeriesValuesTest {
  @Test
  void expandsPromtoolNotation() {
    assertThat(SeriesValues.expand("0+10x3")).containsExactly(0.0, 10.0, 20.0, 30.0);
    assertThat(SeriesValues.expand("5-2x2")).containsExactly(5.0, 3.0, 1.0);
    assertThat(SeriesValues.expand("7x2 1")).containsExactly(7.0, 7.0, 7.0, 1.0);
    assertThat(SeriesValues.expand("1 _ _x2 2")).containsExactly(1.0, null, null, null, 2.0);
    assertThat(SeriesValues.expand("-1+1e1x1 Inf -Inf"))
        .containsExactly(-1.0, 9.0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY);
    assertThat(SeriesValues.expand("0x3"))
        .as("no hexadecimal in series values")
        .containsExactly(0.0, 0.0, 0.0, 0.0);
    List<Double> stale = SeriesValues.expand("1 stale");
    assertThat(StaleNaN.is(stale.get(1))).isTrue();
    assertThat(SeriesValues.expand("NaN").get(0)).isNaN();
  }

  @Test
  void addsTheIncrementRepeatedlyLikePromtool() {
    // promtool adds b at each step (floating-point accumulation), it does not multiply.
    double a = 0;
    Double[] expected = new Double[11];
    for (int i = 0; i <= 10; i++) {
      expected[i] = a;
      a += 0.1;
    }
    assertThat(SeriesValues.expand("0+0.1x10")).containsExactly(expected);
    assertThat(Arrays.asList(expected)).contains(0.30000000000000004);
  }

  @Test
  void rejectsGarbage() {
    assertThatThrownBy(() -> SeriesValues.expand("1 abc"))
        .hasMessage("invalid series value \"abc\"");
  }
}
