package io.vecwatch.serverside;

import java.util.Map;
import java.util.OptionalDouble;

/**
 * What one scrape of a database's metrics endpoint says, in the database's own terms, already
 * summed over nodes. Immutable.
 *
 * @param requests cumulative requests by function (e.g. {@code Search}), all statuses
 * @param failures cumulative failed requests by function
 * @param searchSuccesses cumulative successful searches ({@code Search} and {@code HybridSearch}),
 *     NaN when the page has none yet
 * @param searchLatencyMs cumulative search latency histogram, milliseconds
 * @param searchLatencySumMs cumulative sum of search latencies, milliseconds (NaN when absent)
 * @param cpuSeconds the server process's cumulative CPU time
 * @param residentBytes the server process's resident memory
 */
public record ServerScrape(
    Map<String, Double> requests,
    Map<String, Double> failures,
    double searchSuccesses,
    Buckets searchLatencyMs,
    double searchLatencySumMs,
    OptionalDouble cpuSeconds,
    OptionalDouble residentBytes) {

  public ServerScrape {
    requests = Map.copyOf(requests);
    failures = Map.copyOf(failures);
  }
}
