package io.vecwatch.serverside;

import io.vecwatch.resources.ScopeUsage;
import java.util.Map;
import java.util.Optional;

/**
 * The latest view of one database server, as published to meters. Immutable.
 *
 * @param up whether the last scrape succeeded
 * @param scrapeSeconds how long the last scrape took
 * @param requests served requests by function (monotonic across server restarts)
 * @param failures failed requests by function
 * @param searches server-side searches since the agent started watching (monotonic across server restarts)
 * @param searchSeconds their summed server-side latency
 * @param window server and client latency over the same window
 * @param database the server process's memory/CPU against its limits
 * @param systemInfo 1 when GetMetrics(system_info) answered, 0 when the server does not implement it or it
 *     failed, NaN when not asked
 */
public record ServerSnapshot(
    boolean up,
    double scrapeSeconds,
    Map<String, Double> requests,
    Map<String, Double> failures,
    double searches,
    double searchSeconds,
    WindowStats window,
    Optional<ScopeUsage> database,
    double systemInfo) {

  public ServerSnapshot {
    requests = Map.copyOf(requests);
    failures = Map.copyOf(failures);
  }

  static final ServerSnapshot EMPTY = new ServerSnapshot(false, Double.NaN, Map.of(), Map.of(), 0, 0,
      WindowStats.EMPTY, Optional.empty(), Double.NaN);
}
