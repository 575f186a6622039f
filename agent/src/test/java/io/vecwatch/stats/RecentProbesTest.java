package io.vecwatch.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecentProbesTest {
  @Test
  void keepsFailuresAfterManyLaterSuccesses() {
    RecentProbes r = RecentProbes.create(3, 5);
    r.record(RecentProbes.Entry.failed(1, "timeout", 1_000_000_000L, "no answer within 1s"));
    for (int t = 2; t <= 100; t++) {
      r.record(RecentProbes.Entry.ok(t, 1_000_000, Map.of(10, 0.9)));
    }
    List<RecentProbes.Entry> s = r.snapshot();
    assertThat(s).hasSize(4);
    assertThat(s.get(3).error()).contains("no answer within 1s");
    assertThat(s.stream().filter(RecentProbes.Entry::ok).map(RecentProbes.Entry::wallMillis))
        .containsExactly(100L, 99L, 98L);
  }

  @Test
  void listsNewestFirstAcrossBothRings() {
    RecentProbes r = RecentProbes.create(2, 2);
    r.record(RecentProbes.Entry.ok(10, 1, Map.of()));
    r.record(RecentProbes.Entry.failed(20, "error", 1, "boom"));
    r.record(RecentProbes.Entry.ok(30, 1, Map.of()));
    assertThat(r.snapshot())
        .extracting(RecentProbes.Entry::wallMillis)
        .containsExactly(30L, 20L, 10L);
  }

  @Test
  void countsWhatItOverwrites() {
    RecentProbes r = RecentProbes.create(2, 1);
    for (int i = 0; i < 5; i++) {
      r.record(RecentProbes.Entry.ok(i, 1, Map.of()));
    }
    r.record(RecentProbes.Entry.failed(6, "error", 1, "a"));
    r.record(RecentProbes.Entry.failed(7, "error", 1, "b"));
    assertThat(r.overwritten()).isEqualTo(3 + 1);
    assertThat(r.snapshot()).hasSize(3);
  }

  @Test
  void snapshotIsACopy() {
    RecentProbes r = RecentProbes.create(2, 2);
    r.record(RecentProbes.Entry.ok(1, 1, Map.of()));
    List<RecentProbes.Entry> before = r.snapshot();
    r.record(RecentProbes.Entry.ok(2, 1, Map.of()));
    assertThat(before).hasSize(1);
    assertThatThrownBy(() -> before.add(null)).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void ringSizesMustBePositive() {
    assertThatThrownBy(() -> RecentProbes.create(0, 5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("ring sizes must be positive, got 0 and 5");
  }
}
