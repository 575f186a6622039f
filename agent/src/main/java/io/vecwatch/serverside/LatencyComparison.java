package io.vecwatch.serverside;

/**
 * Search latency of one target over one window, seen from the server (its histogram's increase) and
 * from the agent (its successful probe searches in the same intervals). Seconds; NaN where there is
 * nothing to say (fewer than two scrapes, no searches in the window).
 *
 * @param seconds the span actually covered (at least the configured window once enough scrapes
 *     exist)
 * @param serverRate searches per second the server recorded (all clients, canaries included)
 * @param serverMean exact mean from the histogram's sum and count
 * @param clientCount the agent's successful searches in the window
 */
public record LatencyComparison(
    double seconds,
    double serverRate,
    double serverP50,
    double serverP95,
    double serverP99,
    double serverMean,
    long clientCount,
    double clientP50,
    double clientP95,
    double clientP99,
    double clientMean) {

  static final LatencyComparison EMPTY =
      new LatencyComparison(
          0,
          Double.NaN,
          Double.NaN,
          Double.NaN,
          Double.NaN,
          Double.NaN,
          0,
          Double.NaN,
          Double.NaN,
          Double.NaN,
          Double.NaN);

  /** Client minus server P99: time the agent waited that the server's own timer did not see. */
  public double gapP99() {
    return clientP99 - serverP99;
  }

  public double gapP50() {
    return clientP50 - serverP50;
  }

  public double gapMean() {
    return clientMean - serverMean;
  }
}
