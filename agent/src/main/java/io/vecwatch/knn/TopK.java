package io.vecwatch.knn;

/**
 * A bounded max-heap of (key, position) pairs that keeps the {@code capacity} smallest keys seen, without
 * boxing. Order is lexicographic: a smaller key wins, and among equal keys the lower position wins, so the
 * result does not depend on the order candidates arrive in (threads, blocks).
 */
final class TopK {
  private final float[] keys;
  private final int[] positions;
  private int size;

  TopK(int capacity) {
    this.keys = new float[capacity];
    this.positions = new int[capacity];
  }

  /** Offers below or equal to this key may enter; {@code +Infinity} while the heap is not full. */
  float threshold() {
    return size < keys.length ? Float.POSITIVE_INFINITY : keys[0];
  }

  int size() {
    return size;
  }

  boolean full() {
    return size == keys.length;
  }

  /** The largest key held (the root); meaningful once something was offered. */
  float worstKey() {
    return keys[0];
  }

  int position(int i) {
    return positions[i];
  }

  void offer(float key, int position) {
    if (size < keys.length) {
      int i = size++;
      // sift up
      while (i > 0) {
        int parent = (i - 1) >>> 1;
        if (!worse(key, position, keys[parent], positions[parent])) {
          break;
        }
        keys[i] = keys[parent];
        positions[i] = positions[parent];
        i = parent;
      }
      keys[i] = key;
      positions[i] = position;
    } else if (worse(keys[0], positions[0], key, position)) {
      siftDownFromRoot(key, position);
    }
  }

  private void siftDownFromRoot(float key, int position) {
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
