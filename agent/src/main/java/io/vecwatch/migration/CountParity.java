package io.vecwatch.migration;

/**
 * Entity counts of both sides read at the same moment, the last {@code capacity} readings kept. The
 * difference is destination − source of the latest reading; growth rates are the change per second
 * of each side between the oldest reading inside the window and the latest. Thread-safe.
 */
final class CountParity {
  private final long windowNanos;
  private final long[] at;
  private final long[] source;
  private final long[] destination;
  private int next; // guarded by this
  private int size; // guarded by this

  /**
   * Counts and growth over the window; {@code samples} 0 means nothing is known yet (all values
   * NaN).
   */
  record Reading(
      long samples,
      double source,
      double destination,
      double difference,
      double sourceGrowthPerSecond,
      double destinationGrowthPerSecond) {}

  CountParity(long windowNanos, int capacity) {
    this.windowNanos = windowNanos;
    this.at = new long[capacity];
    this.source = new long[capacity];
    this.destination = new long[capacity];
  }

  /**
   * The readings needed to cover {@code window} at one per {@code interval}, plus the one just
   * before.
   */
  static int capacityFor(long windowNanos, long intervalNanos) {
    return (int) Math.min(100_000, Math.max(2, windowNanos / Math.max(1, intervalNanos) + 2));
  }

  synchronized void record(long atNanos, long sourceCount, long destinationCount) {
    at[next] = atNanos;
    source[next] = sourceCount;
    destination[next] = destinationCount;
    next = (next + 1) % at.length;
    size = Math.min(size + 1, at.length);
  }

  synchronized Reading read(long nowNanos) {
    if (size == 0) {
      return new Reading(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }
    int last = Math.floorMod(next - 1, at.length);
    int first = last;
    long samples = 1;
    for (int i = 1; i < size; i++) {
      int j = Math.floorMod(last - i, at.length);
      if (at[j] < nowNanos - windowNanos) {
        break;
      }
      first = j;
      samples++;
    }
    double seconds = (at[last] - at[first]) / 1e9;
    double sourceGrowth = seconds > 0 ? (source[last] - source[first]) / seconds : Double.NaN;
    double destinationGrowth =
        seconds > 0 ? (destination[last] - destination[first]) / seconds : Double.NaN;
    return new Reading(
        samples,
        source[last],
        destination[last],
        destination[last] - source[last],
        sourceGrowth,
        destinationGrowth);
  }
}
