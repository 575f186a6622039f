package io.vecwatch.promtext;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LabelsTest {
  @Test
  void sortsByNameAndDropsEmptyValues() {
    Labels l = Labels.of("b", "2", "a", "1", "c", "");
    assertThat(l.size()).isEqualTo(2);
    assertThat(l.nameAt(0)).isEqualTo("a");
    assertThat(l.get("c")).isEmpty();
    assertThat(l)
        .isEqualTo(Labels.of("a", "1", "b", "2"))
        .hasSameHashCodeAs(Labels.of("a", "1", "b", "2"));
  }

  @Test
  void printsLikePrometheus() {
    assertThat(Labels.of("__name__", "up", "job", "a\"b\\c\n"))
        .hasToString("{__name__=\"up\", job=\"a\\\"b\\\\c\\n\"}");
    assertThat(Labels.of("__name__", "up", "job", "x").toSeriesString()).isEqualTo("up{job=\"x\"}");
  }

  @Test
  void comparesPairwiseThenByLength() {
    List<Labels> sorted =
        new ArrayList<>(
            List.of(Labels.of("a", "2"), Labels.of("a", "1", "b", "1"), Labels.of("a", "1")));
    sorted.sort(null);
    assertThat(sorted)
        .containsExactly(Labels.of("a", "1"), Labels.of("a", "1", "b", "1"), Labels.of("a", "2"));
  }

  @Test
  void signatureIgnoresTheMetricNameUnlessListedWithOn() {
    Labels a = Labels.of("__name__", "x", "job", "j", "i", "1");
    Labels b = Labels.of("__name__", "y", "job", "j", "i", "1");
    assertThat(a.signature(false, Set.of())).isEqualTo(b.signature(false, Set.of()));
    assertThat(a.signature(false, Set.of("i")))
        .isEqualTo(Labels.of("job", "j").signature(false, Set.of()));
    assertThat(a.signature(true, Set.of("job")))
        .isEqualTo(Labels.of("job", "j", "z", "9").signature(true, Set.of("job")));
  }
}
