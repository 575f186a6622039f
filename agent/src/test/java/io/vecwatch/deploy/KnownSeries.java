package io.vecwatch.deploy;

import java.util.Set;

/**
 * Series that dashboards and rules may use although the agent's docs/metrics.md does not list them,
 * each with where it comes from. Keep this short: everything else must be exported by the agent.
 */
final class KnownSeries {
  private KnownSeries() {}

  /** Not produced by the agent at all. */
  static final Set<String> EXTERNAL =
      Set.of(
          // Prometheus' synthetic series for every scrape target (the agent's own scrape job).
          "up");

  /**
   * Agreed in the coordination brief for issue 6 and exported by code being written on other
   * branches (telemetry: resources and served traffic; rules: ALERTS and reload status). Their
   * owners add them to docs/metrics.md; the real-scrape check (MetricNamesExportedIT) is the final
   * word.
   */
  static final Set<String> AGREED_NOT_YET_DOCUMENTED =
      Set.of(
          // telemetry (io.vecwatch.resources, io.vecwatch.serverside, io.vecwatch.export)
          "vecwatch_resource_memory_usage_ratio",
          "vecwatch_resource_cpu_usage_ratio",
          "vecwatch_served_requests_total",
          "vecwatch_server_window_latency_seconds",
          "vecwatch_latency_gap_seconds",
          "vecwatch_export_queued",
          "vecwatch_export_dropped_total",
          "vecwatch_export_failed_total",
          // Milvus target (io.vecwatch.target.milvus.MilvusTarget)
          "vecwatch_milvus_index_pending_rows",
          "vecwatch_milvus_index_indexed_rows",
          "vecwatch_milvus_index_total_rows",
          "vecwatch_milvus_load_progress_ratio",
          "vecwatch_milvus_connection_state",
          // rules engine and notifier (io.vecwatch.rules, io.vecwatch.notify)
          "ALERTS",
          "ALERTS_FOR_STATE",
          "vecwatch_rules_last_reload_successful",
          "vecwatch_notifications_queue_length",
          "vecwatch_notifications_queue_capacity",
          "vecwatch_notifications_sent_total",
          "vecwatch_notifications_errors_total",
          "vecwatch_notifications_dropped_total");
}
