package io.vecwatch.testing;

import io.vecwatch.dataset.Dataset;
import io.vecwatch.dataset.Vectors;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

/**
 * Test fixture support for migration checks: a copy of a dataset as a destination store would hold
 * it after a faulty move, with an exact, known set of records perturbed (every component shifted)
 * and another, disjoint set left out. Keys stay the source's keys ({@link Dataset#keyOf}), so both
 * sides can be compared record by record. The copy's ground truth is recomputed over its own rows
 * by {@link TestDatasets#nearest}.
 */
public final class DatasetCopies {
  private DatasetCopies() {}

  /** The copy and which source keys were changed. */
  public record Modified(
      Dataset dataset,
      Set<Long> perturbedKeys,
      Set<Long> missingKeys,
      float[][] rows,
      long[] keys) {}

  /**
   * @param perturbed fraction of records whose vector is shifted by {@code shift} in every
   *     component
   * @param missing fraction of records left out (disjoint from the perturbed ones)
   */
  public static Modified modified(
      Dataset source, String name, double perturbed, double missing, float shift, long seed) {
    int n = source.base().orElseThrow().count();
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      order.add(i);
    }
    Collections.shuffle(order, new Random(seed));
    int nPerturbed = (int) Math.round(perturbed * n);
    int nMissing = (int) Math.round(missing * n);
    Set<Integer> perturbedRows = new TreeSet<>(order.subList(0, nPerturbed));
    Set<Integer> missingRows = new TreeSet<>(order.subList(nPerturbed, nPerturbed + nMissing));
    Vectors base = source.base().orElseThrow();
    float[][] rows = new float[n - nMissing][];
    long[] keys = new long[n - nMissing];
    Set<Long> perturbedKeys = new TreeSet<>();
    Set<Long> missingKeys = new TreeSet<>();
    int j = 0;
    for (int i = 0; i < n; i++) {
      long key = source.keyOf(i);
      if (missingRows.contains(i)) {
        missingKeys.add(key);
        continue;
      }
      float[] v = base.row(i);
      if (perturbedRows.contains(i)) {
        perturbedKeys.add(key);
        for (int d = 0; d < v.length; d++) {
          v[d] += shift;
        }
      }
      rows[j] = v;
      keys[j] = key;
      j++;
    }
    int q = source.queries().count();
    int depth = source.groundTruthDepth();
    int[][] gt = new int[q][];
    for (int i = 0; i < q; i++) {
      gt[i] = TestDatasets.nearest(rows, source.queries().row(i), depth);
    }
    Dataset copy =
        Dataset.builder(name, source.metric())
            .base(Vectors.of(rows))
            .queries(source.queries())
            .groundTruth(gt, null)
            .baseIds(keys)
            .build();
    return new Modified(copy, perturbedKeys, missingKeys, rows, keys);
  }
}
