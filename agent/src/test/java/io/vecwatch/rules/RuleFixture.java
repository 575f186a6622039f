package io.vecwatch.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.vecwatch.notify.AlertSender;
import io.vecwatch.notify.PostableAlert;
import io.vecwatch.promtext.Labels;
import io.vecwatch.rules.history.SeriesStore;
import io.vecwatch.rules.promql.Evaluator;
import io.vecwatch.time.ManualClock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One rule group over a hand-fed history, evaluated at explicit times; alerts sent are captured.
 */
final class RuleFixture {
  final SeriesStore store = SeriesStore.unbounded();
  final List<List<PostableAlert>> sent = new ArrayList<>();
  final RuleGroup group;
  final EvalContext ctx;
  final ManualClock clock = new ManualClock();

  RuleFixture(String yaml, Duration interval, Duration resendDelay) {
    RuleFileParser.Result r = RuleFileParser.parse(Path.of("test.yml"), yaml);
    assertThat(r.problems()).isEmpty();
    group = RuleGroup.create(r.groups().get(0), interval, store);
    AlertSender sender = sent::add;
    ctx =
        new EvalContext(
            new Evaluator(store, Evaluator.DEFAULT_LOOKBACK_MS),
            Map.of("cluster", "c1"),
            "http://agent:9477",
            resendDelay,
            sender);
  }

  static String alertRule(String name, String expr, String forDuration, String extra) {
    return """
        groups:
          - name: g
            rules:
              - alert: %s
                expr: %s
                for: %s
        %s"""
        .formatted(name, expr, forDuration, extra.indent(8));
  }

  void set(Labels l, long t, double v) {
    store.append(l, t, v);
  }

  void eval(long t) {
    group.eval(t, ctx, clock);
  }

  AlertingRule alerting() {
    return (AlertingRule) group.rules().get(0);
  }

  List<AlertSnapshot> alerts() {
    return alerting().alerts();
  }

  AlertSnapshot only() {
    assertThat(alerts()).hasSize(1);
    return alerts().get(0);
  }

  List<PostableAlert> lastSent() {
    return sent.isEmpty() ? List.of() : sent.get(sent.size() - 1);
  }
}
