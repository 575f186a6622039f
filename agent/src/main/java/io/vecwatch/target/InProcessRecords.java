package io.vecwatch.target;

import io.vecwatch.dataset.Dataset;
import io.vecwatch.dataset.Vectors;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Random;
import java.util.Set;

/**
 * Records of an in-process index: the base vectors it was built from, looked up by key. Keys are
 * the dataset's ({@link Dataset#keyOf}); a sorted copy maps keys to rows when the dataset names its
 * own ids.
 */
final class InProcessRecords implements RecordReader {
  private final Dataset dataset;
  private final Vectors base;
  private final long[] sortedKeys; // null when keys are the positions
  private final int[] rowOfSorted;

  InProcessRecords(Dataset dataset) {
    this.dataset = dataset;
    this.base = dataset.base().orElseThrow();
    if (!dataset.hasBaseIds()) {
      this.sortedKeys = null;
      this.rowOfSorted = null;
      return;
    }
    int n = base.count();
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Long.compare(dataset.keyOf(a), dataset.keyOf(b)));
    this.sortedKeys = new long[n];
    this.rowOfSorted = new int[n];
    for (int j = 0; j < n; j++) {
      sortedKeys[j] = dataset.keyOf(order[j]);
      rowOfSorted[j] = order[j];
    }
  }

  @Override
  public float[][] vectors(long[] keys) {
    float[][] out = new float[keys.length][];
    for (int i = 0; i < keys.length; i++) {
      int row = rowOf(keys[i]);
      out[i] = row < 0 ? null : base.row(row);
    }
    return out;
  }

  @Override
  public long[] sampleKeys(int n, Random random) {
    int count = base.count();
    int want = Math.min(n, count);
    Set<Integer> picked = new LinkedHashSet<>();
    // n is small next to count in practice; fall back to the first rows when it is not
    for (int tries = 0; picked.size() < want && tries < 20 * want; tries++) {
      picked.add(random.nextInt(count));
    }
    for (int i = 0; picked.size() < want; i++) {
      picked.add(i);
    }
    return picked.stream().mapToLong(dataset::keyOf).toArray();
  }

  private int rowOf(long key) {
    if (sortedKeys == null) {
      return key >= 0 && key < base.count() ? (int) key : -1;
    }
    int j = Arrays.binarySearch(sortedKeys, key);
    return j < 0 ? -1 : rowOfSorted[j];
  }
}
