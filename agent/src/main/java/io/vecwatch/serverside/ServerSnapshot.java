package io.vecwatch.serverside;

import io.vecwatch.resources.ScopeUsage;
import java.util.Map;
import java.util.Optional;

/**
 * The latest view of one database server, as published to meters. Immutable.
 *
 * @param up whether the last scrape succeeded
 * @param scrapeSeconds how long the last scrape took
 * @param served searches the server served to clients other than this agent: its successful
 *     searches minus the agent's own successful canaries, accumulated since the agent started
 *     watching (monotonic)
 * @param requests requests by function, all clients (monotonic across server restarts)
 * @param failures failed requests by function
 * @param searches server-side searches since the agent started watching (monotonic across server
 *     restarts)
 * @param searchSeconds their summed server-side latency
 * @param window server and client latency over the same window
 * @param database the server process's memory/CPU against its limits
 * @param systemInfo 1 when GetMetrics(system_info) answered, 0 when the server does not implement
 *     it or it failed, NaN when not asked
 */
public record ServerSnapshot(
    boolean up,
    double scrapeSeconds,
    double served,
    Map<String, Double> requests,
    Map<String, Double> failures,
    double searches,
    double searchSeconds,
    LatencyComparison window,
    Optional<ScopeUsage> database,
    double systemInfo) {

  public ServerSnapshot {
    requests = Map.copyOf(requests);
    failures = Map.copyOf(failures);
  }

  static final ServerSnapshot EMPTY =
      new ServerSnapshot(
          false,
          Double.NaN,
          0,
          Map.of(),
          Map.of(),
          0,
          0,
          LatencyComparison.EMPTY,
          Optional.empty(),
          Double.NaN);
}
