package io.vecwatch.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ProbeObservationTest {

  @Test
  void recallRecordedAsArraysReadsAsAMapInKOrder() {
    ProbeObservation o =
        ProbeObservation.ok("t", "flat", "d", 100, 5, new int[] {10, 100}, new double[] {0.9, 0.8});
    assertThat(o.recall()).containsExactly(Map.entry(10, 0.9), Map.entry(100, 0.8));
    assertThat(o.recall().get(100)).isEqualTo(0.8);
    assertThat(o.recall().get(50)).isNull();
    assertThat(o.recall()).isEqualTo(new TreeMap<>(Map.of(100, 0.8, 10, 0.9)));
    assertThat(o)
        .isEqualTo(ProbeObservation.ok("t", "flat", "d", 100, 5, Map.of(100, 0.8, 10, 0.9)));
  }

  @Test
  void recallMapCannotBeChanged() {
    ProbeObservation o =
        ProbeObservation.ok("t", "flat", "d", 10, 5, new int[] {10}, new double[] {1.0});
    assertThatThrownBy(() -> o.recall().put(20, 0.5))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> o.recall().entrySet().iterator().next().setValue(0.0))
        .isInstanceOf(UnsupportedOperationException.class);
  }
}
