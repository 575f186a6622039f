package io.vecwatch.metrics;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Quantiles;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import io.vecwatch.stats.LatencyQuantiles;
import io.vecwatch.stats.ProbeSnapshot;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Exports {@code vecwatch_probe_window_latency_seconds} as a Prometheus <em>summary</em>: the
 * sliding-window quantiles under label {@code quantile}, with the lifetime count and sum of
 * successful latencies as {@code _count} and {@code _sum} (the same shape client libraries give a
 * summary: windowed quantiles, cumulative count/sum). It is a summary rather than a gauge because
 * only summaries may carry a {@code quantile} label ({@code promtool check metrics} rejects it
 * elsewhere). Values come from the {@link SnapshotCache}.
 */
final class WindowLatencyCollector implements MultiCollector {
  static final String NAME = "vecwatch_probe_window_latency_seconds";

  private record Series(String target, String dataset, Labels labels) {}

  private final SnapshotCache cache;
  private final List<Series> series = new CopyOnWriteArrayList<>();

  WindowLatencyCollector(SnapshotCache cache) {
    this.cache = cache;
  }

  void add(String target, String dataset, Labels labels) {
    series.add(new Series(target, dataset, labels));
  }

  void remove(String target) {
    series.removeIf(s -> s.target().equals(target));
  }

  @Override
  public MetricSnapshots collect() {
    SummarySnapshot.Builder b =
        SummarySnapshot.builder()
            .name(NAME)
            .help(
                "Latency quantiles of successful canary searches over the sliding window, from the intended start "
                    + "time; _count and _sum cover all successful searches since start");
    for (Series s : series) {
      ProbeSnapshot p = cache.probe(s.target(), s.dataset()).orElse(null);
      LatencyQuantiles q = p == null ? LatencyQuantiles.NONE : p.window().latency();
      Quantiles.Builder qb = Quantiles.builder();
      for (double quantile : LatencyQuantiles.QUANTILES) {
        qb.quantile(quantile, q.at(quantile));
      }
      b.dataPoint(
          SummarySnapshot.SummaryDataPointSnapshot.builder()
              .labels(s.labels())
              .quantiles(qb.build())
              .count(p == null ? 0 : p.okTotal())
              .sum(p == null ? 0.0 : p.okLatencySecondsTotal())
              .build());
    }
    return MetricSnapshots.of(b.build());
  }
}
