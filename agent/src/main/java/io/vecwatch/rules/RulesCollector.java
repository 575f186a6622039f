package io.vecwatch.rules;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Exposes the rule engine on {@code /metrics} as Prometheus does: {@code ALERTS{alertname,
 * alertstate, ...}} and {@code ALERTS_FOR_STATE{alertname, ...}} (ActiveAt, unix seconds) for every
 * pending or firing alert, plus per group evaluation figures. Register it on the agent's Prometheus
 * registry: {@code prometheusMeterRegistry.getPrometheusRegistry().register(new
 * RulesCollector(engine))}.
 */
public final class RulesCollector implements MultiCollector {
  private final RuleEngine engine;
  private final Supplier<List<String>> targets;

  /** Without targets: no capacity series. */
  public RulesCollector(RuleEngine engine) {
    this(engine, List.of());
  }

  /**
   * @param targets the configured target names; each gets {@code
   *     vecwatch_target_capacity_requests_per_second} (NaN when no capacity is configured for it,
   *     so the load rule stays silent)
   */
  public RulesCollector(RuleEngine engine, List<String> targets) {
    this(engine, () -> targets);
  }

  /** With the target names read at each collection (a reload adds and removes targets). */
  public RulesCollector(RuleEngine engine, Supplier<List<String>> targets) {
    this.engine = engine;
    this.targets = targets;
  }

  @Override
  public MetricSnapshots collect() {
    GaugeSnapshot.Builder alerts =
        GaugeSnapshot.builder()
            .name("ALERTS")
            .help("Pending and firing alerts of the agent's rule engine");
    GaugeSnapshot.Builder forState =
        GaugeSnapshot.builder()
            .name("ALERTS_FOR_STATE")
            .help("ActiveAt of pending and firing alerts, unix seconds");
    GaugeSnapshot.Builder lastEval =
        GaugeSnapshot.builder()
            .name("vecwatch_rule_group_last_evaluation_timestamp_seconds")
            .help("When the group was last evaluated");
    GaugeSnapshot.Builder lastDuration =
        GaugeSnapshot.builder()
            .name("vecwatch_rule_group_last_duration_seconds")
            .help("How long the group's last evaluation took");
    GaugeSnapshot.Builder interval =
        GaugeSnapshot.builder()
            .name("vecwatch_rule_group_interval_seconds")
            .help("The group's evaluation interval");
    GaugeSnapshot.Builder rules =
        GaugeSnapshot.builder().name("vecwatch_rule_group_rules").help("Rules in the group");
    CounterSnapshot.Builder evals =
        CounterSnapshot.builder().name("vecwatch_rule_evaluations").help("Rule evaluations");
    CounterSnapshot.Builder fails =
        CounterSnapshot.builder()
            .name("vecwatch_rule_evaluation_failures")
            .help("Rule evaluations that failed");
    Set<io.vecwatch.promtext.Labels> seen = new HashSet<>();
    for (RuleGroup g : engine.groups()) {
      Labels gl = Labels.of("rule_group", g.spec().file() + ";" + g.name());
      if (g.lastEvaluation() != AlertSnapshot.NONE) {
        lastEval.dataPoint(
            GaugeSnapshot.GaugeDataPointSnapshot.builder()
                .labels(gl)
                .value(g.lastEvaluation() / 1e3)
                .build());
      }
      lastDuration.dataPoint(
          GaugeSnapshot.GaugeDataPointSnapshot.builder()
              .labels(gl)
              .value(g.evaluationSeconds())
              .build());
      interval.dataPoint(
          GaugeSnapshot.GaugeDataPointSnapshot.builder()
              .labels(gl)
              .value(g.interval().toMillis() / 1e3)
              .build());
      rules.dataPoint(
          GaugeSnapshot.GaugeDataPointSnapshot.builder()
              .labels(gl)
              .value(g.rules().size())
              .build());
      evals.dataPoint(
          CounterSnapshot.CounterDataPointSnapshot.builder()
              .labels(gl)
              .value(g.evaluations())
              .build());
      fails.dataPoint(
          CounterSnapshot.CounterDataPointSnapshot.builder()
              .labels(gl)
              .value(g.failures())
              .build());
      for (Rule r : g.rules()) {
        if (!(r instanceof AlertingRule ar)) {
          continue;
        }
        for (AlertSnapshot a : ar.alerts()) {
          if (!a.isActive()) {
            continue;
          }
          Map<String, String> base = new TreeMap<>();
          r.spec().labels().forEach((k, v) -> base.put(k, v.text()));
          base.putAll(a.labels().toMap());
          base.put("alertname", r.name());
          Map<String, String> withState = new TreeMap<>(base);
          withState.put("alertstate", a.state().toString());
          // Two rules of the same name could yield the same series; keep the first, as a scrape
          // would fail.
          if (seen.add(io.vecwatch.promtext.Labels.fromMap(withState))) {
            alerts.dataPoint(
                GaugeSnapshot.GaugeDataPointSnapshot.builder()
                    .labels(labels(withState))
                    .value(1)
                    .build());
            forState.dataPoint(
                GaugeSnapshot.GaugeDataPointSnapshot.builder()
                    .labels(labels(base))
                    .value(Math.floorDiv(a.activeAt(), 1000L))
                    .build());
          }
        }
      }
    }
    GaugeSnapshot.Builder capacity =
        GaugeSnapshot.builder()
            .name("vecwatch_target_capacity_requests_per_second")
            .help(
                "Requests per second the target sustained in its last capacity benchmark (config "
                    + "capacity_requests_per_second); NaN when not configured");
    Map<String, Double> configured = engine.config().capacity();
    for (String t : targets.get()) {
      capacity.dataPoint(
          GaugeSnapshot.GaugeDataPointSnapshot.builder()
              .labels(Labels.of("target", t))
              .value(configured.getOrDefault(t, Double.NaN))
              .build());
    }
    return MetricSnapshots.of(
        alerts.build(),
        forState.build(),
        lastEval.build(),
        lastDuration.build(),
        interval.build(),
        rules.build(),
        evals.build(),
        fails.build(),
        capacity.build());
  }

  private static Labels labels(Map<String, String> m) {
    Labels.Builder b = Labels.builder();
    m.forEach(b::label);
    return b.build();
  }
}
