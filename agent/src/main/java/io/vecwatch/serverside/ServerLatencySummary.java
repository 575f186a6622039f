package io.vecwatch.serverside;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Quantiles;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Exports {@code vecwatch_server_window_latency_seconds} as a Prometheus summary, the same shape as
 * the agent's {@code vecwatch_probe_window_latency_seconds}: the window's quantiles under {@code
 * quantile}, the server's searches and their summed latency since the agent started watching as
 * {@code _count} and {@code _sum}. A summary because only summaries may carry a {@code quantile}
 * label ({@code promtool check metrics}).
 */
final class ServerLatencySummary implements MultiCollector {
  static final String NAME = "vecwatch_server_window_latency_seconds";

  private final List<ServerMetricsScraper> scrapers = new CopyOnWriteArrayList<>();

  void add(ServerMetricsScraper s) {
    scrapers.add(s);
  }

  @Override
  public MetricSnapshots collect() {
    SummarySnapshot.Builder b =
        SummarySnapshot.builder()
            .name(NAME)
            .help(
                "Server-side search latency quantiles over the window (from the database's own histogram); "
                    + "_count and _sum cover the server's searches since the agent started watching");
    for (ServerMetricsScraper s : scrapers) {
      ServerSnapshot snap = s.latest();
      LatencyComparison w = snap.window();
      b.dataPoint(
          SummarySnapshot.SummaryDataPointSnapshot.builder()
              .labels(Labels.of("target", s.target()))
              .quantiles(
                  Quantiles.builder()
                      .quantile(0.5, w.serverP50())
                      .quantile(0.95, w.serverP95())
                      .quantile(0.99, w.serverP99())
                      .build())
              .count((long) snap.searches())
              .sum(snap.searchSeconds())
              .build());
    }
    return MetricSnapshots.of(b.build());
  }
}
