package io.vecwatch.knn;

import java.util.Arrays;

/**
 * A bounded max-heap of (key, position) pairs that keeps the {@code capacity} smallest keys seen,
 * without boxing. Order is lexicographic: a smaller key wins, and among equal keys the lower
 * position wins, so the result does not depend on the order candidates arrive in (threads, blocks).
 *
 * <p>The heap starts full of sentinels (+Infinity, {@link #NONE}) that every real candidate beats,
 * so there is one code path (replace the root) instead of a separate fill phase: a fill branch that
 * the JIT saw only at the start would trap and recompile the whole kernel each time a new query
 * unit starts with empty heaps.
 */
final class TopK {
  /** Position of a sentinel entry. */
  static final int NONE = Integer.MAX_VALUE;

  private final float[] keys;
  private final int[] positions;
  private int real;

  TopK(int capacity) {
    this.keys = new float[capacity];
    this.positions = new int[capacity];
    Arrays.fill(keys, Float.POSITIVE_INFINITY);
    Arrays.fill(positions, NONE);
  }

  /** Offers at or below this key may enter; {@code +Infinity} while sentinels remain. */
  float threshold() {
    return keys[0];
  }

  int capacity() {
    return keys.length;
  }

  /** Whether every entry is a real candidate. */
  boolean full() {
    return real == keys.length;
  }

  /** Position of entry {@code i} (heap order), or {@link #NONE} for a sentinel. */
  int position(int i) {
    return positions[i];
  }

  /** The largest key held (the root). */
  float worstKey() {
    return keys[0];
  }

  void offer(float key, int position) {
    if (worse(keys[0], positions[0], key, position)) {
      if (positions[0] == NONE) {
        real++;
      }
      siftDownFromRoot(key, position);
    }
  }

  private void siftDownFromRoot(float key, int position) {
    int size = keys.length;
    int i = 0;
    int half = size >>> 1;
    while (i < half) {
      int child = 2 * i + 1;
      int right = child + 1;
      if (right < size && worse(keys[right], positions[right], keys[child], positions[child])) {
        child = right;
      }
      if (!worse(keys[child], positions[child], key, position)) {
        break;
      }
      keys[i] = keys[child];
      positions[i] = positions[child];
      i = child;
    }
    keys[i] = key;
    positions[i] = position;
  }

  /** Whether (ka, pa) ranks after (kb, pb). */
  private static boolean worse(float ka, int pa, float kb, int pb) {
    return ka > kb || (ka == kb && pa > pb);
  }
}
