package io.vecwatch.migration;

/**
 * Outcomes of the last {@code capacity} sampled records (a fixed ring: memory does not grow with
 * time or rate): each either equal on both sides, missing on the destination, or present with a
 * vector that differs from the source's by more than the tolerance in some component. Thread-safe.
 */
final class RecordParity {
  static final byte EQUAL = 0;
  static final byte MISSING = 1;
  static final byte MISMATCHED = 2;

  private final byte[] ring;
  private final double tolerance;
  private int next; // guarded by this
  private int size; // guarded by this
  private int missing; // guarded by this
  private int mismatched; // guarded by this
  private long sampledTotal; // guarded by this

  /** Counts over the ring; ratios are NaN while nothing was sampled. */
  record Reading(
      long sampled,
      long missing,
      long mismatched,
      double missingRatio,
      double mismatchedRatio,
      long sampledTotal) {}

  RecordParity(int capacity, double tolerance) {
    this.ring = new byte[capacity];
    this.tolerance = tolerance;
  }

  /**
   * Compares one round: {@code source[i]} and {@code destination[i]} are the vectors both sides
   * hold under the same key (null when a side holds none). Keys the source no longer holds are not
   * counted.
   */
  void compare(float[][] source, float[][] destination) {
    for (int i = 0; i < source.length; i++) {
      if (source[i] == null) {
        continue;
      }
      add(
          destination[i] == null
              ? MISSING
              : differs(source[i], destination[i]) ? MISMATCHED : EQUAL);
    }
  }

  /** Whether any component differs by more than the tolerance (or the dimensions differ). */
  boolean differs(float[] a, float[] b) {
    if (a.length != b.length) {
      return true;
    }
    for (int i = 0; i < a.length; i++) {
      if (!(Math.abs(a[i] - b[i]) <= tolerance)) {
        return true;
      }
    }
    return false;
  }

  synchronized void add(byte outcome) {
    if (size == ring.length) {
      forget(ring[next]);
    } else {
      size++;
    }
    ring[next] = outcome;
    if (outcome == MISSING) {
      missing++;
    } else if (outcome == MISMATCHED) {
      mismatched++;
    }
    next = (next + 1) % ring.length;
    sampledTotal++;
  }

  private void forget(byte outcome) {
    if (outcome == MISSING) {
      missing--;
    } else if (outcome == MISMATCHED) {
      mismatched--;
    }
  }

  synchronized Reading read() {
    return new Reading(
        size,
        missing,
        mismatched,
        size == 0 ? Double.NaN : (double) missing / size,
        size == 0 ? Double.NaN : (double) mismatched / size,
        sampledTotal);
  }
}
