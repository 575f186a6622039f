package io.vecwatch.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.vecwatch.stats.HealthSnapshot;
import io.vecwatch.stats.LatencyQuantiles;
import io.vecwatch.stats.ProbeSnapshot;
import io.vecwatch.stats.ProbeWindowStats;
import io.vecwatch.stats.RecallWindow;
import io.vecwatch.stats.TargetSnapshot;
import io.vecwatch.stats.TargetState;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class StatusPageStateTest {
  private static TargetSnapshot target(
      TargetState state, double p99, double errors, double recall10) {
    ProbeWindowStats w =
        new ProbeWindowStats(
            Duration.ofMinutes(1),
            Duration.ofMinutes(1),
            100,
            0,
            0,
            0,
            5.0,
            errors,
            0.0,
            new LatencyQuantiles(0.002, 0.004, p99, p99),
            List.of(new RecallWindow(10, recall10, 100, Double.NaN, 0)));
    ProbeSnapshot p = new ProbeSnapshot("t", "d", w, 100, 0, 0, 0, 0.2, 0.0);
    return new TargetSnapshot(
        "t",
        "flat",
        Map.of(),
        state,
        Optional.empty(),
        OptionalLong.empty(),
        new HealthSnapshot(state == TargetState.UP, 0, OptionalLong.of(1), List.of()),
        OptionalLong.empty(),
        OptionalLong.empty(),
        true,
        List.of(p));
  }

  @Test
  void upWhenEveryValueMeetsItsObjective() {
    StatusPage.State s =
        StatusPage.state(target(TargetState.UP, 0.05, 0.0, 0.99), Objectives.productionGuide());
    assertThat(s.label()).isEqualTo("up");
    assertThat(s.css()).isEqualTo("ok");
  }

  @Test
  void degradedNamesEveryMissedObjective() {
    StatusPage.State s =
        StatusPage.state(target(TargetState.UP, 0.25, 0.02, 0.90), Objectives.productionGuide());
    assertThat(s.label()).isEqualTo("degraded");
    assertThat(s.missed()).isEqualTo("P99, errors, recall@10");
    assertThat(s.why())
        .isEqualTo("P99 250.0 ms > 100.0 ms; errors 2.0 % > 0.10 %; recall@10 0.900 < 0.950");
  }

  @Test
  void downAndNotYetProbedComeFromTheHealthCheckAlone() {
    assertThat(
            StatusPage.state(
                    target(TargetState.DOWN, 0.25, 0.02, 0.9), Objectives.productionGuide())
                .label())
        .isEqualTo("down");
    assertThat(
            StatusPage.state(target(TargetState.UNKNOWN, 0.05, 0, 1), Objectives.productionGuide())
                .label())
        .isEqualTo("not yet probed");
  }
}
