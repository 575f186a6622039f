package io.vecwatch.probe;

import static org.assertj.core.api.Assertions.assertThat;

import io.vecwatch.dataset.Dataset;
import io.vecwatch.dataset.Metric;
import io.vecwatch.dataset.Vectors;
import io.vecwatch.target.FlatTarget;
import io.vecwatch.target.LuceneHnswTarget;
import io.vecwatch.target.SearchResult;
import io.vecwatch.target.Target;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Distance recall computed from the distances a target reports equals the recall computed from the
 * base vectors, on results of the real in-process indexes over data full of exact ties.
 */
class RecallReportedDistancesTest {
  private static final List<Integer> KS = List.of(1, 10, 40);
  private static final int DIM = 16;

  @ParameterizedTest
  @EnumSource(Metric.class)
  void reportedDistancesOfTheRealIndexesGiveTheRecallOfRecomputedOnes(Metric metric)
      throws Exception {
    Dataset d = tiedDataset(metric, 600, 40, 5);
    Recall r = Recall.of(d, KS);
    List<Target> targets =
        List.of(
            new FlatTarget("flat", d),
            new LuceneHnswTarget("hnsw", d, new LuceneHnswTarget.Settings(4, 8, 1)));
    int misses = 0;
    for (Target t : targets) {
      for (int q = 0; q < d.queries().count(); q++) {
        SearchResult res = t.search(d.queries().row(q), 40);
        assertThat(res.distances()).as("%s reports distances", t.name()).hasSize(res.size());
        double[] withReported = recall(r, q, res.ids(), res.distances());
        double[] recomputed = recall(r, q, res.ids(), null);
        assertThat(withReported).as("%s query %d", t.name(), q).containsExactly(recomputed);
        for (int s = 0; s < KS.size(); s++) {
          double distanceRecall = withReported[KS.size() + s];
          assertThat(distanceRecall)
              .as("%s query %d distance recall@%d", t.name(), q, KS.get(s))
              .isEqualTo(reference(d, q, res.ids(), KS.get(s)));
          misses += distanceRecall < 1.0 ? 1 : 0;
        }
      }
    }
    assertThat(misses).as("the HNSW index misses, so distances are judged").isPositive();
  }

  @Test
  void reportedDistancesOffByFloatRoundingGiveTheSameRecall() {
    Dataset d = tiedDataset(Metric.L2, 600, 40, 6);
    Recall r = Recall.of(d, KS);
    Random rnd = new Random(9);
    float[][] base = rows(d.base().orElseThrow());
    for (int trial = 0; trial < 400; trial++) {
      int q = rnd.nextInt(d.queries().count());
      long[] ids = new long[40];
      float[] reported = new float[40];
      for (int i = 0; i < ids.length; i++) {
        int p = rnd.nextInt(base.length);
        ids[i] = p;
        double exact = Metric.L2.distance(d.queries().row(q), base[p]);
        // a float target's error: a few units in the last place, either way
        reported[i] = (float) (exact * (1 + (rnd.nextInt(9) - 4) * 0x1p-23));
      }
      assertThat(recall(r, q, ids, reported)).containsExactly(recall(r, q, ids, null));
    }
  }

  @Test
  void aReportedDistanceNearTheThresholdIsCheckedAgainstTheVectors() {
    // the nearest at 1; the others 0.0009 and 0.0011 beyond it, around the 0.001 tolerance
    float[][] base = {{1, 0}, {1.0009f, 0}, {1.0011f, 0}, {9, 9}};
    Dataset d =
        Dataset.builder("near", Metric.L2)
            .base(Vectors.of(base))
            .queries(Vectors.of(new float[][] {{0, 0}}))
            .groundTruth(new int[][] {{0, 1, 2, 3}}, null)
            .build();
    Recall r = Recall.of(d, List.of(1));
    // each reported distance lies on the wrong side of the threshold, by less than the tolerance
    assertThat(recall(r, 0, new long[] {1}, new float[] {1.00104f}))
        .as("0.0009 beyond, reported as 0.00104 beyond")
        .containsExactly(0.0, 1.0);
    assertThat(recall(r, 0, new long[] {2}, new float[] {1.00096f}))
        .as("0.0011 beyond, reported as 0.00096 beyond")
        .containsExactly(0.0, 0.0);
    // far from the threshold the reported distance decides (so a false one is believed)
    assertThat(recall(r, 0, new long[] {3}, new float[] {1.0f}))
        .as("a far entity reported at the nearest distance")
        .containsExactly(0.0, 1.0);
  }

  @Test
  void aReportedDistanceNeverMakesAnUnknownIdCount() {
    Dataset d = tiedDataset(Metric.L2, 100, 2, 7);
    Recall r = Recall.of(d, List.of(10));
    long[] ids = {100, 101, -1, 5_000, 102, 103, 104, 105, 106, 107};
    float[] reported = new float[ids.length]; // all claim distance 0
    assertThat(recall(r, 0, ids, reported)).containsExactly(0.0, 0.0);
  }

  @Test
  void innerProductIgnoresReportedDistances() {
    Dataset d = tiedDataset(Metric.IP, 200, 2, 8);
    Recall r = Recall.of(d, List.of(10));
    long[] far = new long[10];
    for (int i = 0; i < far.length; i++) {
      far[i] = d.groundTruth(0)[190 - i]; // among the farthest, whatever they claim
    }
    float[] claimed = new float[10];
    Arrays.fill(claimed, -1e9f);
    assertThat(recall(r, 0, far, claimed)).containsExactly(recall(r, 0, far, null));
  }

  /** {id recall@K..., distance recall@K...}. */
  private static double[] recall(Recall r, int q, long[] ids, float[] reported) {
    int k = r.ks().length;
    double[] idRecall = new double[k];
    double[] distRecall = new double[k];
    r.compute(q, ids, reported, idRecall, distRecall);
    double[] out = new double[2 * k];
    System.arraycopy(idRecall, 0, out, 0, k);
    System.arraycopy(distRecall, 0, out, k, k);
    return out;
  }

  /**
   * ann-benchmarks' distance recall written directly: distinct top-K ids within the K-th true
   * distance + 1e-3, distances in double from the vectors.
   */
  private static double reference(Dataset d, int q, long[] ids, int k) {
    float[][] base = rows(d.base().orElseThrow());
    float[] query = d.queries().row(q);
    double threshold = distance(d.metric(), query, base[d.groundTruth(q)[k - 1]]) + 1e-3;
    Set<Long> distinct = new LinkedHashSet<>();
    for (int i = 0; i < Math.min(k, ids.length); i++) {
      distinct.add(ids[i]);
    }
    int hits = 0;
    for (long id : distinct) {
      if (id >= 0 && id < base.length && distance(d.metric(), query, base[(int) id]) <= threshold) {
        hits++;
      }
    }
    return (double) hits / k;
  }

  private static double distance(Metric m, float[] a, float[] b) {
    double dot = 0;
    double na = 0;
    double nb = 0;
    double l2 = 0;
    for (int i = 0; i < a.length; i++) {
      dot += (double) a[i] * b[i];
      na += (double) a[i] * a[i];
      nb += (double) b[i] * b[i];
      l2 += ((double) a[i] - b[i]) * ((double) a[i] - b[i]);
    }
    return switch (m) {
      case L2 -> Math.sqrt(l2);
      case IP -> -dot;
      case COSINE -> 1 - dot / (Math.sqrt(na) * Math.sqrt(nb));
    };
  }

  /**
   * Coordinates on a 1/8 grid, and every third base vector a copy of the one before: many distances
   * tie exactly. Ground truth by the reference distance, ties by position.
   */
  private static Dataset tiedDataset(Metric metric, int count, int queries, long seed) {
    Random rnd = new Random(seed);
    float[][] base = new float[count][];
    for (int i = 0; i < count; i++) {
      base[i] = i % 3 == 2 ? base[i - 1].clone() : gridVector(rnd);
    }
    float[][] qs = new float[queries][];
    for (int i = 0; i < queries; i++) {
      qs[i] = gridVector(rnd);
    }
    int depth = Math.min(count, 200);
    int[][] gt = new int[queries][];
    for (int q = 0; q < queries; q++) {
      float[] query = qs[q];
      List<Integer> order = new ArrayList<>(IntStream.range(0, count).boxed().toList());
      order.sort(
          Comparator.<Integer>comparingDouble(p -> distance(metric, query, base[p]))
              .thenComparingInt(p -> p));
      gt[q] = order.subList(0, depth).stream().mapToInt(Integer::intValue).toArray();
    }
    return Dataset.builder("tied-" + metric.id(), metric)
        .base(Vectors.of(base))
        .queries(Vectors.of(qs))
        .groundTruth(gt, null)
        .build();
  }

  private static float[] gridVector(Random rnd) {
    float[] v = new float[DIM];
    for (int i = 0; i < DIM; i++) {
      v[i] = (rnd.nextInt(17) - 8) / 8f;
    }
    if (v[0] == 0) {
      v[0] = 1; // no zero vectors: cosine is undefined for them
    }
    return v;
  }

  private static float[][] rows(Vectors v) {
    float[][] out = new float[v.count()][];
    for (int i = 0; i < out.length; i++) {
      out[i] = v.row(i);
    }
    return out;
  }
}
