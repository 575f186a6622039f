package io.vecwatch.target.milvus;

import static org.assertj.core.api.Assertions.assertThat;

import io.vecwatch.dataset.Metric;
import io.vecwatch.dataset.Vectors;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/**
 * Chunked exact k-NN with merging equals one brute-force pass, whatever the page and chunk sizes.
 */
class MilvusGroundTruthTest {
  private static final int K = 7;

  @Test
  void mergingChunksGivesTheSameNeighboursAsOneBruteForcePass() {
    TestData d = TestData.generate("g", Metric.L2, 503, 12, 9, 5, 41, K, i -> 10_000 + 13L * i);
    for (int chunk : new int[] {7, 100, 503, 2000}) {
      for (int page : new int[] {1, 50, 503}) {
        List<Long> seen = new ArrayList<>();
        MilvusGroundTruth gt =
            new MilvusGroundTruth(Vectors.of(d.queries), Metric.L2, K, chunk, 2, seen::add);
        for (int from = 0; from < d.base.length; from += page) {
          int to = Math.min(from + page, d.base.length);
          long[] keys = Arrays.copyOfRange(d.keys, from, to);
          float[][] vectors = Arrays.copyOfRange(d.base, from, to);
          gt.add(keys, vectors);
        }
        gt.finish();

        assertThat(seen).last().isEqualTo(503L);
        for (int q = 0; q < d.queries.length; q++) {
          long[] want = new long[K];
          for (int j = 0; j < K; j++) {
            want[j] = d.keys[d.groundTruth[q][j]];
            assertThat((double) gt.distances()[q][j])
                .as("chunk %d page %d", chunk, page)
                .isCloseTo(d.groundTruthDistances[q][j], Offset.offset(1e-4));
          }
          assertThat(gt.keys()[q])
              .as("chunk %d page %d query %d", chunk, page, q)
              .containsExactly(want);
        }
      }
    }
  }

  @Test
  void aCollectionSmallerThanKGivesShorterRows() {
    MilvusGroundTruth gt =
        new MilvusGroundTruth(Vectors.of(new float[][] {{0f, 0f}}), Metric.L2, 5, 10, 1, r -> {});
    gt.add(new long[] {4, 9}, new float[][] {{3f, 4f}, {1f, 0f}});
    gt.finish();

    assertThat(gt.keys()[0]).containsExactly(9L, 4L);
    assertThat(gt.distances()[0]).containsExactly(1f, 5f);
  }

  @Test
  void nearTiesThatRoundToTheSameFloatKeepTheirExactOrderWhateverTheChunkAndPageSize() {
    // Distances from the origin differ by ~1e-9, below float resolution at 1.0 (6e-8): rounded to
    // float they all
    // equal 1.0f, and a float merge would order them by key. The keys are given in the opposite
    // order of the
    // exact distances, so only double precision through the merge keeps the full sort.
    float[][] base = new float[9][];
    long[] keys = new long[9];
    for (int i = 0; i < base.length; i++) {
      base[i] = new float[] {1f, (base.length - i) * 1e-4f, 0f};
      keys[i] = 100 + i; // nearest (smallest y) has the largest key
    }
    float[][] queries = {{0f, 0f, 0f}};
    long[] want = exactOrder(queries[0], base, keys);
    assertThat(want[0]).isEqualTo(108L);
    for (int chunk = 1; chunk <= base.length + 1; chunk++) {
      for (int page : new int[] {1, 2, 4, 9}) {
        for (int k : new int[] {1, 3, 9}) {
          MilvusGroundTruth gt =
              new MilvusGroundTruth(Vectors.of(queries), Metric.L2, k, chunk, 1, r -> {});
          for (int from = 0; from < base.length; from += page) {
            int to = Math.min(from + page, base.length);
            gt.add(Arrays.copyOfRange(keys, from, to), Arrays.copyOfRange(base, from, to));
          }
          gt.finish();
          assertThat(gt.keys()[0])
              .as("chunk %d page %d k %d", chunk, page, k)
              .containsExactly(Arrays.copyOf(want, k));
        }
      }
    }
  }

  @Test
  void innerProductNearTiesFromTheFieldKeepTheirExactOrderAcrossAChunkBoundary() {
    // two rows whose inner products with the query differ in the ninth digit, seen on a real
    // collection:
    // -0.5004968799 (key 15718) and -0.5004968746 (key 14309); key order is the opposite of
    // distance order
    float[] q = {0.5004968799f, 1f};
    float[][] base = {{1f, -5.3e-9f}, {1f, 0f}};
    long[] keys = {14309, 15718};
    long[] want = exactOrder(q, base, keys, Metric.IP);
    for (int chunk = 1; chunk <= 2; chunk++) {
      MilvusGroundTruth gt =
          new MilvusGroundTruth(Vectors.of(new float[][] {q}), Metric.IP, 2, chunk, 1, r -> {});
      gt.add(keys, base);
      gt.finish();
      assertThat(gt.keys()[0]).as("chunk %d", chunk).containsExactly(want);
    }
  }

  /** Independent oracle: every row's L2 distance in double, sorted by (distance, key). */
  private static long[] exactOrder(float[] q, float[][] base, long[] keys) {
    return exactOrder(q, base, keys, Metric.L2);
  }

  private static long[] exactOrder(float[] q, float[][] base, long[] keys, Metric metric) {
    Integer[] order = new Integer[base.length];
    double[] d = new double[base.length];
    for (int i = 0; i < base.length; i++) {
      order[i] = i;
      double s = 0;
      for (int j = 0; j < q.length; j++) {
        s +=
            metric == Metric.L2
                ? ((double) q[j] - base[i][j]) * ((double) q[j] - base[i][j])
                : -((double) q[j] * base[i][j]);
      }
      d[i] = metric == Metric.L2 ? Math.sqrt(s) : s;
    }
    Arrays.sort(
        order,
        (x, y) -> d[x] != d[y] ? Double.compare(d[x], d[y]) : Long.compare(keys[x], keys[y]));
    long[] out = new long[base.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = keys[order[i]];
    }
    return out;
  }
}
