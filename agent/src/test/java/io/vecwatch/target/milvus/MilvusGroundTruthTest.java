package io.vecwatch.target.milvus;

import static org.assertj.core.api.Assertions.assertThat;

import io.vecwatch.dataset.Metric;
import io.vecwatch.dataset.Vectors;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Chunked exact k-NN with merging equals one brute-force pass, whatever the page and chunk sizes. */
class MilvusGroundTruthTest {
  private static final int K = 7;

  @Test
  void mergingChunksGivesTheSameNeighboursAsOneBruteForcePass() {
    TestData d = TestData.generate("g", Metric.L2, 503, 12, 9, 5, 41, K, i -> 10_000 + 13L * i);
    for (int chunk : new int[] {7, 100, 503, 2000}) {
      for (int page : new int[] {1, 50, 503}) {
        List<Long> seen = new ArrayList<>();
        MilvusGroundTruth gt = new MilvusGroundTruth(Vectors.of(d.queries), Metric.L2, K, chunk, 2, seen::add);
        for (int from = 0; from < d.base.length; from += page) {
          int to = Math.min(from + page, d.base.length);
          long[] keys = java.util.Arrays.copyOfRange(d.keys, from, to);
          float[][] vectors = java.util.Arrays.copyOfRange(d.base, from, to);
          gt.add(keys, vectors);
        }
        gt.finish();

        assertThat(seen).last().isEqualTo(503L);
        for (int q = 0; q < d.queries.length; q++) {
          long[] want = new long[K];
          for (int j = 0; j < K; j++) {
            want[j] = d.keys[d.groundTruth[q][j]];
            assertThat((double) gt.distances()[q][j]).as("chunk %d page %d", chunk, page)
                .isCloseTo(d.groundTruthDistances[q][j], org.assertj.core.data.Offset.offset(1e-4));
          }
          assertThat(gt.keys()[q]).as("chunk %d page %d query %d", chunk, page, q).containsExactly(want);
        }
      }
    }
  }

  @Test
  void aCollectionSmallerThanKGivesShorterRows() {
    MilvusGroundTruth gt = new MilvusGroundTruth(Vectors.of(new float[][] {{0f, 0f}}), Metric.L2, 5, 10, 1, r -> {});
    gt.add(new long[] {4, 9}, new float[][] {{3f, 4f}, {1f, 0f}});
    gt.finish();

    assertThat(gt.keys()[0]).containsExactly(9L, 4L);
    assertThat(gt.distances()[0]).containsExactly(1f, 5f);
  }
}
