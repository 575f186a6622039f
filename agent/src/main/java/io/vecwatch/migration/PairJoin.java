package io.vecwatch.migration;

import io.vecwatch.target.SearchResult;

/**
 * Joins the results of the two sides by schedule slot. The first side's result waits in a bounded
 * ring (slot mod capacity); the second completes the pair and hands both to the sink. A waiting
 * half is dropped, and counted as unpaired, when a slot {@code capacity} later needs its place: by
 * then its partner failed, timed out or was skipped (capacity is sized above the number of slots
 * that can be in flight within one timeout). Thread-safe; the sink runs outside the lock, on the
 * thread that completed the pair.
 */
final class PairJoin {
  /** Receives each completed pair. */
  @FunctionalInterface
  interface Sink {
    void paired(
        int query,
        SearchResult source,
        long sourceLatencyNanos,
        SearchResult destination,
        long destinationLatencyNanos);
  }

  private final Sink sink;
  private final long[] slots;
  private final Half[] halves;
  private long unpaired; // guarded by this
  private long pairs; // guarded by this

  private record Half(boolean source, int query, SearchResult result, long latencyNanos) {}

  /**
   * @param capacity the most slots that may wait for their partner
   */
  PairJoin(int capacity, Sink sink) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be positive, got " + capacity);
    }
    this.sink = sink;
    this.slots = new long[capacity];
    this.halves = new Half[capacity];
  }

  /**
   * The ring size for a schedule of {@code rate} per second whose searches end within {@code
   * timeoutNanos}.
   */
  static int capacityFor(double rate, long timeoutNanos, int concurrency) {
    double inFlight = rate * timeoutNanos / 1e9;
    return (int) Math.min(1 << 16, Math.max(16, 2 * Math.ceil(inFlight) + 2L * concurrency + 8));
  }

  void offer(boolean source, long slot, int query, SearchResult result, long latencyNanos) {
    Half other;
    synchronized (this) {
      int i = (int) Math.floorMod(slot, (long) slots.length);
      Half h = halves[i];
      if (h != null && slots[i] == slot && h.source() != source) {
        halves[i] = null;
        pairs++;
        other = h;
      } else {
        if (h != null) {
          unpaired++;
        }
        slots[i] = slot;
        halves[i] = new Half(source, query, result, latencyNanos);
        return;
      }
    }
    if (source) {
      sink.paired(query, result, latencyNanos, other.result(), other.latencyNanos());
    } else {
      sink.paired(query, other.result(), other.latencyNanos(), result, latencyNanos);
    }
  }

  synchronized long pairs() {
    return pairs;
  }

  /** Results dropped because their partner never came. */
  synchronized long unpaired() {
    return unpaired;
  }
}
