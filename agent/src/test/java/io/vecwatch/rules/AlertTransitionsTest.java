package io.vecwatch.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.vecwatch.promtext.Labels;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** State changes derived tick by tick from the alerts of a real rule group, stepped by hand. */
class AlertTransitionsTest {
  private static final long S = 1000;
  private static final Labels LAT = Labels.of("__name__", "lat", "target", "milvus");

  private final List<String> changes = new ArrayList<>();
  private final AlertTransitions.Tracker tracker = new AlertTransitions.Tracker();

  private void tick(RuleFixture f, long t, double value) {
    f.set(LAT, t, value);
    f.eval(t);
    tracker.observe(
        List.of(f.group),
        (name, labels, from, to) ->
            changes.add(name + " " + labels.get("target") + " " + from + "->" + to));
  }

  @Test
  void reportsPendingFiringAndResolvedOnceEach() {
    RuleFixture f =
        new RuleFixture(
            RuleFixture.alertRule("High", "lat > 0.1", "30s", ""),
            Duration.ofSeconds(15),
            Duration.ofMinutes(1));
    tick(f, 0, 0.5); // pending
    tick(f, 15 * S, 0.5); // still pending: nothing
    tick(f, 30 * S, 0.5); // firing
    tick(f, 45 * S, 0.5); // still firing: nothing
    tick(f, 60 * S, 0.05); // resolved
    tick(f, 75 * S, 0.05); // kept as resolved: nothing

    assertThat(changes)
        .containsExactly(
            "High milvus inactive->pending",
            "High milvus pending->firing",
            "High milvus firing->inactive");
  }

  @Test
  void aDeletedPendingAlertIsAChangeToInactive() {
    RuleFixture f =
        new RuleFixture(
            RuleFixture.alertRule("High", "lat > 0.1", "1m", ""),
            Duration.ofSeconds(15),
            Duration.ofMinutes(1));
    tick(f, 0, 0.5);
    tick(f, 15 * S, 0.05); // Prometheus deletes a pending alert whose condition stops

    assertThat(f.alerts()).isEmpty();
    assertThat(changes)
        .containsExactly("High milvus inactive->pending", "High milvus pending->inactive");
  }
}
