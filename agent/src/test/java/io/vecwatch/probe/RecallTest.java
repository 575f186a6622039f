package io.vecwatch.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.vecwatch.dataset.Dataset;
import io.vecwatch.dataset.Metric;
import io.vecwatch.dataset.Vectors;
import io.vecwatch.testing.TestDatasets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RecallTest {
  private static final List<Integer> KS = List.of(1, 5, 10, 20);

  @Test
  void matchesAnIndependentSetComputationOnRandomResults() {
    Dataset d = TestDatasets.random("r", 400, 8, 30, 20, 7, null);
    checkAgainstReference(d, null);
  }

  @Test
  void mapsGroundTruthPositionsToExplicitKeys() {
    long[] ids = new long[400];
    for (int i = 0; i < ids.length; i++) {
      ids[i] =
          1_000_000L
              + 7L * (ids.length - i); // descending, so key order differs from position order
    }
    Dataset d = TestDatasets.random("keys", 400, 8, 30, 20, 11, ids);
    checkAgainstReference(d, ids);
  }

  /**
   * Random results (ground-truth ids, other ids, duplicates, unknown ids, short and long lists) vs
   * a reference.
   */
  private static void checkAgainstReference(Dataset d, long[] keys) {
    Recall r = Recall.of(d, KS);
    Random rnd = new Random(3);
    float[][] base = rows(d.base().orElseThrow());
    for (int trial = 0; trial < 2000; trial++) {
      int q = rnd.nextInt(d.queries().count());
      long[] result = randomResult(d, q, rnd, keys);
      double[] ids = new double[KS.size()];
      double[] dist = new double[KS.size()];
      r.compute(q, result, ids, dist);
      for (int s = 0; s < KS.size(); s++) {
        int k = KS.get(s);
        assertThat(ids[s])
            .as("id recall@%d, trial %d", k, trial)
            .isEqualTo(referenceIdRecall(d, q, result, k));
        assertThat(dist[s])
            .as("distance recall@%d, trial %d", k, trial)
            .isEqualTo(referenceDistanceRecall(d, base, q, result, k, keys));
      }
    }
  }

  private static long[] randomResult(Dataset d, int q, Random rnd, long[] keys) {
    int len = rnd.nextInt(25);
    long[] out = new long[len];
    for (int i = 0; i < len; i++) {
      int kind = rnd.nextInt(10);
      if (kind < 6) {
        out[i] = d.keyOf(d.groundTruth(q)[rnd.nextInt(20)]);
      } else if (kind < 8) {
        out[i] = d.keyOf(rnd.nextInt(400));
      } else if (kind < 9 && i > 0) {
        out[i] = out[rnd.nextInt(i)]; // duplicate
      } else {
        out[i] = keys == null ? 10_000 + rnd.nextInt(100) : 5 + rnd.nextInt(100); // no such entity
      }
    }
    return out;
  }

  /**
   * VectorDBBench's definition written directly: |set(top-k returned) ∩ set(first k ground truth)|
   * / k.
   */
  private static double referenceIdRecall(Dataset d, int q, long[] result, int k) {
    Set<Long> truth = new HashSet<>();
    for (int i = 0; i < k; i++) {
      truth.add(d.keyOf(d.groundTruth(q)[i]));
    }
    Set<Long> got = new HashSet<>();
    for (int i = 0; i < Math.min(k, result.length); i++) {
      got.add(result[i]);
    }
    got.retainAll(truth);
    return (double) got.size() / k;
  }

  /**
   * ann-benchmarks: distinct top-k returned ids whose true distance ≤ k-th ground-truth distance +
   * 1e-3.
   */
  private static double referenceDistanceRecall(
      Dataset d, float[][] base, int q, long[] result, int k, long[] keys) {
    float[] query = d.queries().row(q);
    double threshold =
        Math.sqrt(TestDatasets.squaredL2(base[d.groundTruth(q)[k - 1]], query)) + 1e-3;
    Set<Long> distinct = new LinkedHashSet<>();
    for (int i = 0; i < Math.min(k, result.length); i++) {
      distinct.add(result[i]);
    }
    int hits = 0;
    for (long id : distinct) {
      int pos = positionOf(id, keys, base.length);
      if (pos >= 0 && Math.sqrt(TestDatasets.squaredL2(base[pos], query)) <= threshold) {
        hits++;
      }
    }
    return (double) hits / k;
  }

  private static int positionOf(long id, long[] keys, int n) {
    if (keys == null) {
      return id >= 0 && id < n ? (int) id : -1;
    }
    for (int i = 0; i < keys.length; i++) {
      if (keys[i] == id) {
        return i;
      }
    }
    return -1;
  }

  @Test
  void countsADuplicatedIdOnce() {
    Dataset d = TestDatasets.random("dup", 100, 4, 1, 10, 1, null);
    long gt0 = d.keyOf(d.groundTruth(0)[0]);
    long[] result = new long[10];
    Arrays.fill(result, gt0);
    double[] ids = new double[1];
    double[] dist = new double[1];
    Recall.of(d, List.of(10)).compute(0, result, ids, dist);
    assertThat(ids[0]).isEqualTo(0.1);
    assertThat(dist[0]).isEqualTo(0.1);
  }

  @Test
  void countsMissingResultsAsMisses() {
    Dataset d = TestDatasets.random("short", 100, 4, 1, 10, 2, null);
    long[] result = {
      d.keyOf(d.groundTruth(0)[0]), d.keyOf(d.groundTruth(0)[1]), d.keyOf(d.groundTruth(0)[2])
    };
    double[] ids = new double[2];
    Recall.of(d, List.of(3, 10)).compute(0, result, ids, null);
    assertThat(ids).containsExactly(1.0, 0.3);
  }

  @Test
  void perfectResultScoresOneForEveryK() {
    Dataset d = TestDatasets.random("perfect", 200, 4, 3, 20, 4, null);
    Recall r = Recall.of(d, List.of(20, 1, 10)); // unsorted on purpose
    assertThat(r.ks()).containsExactly(1, 10, 20);
    assertThat(r.searchK()).isEqualTo(20);
    for (int q = 0; q < 3; q++) {
      long[] result = Arrays.stream(d.groundTruth(q)).mapToLong(d::keyOf).toArray();
      double[] ids = new double[3];
      double[] dist = new double[3];
      r.compute(q, result, ids, dist);
      assertThat(ids).containsExactly(1.0, 1.0, 1.0);
      assertThat(dist).containsExactly(1.0, 1.0, 1.0);
    }
  }

  @Test
  void rejectsKDeeperThanTheGroundTruth() {
    Dataset d = TestDatasets.random("shallow", 100, 4, 2, 10, 5, null);
    assertThatThrownBy(() -> Recall.of(d, List.of(10, 50)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("recall_k 50 exceeds the ground-truth depth 10 of dataset shallow");
  }

  @Test
  void distanceVariantForgivesTiesThatIdRecallPenalises() {
    // base 0 and 1 are both at distance 1 from the query; the ground truth lists 0 as the single
    // nearest
    float[][] base = {{1, 0}, {0, 1}, {5, 5}, {6, 6}};
    Dataset d =
        Dataset.builder("ties", Metric.L2)
            .base(Vectors.of(base))
            .queries(Vectors.of(new float[][] {{0, 0}}))
            .groundTruth(new int[][] {{0, 1, 2}}, null)
            .build();
    double[] ids = new double[1];
    double[] dist = new double[1];
    Recall.of(d, List.of(1)).compute(0, new long[] {1}, ids, dist);
    assertThat(ids[0]).isEqualTo(0.0);
    assertThat(dist[0]).isEqualTo(1.0);
  }

  @Test
  void distanceVariantToleratesOneThousandthBeyondTheKthDistance() {
    float[][] base = {{1, 0}, {1.0009f, 0}, {1.0011f, 0}, {9, 9}};
    Dataset d =
        Dataset.builder("eps", Metric.L2)
            .base(Vectors.of(base))
            .queries(Vectors.of(new float[][] {{0, 0}}))
            .groundTruth(new int[][] {{0, 1, 2, 3}}, null)
            .build();
    double[] ids = new double[1];
    double[] dist = new double[1];
    Recall r = Recall.of(d, List.of(1));
    r.compute(0, new long[] {1}, ids, dist);
    assertThat(dist[0]).as("0.0009 beyond the nearest").isEqualTo(1.0);
    r.compute(0, new long[] {2}, ids, dist);
    assertThat(dist[0]).as("0.0011 beyond the nearest").isEqualTo(0.0);
  }

  @Test
  void idsThatNameNoEntityNeverCount() {
    Dataset d = TestDatasets.random("unknown", 50, 4, 1, 5, 6, null);
    double[] ids = new double[1];
    double[] dist = new double[1];
    Recall.of(d, List.of(5))
        .compute(
            0, new long[] {-1, 50, 999, Long.MAX_VALUE, d.keyOf(d.groundTruth(0)[0])}, ids, dist);
    assertThat(ids[0]).isCloseTo(0.2, within(1e-12));
    assertThat(dist[0]).isCloseTo(0.2, within(1e-12));
  }

  @Test
  void hasNoDistanceVariantWithoutBaseVectors() {
    Dataset full = TestDatasets.random("full", 50, 4, 2, 5, 8, null);
    int[][] gt = {full.groundTruth(0), full.groundTruth(1)};
    Dataset remote =
        Dataset.builder("remote", Metric.L2).queries(full.queries()).groundTruth(gt, null).build();
    Recall r = Recall.of(remote, List.of(5));
    assertThat(r.hasDistanceVariant()).isFalse();
    double[] ids = new double[1];
    double[] dist = {-1};
    r.compute(0, Arrays.stream(gt[0]).asLongStream().toArray(), ids, dist);
    assertThat(ids[0]).isEqualTo(1.0);
    assertThat(dist[0]).as("untouched").isEqualTo(-1);
  }

  private static float[][] rows(Vectors v) {
    List<float[]> out = new ArrayList<>();
    for (int i = 0; i < v.count(); i++) {
      out.add(v.row(i));
    }
    return out.toArray(float[][]::new);
  }
}
