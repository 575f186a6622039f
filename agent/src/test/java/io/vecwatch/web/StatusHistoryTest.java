package io.vecwatch.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StatusHistoryTest {
  private static final long STEP = StatusHistory.STEP.toMillis();

  @Test
  void keepsThirtyMinutesAtMost() {
    StatusHistory h = new StatusHistory(1);
    for (int i = 0; i < StatusHistory.SLOTS * 3; i++) {
      h.observe("a", i * STEP, "up", i, 1.0);
    }
    StatusHistory.Series s = h.series("a");
    assertThat(s.p99()).hasSize(StatusHistory.SLOTS);
    assertThat(s.p99()[StatusHistory.SLOTS - 1]).isEqualTo(StatusHistory.SLOTS * 3 - 1);
    assertThat(s.p99()[0]).isEqualTo(StatusHistory.SLOTS * 2);
  }

  @Test
  void samplesAtMostOncePerStepButTracksStateEveryTime() {
    StatusHistory h = new StatusHistory(1);
    h.observe("a", 0, "up", 1, 1);
    h.observe("a", 1000, "down", 2, 1);
    h.observe("a", 2000, "down", 3, 1);
    StatusHistory.Series s = h.series("a");
    assertThat(s.p99()).containsExactly(1);
    assertThat(s.state()).isEqualTo("down");
    assertThat(s.stateSinceMillis()).isEqualTo(1000);
  }

  @Test
  void aPauseLeavesGapsSoTheTimeAxisStaysTrue() {
    StatusHistory h = new StatusHistory(1);
    h.observe("a", 0, "up", 1, 1);
    h.observe("a", 3 * STEP, "up", 2, 1);
    assertThat(h.series("a").p99()).containsExactly(1, Double.NaN, Double.NaN, 2);
  }

  @Test
  void remembersNoMoreTargetsThanConfigured() {
    StatusHistory h = new StatusHistory(1);
    h.observe("a", 0, "up", 1, 1);
    h.observe("b", 0, "up", 1, 1);
    assertThat(h.series("b")).isNull();
  }
}
