package io.vecwatch.rules.promql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.vecwatch.promtext.Labels;
import io.vecwatch.promtext.Sample;
import io.vecwatch.rules.history.SeriesStore;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Instant evaluation; expected values come from the definition of each operation, computed here.
 */
class EvaluatorTest {
  private static final long MIN = 60_000;
  private SeriesStore store;
  private Evaluator ev;

  @BeforeEach
  void setUp() {
    store = SeriesStore.unbounded();
    ev = new Evaluator(store, Evaluator.DEFAULT_LOOKBACK_MS);
  }

  private void series(Labels l, long stepMillis, double... values) {
    for (int i = 0; i < values.length; i++) {
      if (!Double.isNaN(values[i]) || StaleNaN.is(values[i])) {
        store.append(l, i * stepMillis, values[i]);
      }
    }
  }

  private List<Sample> vector(String expr, long t) {
    return ((Value.Vector) ev.eval(Parser.parse(expr), t)).samples();
  }

  private Map<Labels, Double> map(String expr, long t) {
    return vector(expr, t).stream().collect(Collectors.toMap(Sample::labels, Sample::value));
  }

  private double scalar(String expr, long t) {
    return ((Value.Scalar) ev.eval(Parser.parse(expr), t)).value();
  }

  @Test
  void instantSelectorTakesTheNewestSampleWithinTheLookback() {
    Labels up = Labels.of("__name__", "up", "job", "a");
    store.append(up, 0, 1);
    store.append(up, 2 * MIN, 0);
    assertThat(map("up", 3 * MIN)).containsEntry(up, 0.0);
    assertThat(map("up", 2 * MIN + 5 * MIN)).as("exactly lookback old").containsEntry(up, 0.0);
    assertThat(vector("up", 2 * MIN + 5 * MIN + 1)).as("older than the lookback").isEmpty();
    assertThat(vector("up", MIN - 1)).hasSize(1);
  }

  @Test
  void staleMarkerHidesTheSeriesUntilANewSample() {
    Labels up = Labels.of("__name__", "up");
    store.append(up, 0, 1);
    store.append(up, MIN, StaleNaN.VALUE);
    store.append(up, 3 * MIN, 2);
    assertThat(vector("up", MIN)).isEmpty();
    assertThat(vector("up", 2 * MIN)).isEmpty();
    assertThat(map("up", 3 * MIN)).containsEntry(up, 2.0);
    assertThat(scalar("scalar(count_over_time(up[10m]))", 3 * MIN))
        .as("stale markers are not samples")
        .isEqualTo(2);
  }

  @Test
  void rateOfASteadyCounterIsItsSlope() {
    Labels c = Labels.of("__name__", "req_total");
    double perSecond = 7.5;
    double[] v = new double[30];
    for (int i = 0; i < v.length; i++) {
      v[i] = 1000 + i * 15 * perSecond; // one sample every 15 s
    }
    series(c, 15_000, v);
    long t = 29 * 15_000;
    assertThat(map("rate(req_total[5m])", t).get(Labels.EMPTY)).isCloseTo(perSecond, within(1e-9));
    assertThat(map("increase(req_total[5m])", t).get(Labels.EMPTY))
        .isCloseTo(perSecond * 300, within(1e-6));
  }

  @Test
  void rateAddsCounterResetsBack() {
    Labels c = Labels.of("__name__", "c");
    // 0,10,20 then reset to 5,15 (sample every minute): the increase is 10+10+5+10 = 35 over 4
    // minutes.
    series(c, MIN, 0, 10, 20, 5, 15);
    double expectedRaw = 35;
    // Range [0, 4m] covers the samples exactly: no extrapolation beyond the first and last sample.
    assertThat(map("increase(c[4m])", 4 * MIN).get(Labels.EMPTY))
        .isCloseTo(expectedRaw, within(1e-9));
  }

  @Test
  void rateExtrapolatesHalfAnIntervalWhenSamplesAreFarFromTheBoundaries() {
    Labels c = Labels.of("__name__", "c");
    store.append(c, 10 * MIN, 100);
    store.append(c, 11 * MIN, 160);
    // Window [6m, 16m]: both boundaries are more than 1.1 intervals away, so extrapolate 30 s on
    // each side;
    // the zero point (100 / 60 per minute = 100 s before the first sample) is further than 30 s.
    double sampled = 60;
    double expected = 60 * (sampled + 30 + 30) / sampled;
    assertThat(map("increase(c[10m])", 16 * MIN).get(Labels.EMPTY))
        .isCloseTo(expected, within(1e-9));
    assertThat(vector("rate(c[30s])", 11 * MIN)).as("needs two samples").isEmpty();
  }

  @Test
  void overTimeFunctionsAggregateTheWindow() {
    Labels g = Labels.of("__name__", "g", "k", "v");
    double[] values = {3, 1, 4, 1, 5, 9, 2, 6};
    series(g, MIN, values);
    long t = 7 * MIN;
    double sum = 0;
    double min = Double.MAX_VALUE;
    double max = -Double.MAX_VALUE;
    for (double x : values) {
      sum += x;
      min = Math.min(min, x);
      max = Math.max(max, x);
    }
    Labels out = Labels.of("k", "v");
    assertThat(map("sum_over_time(g[10m])", t).get(out)).isEqualTo(sum);
    assertThat(map("avg_over_time(g[10m])", t).get(out))
        .isCloseTo(sum / values.length, within(1e-12));
    assertThat(map("min_over_time(g[10m])", t).get(out)).isEqualTo(min);
    assertThat(map("max_over_time(g[10m])", t).get(out)).isEqualTo(max);
    assertThat(map("count_over_time(g[10m])", t).get(out)).isEqualTo(values.length);
    assertThat(map("count_over_time(g[2m])", t))
        .as("[5m, 7m] holds 3 samples")
        .containsEntry(out, 3.0);
    assertThat(map("last_over_time(g[10m])", t)).containsEntry(g, 6.0);
    // quantile: sorted 1 1 2 3 4 5 6 9, rank 0.5 * 7 = 3.5 -> between 3 and 4.
    assertThat(map("quantile_over_time(0.5, g[10m])", t).get(out)).isEqualTo(3.5);
  }

  @Test
  void aggregationsGroupByAndWithout() {
    series(Labels.of("__name__", "x", "t", "a", "d", "1"), MIN, 1);
    series(Labels.of("__name__", "x", "t", "a", "d", "2"), MIN, 3);
    series(Labels.of("__name__", "x", "t", "b", "d", "1"), MIN, 10);
    assertThat(map("sum by (t) (x)", 0))
        .containsOnly(Map.entry(Labels.of("t", "a"), 4.0), Map.entry(Labels.of("t", "b"), 10.0));
    assertThat(map("avg without (d) (x)", 0))
        .containsOnly(Map.entry(Labels.of("t", "a"), 2.0), Map.entry(Labels.of("t", "b"), 10.0));
    assertThat(map("count(x)", 0)).containsOnly(Map.entry(Labels.EMPTY, 3.0));
    assertThat(map("max by (d) (x)", 0))
        .containsOnly(Map.entry(Labels.of("d", "1"), 10.0), Map.entry(Labels.of("d", "2"), 3.0));
    assertThat(map("min(x)", 0)).containsOnly(Map.entry(Labels.EMPTY, 1.0));
  }

  @Test
  void comparisonsFilterAndKeepTheLeftValueUnlessBool() {
    Labels a = Labels.of("__name__", "lat", "t", "a");
    Labels b = Labels.of("__name__", "lat", "t", "b");
    series(a, MIN, 0.2);
    series(b, MIN, 0.05);
    assertThat(map("lat > 0.1", 0)).containsOnly(Map.entry(a, 0.2));
    assertThat(map("0.1 < lat", 0))
        .as("scalar on the left still keeps the vector value")
        .containsOnly(Map.entry(a, 0.2));
    assertThat(map("lat > bool 0.1", 0))
        .containsOnly(Map.entry(Labels.of("t", "a"), 1.0), Map.entry(Labels.of("t", "b"), 0.0));
    assertThat(map("lat * 1000", 0))
        .containsOnly(Map.entry(Labels.of("t", "a"), 200.0), Map.entry(Labels.of("t", "b"), 50.0));
  }

  @Test
  void vectorMatchingIsOneToOneOnAllLabelsButTheName() {
    series(Labels.of("__name__", "ent", "t", "a", "k", "m"), MIN, 90);
    series(Labels.of("__name__", "exp", "t", "a", "k", "m"), MIN, 100);
    series(Labels.of("__name__", "ent", "t", "b", "k", "m"), MIN, 5);
    series(Labels.of("__name__", "exp", "t", "b", "k", "m"), MIN, 5);
    assertThat(map("ent != exp", 0))
        .containsOnly(Map.entry(Labels.of("__name__", "ent", "t", "a", "k", "m"), 90.0));
    assertThat(map("ent / exp", 0)).containsEntry(Labels.of("t", "a", "k", "m"), 0.9);
    assertThat(map("ent - on(t) exp", 0))
        .containsOnly(Map.entry(Labels.of("t", "a"), -10.0), Map.entry(Labels.of("t", "b"), 0.0));
    assertThat(map("ent - ignoring(k) exp", 0)).containsKey(Labels.of("t", "a"));
  }

  @Test
  void manyToManyMatchingIsAnError() {
    series(Labels.of("__name__", "a", "t", "x", "i", "1"), MIN, 1);
    series(Labels.of("__name__", "b", "t", "x", "i", "1"), MIN, 1);
    series(Labels.of("__name__", "b", "t", "x", "i", "2"), MIN, 1);
    assertThatThrownBy(() -> vector("a + on(t) b", 0))
        .isInstanceOf(EvalException.class)
        .hasMessageContaining(
            "found duplicate series for the match group {t=\"x\"} on the right hand-side");
    assertThatThrownBy(() -> vector("b + on(t) a", 0))
        .hasMessageContaining("many-to-one matching must be explicit");
  }

  @Test
  void setOperatorsUseLabelSignatures() {
    Labels a1 = Labels.of("__name__", "a", "t", "1");
    Labels a2 = Labels.of("__name__", "a", "t", "2");
    Labels b1 = Labels.of("__name__", "b", "t", "1");
    series(a1, MIN, 1);
    series(a2, MIN, 2);
    series(b1, MIN, 3);
    assertThat(map("a and b", 0)).containsOnlyKeys(a1);
    assertThat(map("a unless b", 0)).containsOnlyKeys(a2);
    assertThat(map("b or a", 0)).containsOnlyKeys(b1, a2);
    assertThat(map("a and on() b", 0)).containsOnlyKeys(a1, a2);
  }

  @Test
  void absentReturnsEqualityMatcherLabels() {
    assertThat(map("absent(nope{job=\"x\", env=~\"p.*\"})", 0))
        .containsOnly(Map.entry(Labels.of("job", "x"), 1.0));
    series(Labels.of("__name__", "yes"), MIN, 1);
    assertThat(vector("absent(yes)", 0)).isEmpty();
  }

  @Test
  void functionsThatDropTheNameCanCollideAndFail() {
    series(Labels.of("__name__", "a", "t", "1"), MIN, -1);
    series(Labels.of("__name__", "b", "t", "1"), MIN, -2);
    assertThatThrownBy(() -> vector("abs({t=\"1\"})", 0))
        .hasMessage("vector cannot contain metrics with the same labelset");
  }

  @Test
  void aReusedRangeResultIsRecomputedWhenItsSeriesGetsASample() {
    Labels c = Labels.of("__name__", "c");
    series(c, MIN, 0, 60, 120);
    assertThat(map("increase(c[2m])", 3 * MIN).get(Labels.EMPTY))
        .as("samples at 1m and 2m only")
        .isNotNull();
    double before = map("increase(c[2m])", 3 * MIN).get(Labels.EMPTY);
    store.append(c, 3 * MIN, 1000); // e.g. a recording rule writing at the same evaluation time
    double after = map("increase(c[2m])", 3 * MIN).get(Labels.EMPTY);
    assertThat(after).isNotEqualTo(before);
    assertThat(after)
        .isEqualTo(
            new Evaluator(store, Evaluator.DEFAULT_LOOKBACK_MS)
                        .eval(Parser.parse("increase(c[2m])"), 3 * MIN)
                    instanceof Value.Vector v
                ? v.samples().get(0).value()
                : -1);
  }

  @Test
  void scalarArithmeticAndClamps() {
    assertThat(scalar("2 * 3 + 4 % 3 / 2", 0)).isEqualTo(2 * 3 + (4 % 3) / 2.0);
    assertThat(scalar("-2 ^ 2", 0)).isEqualTo(-4);
    assertThat(scalar("1 > bool 2", 0)).isZero();
    assertThat(scalar("time()", 90_000)).isEqualTo(90);
    series(Labels.of("__name__", "v"), MIN, 7);
    assertThat(map("clamp_max(v, 5)", 0)).containsEntry(Labels.EMPTY, 5.0);
    assertThat(map("clamp_min(v, 9)", 0)).containsEntry(Labels.EMPTY, 9.0);
    assertThat(vector("clamp(v, 9, 5)", 0)).isEmpty();
  }
}
