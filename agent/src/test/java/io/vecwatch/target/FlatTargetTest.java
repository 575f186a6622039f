package io.vecwatch.target;

import static org.assertj.core.api.Assertions.assertThat;

import io.vecwatch.dataset.Dataset;
import io.vecwatch.dataset.GaussianMixture;
import io.vecwatch.dataset.Metric;
import io.vecwatch.dataset.Vectors;
import io.vecwatch.knn.NaiveKnn;
import org.junit.jupiter.api.Test;

class FlatTargetTest {

  @Test
  void returnsTheExactNeighboursAsKeysWithTheirDistances() {
    GaussianMixture mix = GaussianMixture.of(10, 3, 1.0, 8L);
    Vectors base = mix.base(300);
    Vectors queries = mix.queries(6);
    long[] keys = new long[300];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = 1_000_000L + 7L * i;
    }
    for (Metric metric : Metric.values()) {
      NaiveKnn want = NaiveKnn.of(base, queries, metric, 20);
      Dataset d =
          Dataset.builder("d", metric)
              .base(base)
              .queries(queries)
              .groundTruth(want.ids, null)
              .baseIds(keys)
              .build();
      FlatTarget flat = new FlatTarget("flat", d);
      for (int q = 0; q < 6; q++) {
        SearchResult r = flat.search(queries.row(q), 20);
        assertThat(r.size()).isEqualTo(20);
        for (int j = 0; j < 20; j++) {
          assertThat(r.ids()[j])
              .as(metric + " q" + q + " rank " + j)
              .isEqualTo(keys[want.ids[q][j]]);
          assertThat(r.scores()[j]).isEqualTo((float) want.distances[q][j]);
        }
      }
    }
  }

  @Test
  void askingForMoreThanTheBaseHoldsReturnsEveryVector() {
    Vectors base = Vectors.of(new float[][] {{0, 0}, {3, 0}, {1, 0}});
    Dataset d =
        Dataset.builder("d", Metric.L2)
            .base(base)
            .queries(base)
            .groundTruth(new int[][] {{0}, {1}, {2}}, null)
            .build();
    SearchResult r = new FlatTarget("flat", d).search(new float[] {0, 0}, 10);
    assertThat(r.ids()).containsExactly(0L, 2L, 1L);
    assertThat(r.scores()).containsExactly(0f, 1f, 3f);
    assertThat(new FlatTarget("flat", d).entityCount()).isEqualTo(3);
  }
}
