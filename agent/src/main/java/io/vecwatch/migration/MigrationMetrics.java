package io.vecwatch.migration;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vecwatch.config.MigrationConfig;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The migration series (names and labels as in docs/metrics.md). Gauges read the reports of the
 * last {@link Migrations#refresh}; every series exists from the start (NaN until known), so
 * dashboards and rules see them while the migration warms up.
 */
public final class MigrationMetrics {
  private static final List<Double> QUANTILES = List.of(0.5, 0.95, 0.99);

  private MigrationMetrics() {}

  public static void bind(MeterRegistry registry, Migrations migrations) {
    for (MigrationMonitor m : migrations.monitors()) {
      bind(registry, migrations, m);
    }
  }

  /**
   * After a reload: the series of removed and changed migrations go, those of changed and added
   * ones are registered on their new monitors (a counter holds its monitor weakly, so a rebuilt
   * monitor needs its own); kept ones keep theirs.
   */
  public static void apply(MeterRegistry registry, Migrations migrations, Migrations.Change c) {
    c.removed().forEach(n -> unbind(registry, n));
    c.changed().forEach(n -> unbind(registry, n));
    for (MigrationMonitor m : migrations.monitors()) {
      String n = m.config().name();
      if (c.changed().contains(n) || c.added().contains(n)) {
        bind(registry, migrations, m);
      }
    }
  }

  /** Removes every series of migration {@code name}. */
  static void unbind(MeterRegistry registry, String name) {
    List<Meter> mine =
        registry.getMeters().stream()
            .filter(
                m ->
                    m.getId().getName().startsWith("vecwatch.migration.")
                        && name.equals(m.getId().getTag("migration")))
            .toList();
    mine.forEach(registry::remove);
  }

  private static void bind(MeterRegistry registry, Migrations migrations, MigrationMonitor m) {
    MigrationConfig c = m.config();
    String name = c.name();
    for (int k : c.overlapK()) {
      gauge(
          registry,
          migrations,
          "vecwatch.migration.result.overlap.ratio",
          "Mean overlap@k of the destination's and the source's answers to the same queries over the window",
          name,
          List.of("k", Integer.toString(k)),
          r -> r.snapshot().overlapAt(k));
    }
    FunctionCounter.builder("vecwatch.migration.pairs", m, MigrationMonitor::pairsTotal)
        .description("Paired queries both sides answered in time")
        .tags("migration", name)
        .register(registry);
    gauge(
        registry,
        migrations,
        "vecwatch.migration.entity.count.difference",
        "Entity count of the destination minus the source's, read at the same moment",
        name,
        List.of(),
        r -> r.snapshot().counts().difference());
    gauge(
        registry,
        migrations,
        "vecwatch.migration.missing.records.ratio",
        "Sampled source records the destination does not hold, over the last sampled records",
        name,
        List.of(),
        r -> r.snapshot().records().missingRatio());
    gauge(
        registry,
        migrations,
        "vecwatch.migration.mismatched.records.ratio",
        "Sampled records whose vectors differ between the sides beyond the tolerance",
        name,
        List.of(),
        r -> r.snapshot().records().mismatchedRatio());
    for (double q : QUANTILES) {
      gauge(
          registry,
          migrations,
          "vecwatch.migration.latency.ratio",
          "Destination latency quantile divided by the source's, over the window's paired queries",
          name,
          List.of("quantile", Double.toString(q)),
          r -> ratio(r.snapshot().latencyRatio(), q));
    }
    for (String check : ReleaseGate.CHECKS) {
      gauge(
          registry,
          migrations,
          "vecwatch.migration.gate.passing",
          "1 when the release gate check passes, 0 when it fails or lacks data",
          name,
          List.of("check", check),
          r ->
              r.gate().checks().stream()
                      .anyMatch(
                          x -> x.name().equals(check) && x.verdict() == ReleaseGate.Verdict.PASS)
                  ? 1
                  : 0);
    }
    gauge(
        registry,
        migrations,
        "vecwatch.migration.gate.passing",
        "1 when the release gate check passes, 0 when it fails or lacks data",
        name,
        List.of("check", ReleaseGate.OVERALL),
        r -> r.gate().verdict() == ReleaseGate.Verdict.PASS ? 1 : 0);
  }

  private static double ratio(MigrationSnapshot.LatencyRatio r, double q) {
    return q == 0.5 ? r.p50() : q == 0.95 ? r.p95() : r.p99();
  }

  private static void gauge(
      MeterRegistry registry,
      Migrations migrations,
      String metric,
      String help,
      String migration,
      List<String> extraTags,
      ToDoubleFunction<Migrations.MigrationReport> value) {
    Gauge.Builder<?> b =
        Gauge.builder(
                metric,
                () -> migrations.report(migration).map(value::applyAsDouble).orElse(Double.NaN))
            .description(help)
            .tag("migration", migration);
    for (int i = 0; i + 1 < extraTags.size(); i += 2) {
      b = b.tag(extraTags.get(i), extraTags.get(i + 1));
    }
    b.register(registry);
  }
}
