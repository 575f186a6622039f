package io.vecwatch.knn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vecwatch.dataset.Metric;
import io.vecwatch.dataset.Vectors;
import io.vecwatch.knn.ExactKnn.Implementation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ExactKnnTest {
  /**
   * Naive results shared by the parameterized cases (the same data for every kernel and thread
   * count).
   */
  private static final Map<String, NaiveKnn> REFERENCES = new ConcurrentHashMap<>();

  static List<Implementation> implementations() {
    List<Implementation> all =
        new ArrayList<>(List.of(Implementation.SCALAR, Implementation.PLAIN, Implementation.ROWS));
    if (ExactKnn.vectorApiAvailable()) {
      all.add(Implementation.VECTOR);
    }
    return all;
  }

  static Stream<Arguments> cases() {
    List<Arguments> out = new ArrayList<>();
    for (Implementation impl : implementations()) {
      for (Metric metric : Metric.values()) {
        for (int threads : new int[] {1, 3}) {
          out.add(Arguments.of(impl, metric, threads));
        }
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} {1} threads={2}")
  @MethodSource("cases")
  void matchesTheNaiveReferenceOnRandomData(Implementation impl, Metric metric, int threads) {
    // odd sizes: not multiples of any SIMD width, query tile or block pair
    for (int dim : new int[] {1, 3, 7, 17, 33}) {
      Random rnd = new Random(7 + dim);
      Vectors base = random(rnd, 203, dim, 0f);
      Vectors queries = random(rnd, 23, dim, 0f);
      ExactKnn knn = ExactKnn.builder(base, metric).implementation(impl).threads(threads).build();
      for (int k : new int[] {1, 10, 203}) {
        NaiveKnn want =
            REFERENCES.computeIfAbsent(
                metric + "/" + dim + "/" + k, key -> NaiveKnn.of(base, queries, metric, k));
        assertMatchesReference(knn.search(queries, k), want, "dim " + dim + " k " + k);
      }
    }
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("cases")
  void searchOneEqualsTheBatchResult(Implementation impl, Metric metric, int threads) {
    Random rnd = new Random(3);
    Vectors base = random(rnd, 500, 19, 0f);
    Vectors queries = random(rnd, 5, 19, 0f);
    ExactKnn knn = ExactKnn.builder(base, metric).implementation(impl).threads(threads).build();
    KnnResult batch = knn.search(queries, 12);
    for (int q = 0; q < queries.count(); q++) {
      KnnResult one = knn.searchOne(queries.row(q), 12);
      assertThat(one.ids(0)).containsExactly(batch.ids(q));
      assertThat(one.distances(0)).containsExactly(batch.distances(q));
    }
  }

  @ParameterizedTest(name = "{0} {1} threads={2}")
  @MethodSource("cases")
  void staysExactForDataFarFromTheOrigin(Implementation impl, Metric metric, int threads) {
    // a large common offset makes the float keys useless (cancellation); centring (L2) or the
    // error-bound
    // fallback (IP, cosine) must still give the exact answer
    Random rnd = new Random(11);
    Vectors base = random(rnd, 300, 24, 1000f);
    Vectors queries = random(rnd, 9, 24, 1000f);
    KnnResult got =
        ExactKnn.builder(base, metric)
            .implementation(impl)
            .threads(threads)
            .build()
            .search(queries, 7);
    assertMatchesReference(got, NaiveKnn.of(base, queries, metric, 7), "offset data");
    if (metric == Metric.L2 && impl != Implementation.PLAIN && impl != Implementation.ROWS) {
      assertThat(got.exactRescans()).as("centring keeps L2 keys precise").isZero();
    }
  }

  @Test
  void wellSpreadDataNeedsNoExactRescan() {
    Random rnd = new Random(5);
    Vectors base = random(rnd, 2000, 32, 0f);
    Vectors queries = random(rnd, 40, 32, 0f);
    for (Metric metric : Metric.values()) {
      for (Implementation impl : implementations()) {
        KnnResult r =
            ExactKnn.builder(base, metric)
                .implementation(impl)
                .threads(2)
                .build()
                .search(queries, 10);
        assertThat(r.exactRescans()).as(metric + " " + impl).isZero();
      }
    }
  }

  @Test
  void equalDistancesAreOrderedByLowerPositionFirst() {
    // positions 5, 2, 9 and 0 hold the same vector; 7 is a second, farther copy pair with 3
    float[][] rows = new float[12][];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = new float[] {10 + i, -3 * i, 5};
    }
    for (int i : new int[] {5, 2, 9, 0}) {
      rows[i] = new float[] {1, 1, 1};
    }
    rows[7] = new float[] {2, 2, 2};
    rows[3] = new float[] {2, 2, 2};
    Vectors base = Vectors.of(rows);
    Vectors query = Vectors.of(new float[][] {{1, 1, 1}});
    for (Implementation impl : implementations()) {
      KnnResult r =
          ExactKnn.builder(base, Metric.L2)
              .implementation(impl)
              .threads(2)
              .build()
              .search(query, 6);
      assertThat(r.ids(0)).as(impl.name()).containsExactly(0, 2, 5, 9, 3, 7);
      assertThat(r.distances(0)[0]).isZero();
    }
  }

  @Test
  void manyEqualDistancesAtTheCutAreResolvedByPosition() {
    // 400 copies of one vector: the k-th neighbour ties with hundreds of others beyond the heap's
    // margin
    float[][] rows = new float[450][];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = i % 9 == 4 ? new float[] {i, i, i, i} : new float[] {0.5f, 0.25f, 0, 1};
    }
    Vectors base = Vectors.of(rows);
    Vectors queries = Vectors.of(new float[][] {{0, 0, 0, 0}, {0.5f, 0.25f, 0, 1}});
    for (Metric metric : Metric.values()) {
      for (Implementation impl : implementations()) {
        KnnResult r =
            ExactKnn.builder(base, metric)
                .implementation(impl)
                .threads(2)
                .build()
                .search(queries, 50);
        assertMatchesReference(r, NaiveKnn.of(base, queries, metric, 50), metric + " " + impl);
        // the float keys cannot separate hundreds of equal distances: the exact scan decided
        assertThat(r.exactRescans()).as(metric + " " + impl).isPositive();
      }
    }
  }

  @Test
  void valuesWhoseSquaresOverflowFloatStillGiveTheExactAnswer() {
    Random rnd = new Random(13);
    float[] data = new float[80 * 3];
    for (int i = 0; i < data.length; i++) {
      data[i] = (float) (rnd.nextGaussian() * 1e20);
    }
    Vectors base = Vectors.wrap(data, 80, 3);
    Vectors queries = Vectors.wrap(Arrays.copyOf(data, 3 * 4), 4, 3);
    for (Metric metric : Metric.values()) {
      for (Implementation impl : implementations()) {
        KnnResult r =
            ExactKnn.builder(base, metric)
                .implementation(impl)
                .threads(1)
                .build()
                .search(queries, 5);
        assertMatchesReference(r, NaiveKnn.of(base, queries, metric, 5), metric + " " + impl);
      }
    }
  }

  @Test
  void zeroVectorsHaveCosineDistanceOne() {
    Vectors base = Vectors.of(new float[][] {{0, 0}, {1, 0}, {-1, 0}});
    KnnResult r =
        ExactKnn.builder(base, Metric.COSINE)
            .threads(1)
            .build()
            .search(Vectors.of(new float[][] {{2, 0}}), 3);
    assertThat(r.ids(0)).containsExactly(1, 0, 2);
    assertThat(r.distances(0)).containsExactly(0f, 1f, 2f);
  }

  @Test
  void kAboveTheBaseCountIsRejected() {
    Vectors base = random(new Random(1), 10, 4, 0f);
    ExactKnn knn = ExactKnn.builder(base, Metric.L2).build();
    assertThatThrownBy(() -> knn.search(base, 11))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("k must be between 1 and the number of base vectors (10), got 11");
    assertThatThrownBy(() -> knn.searchOne(base.row(0), 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void queriesOfAnotherDimensionAreRejected() {
    ExactKnn knn = ExactKnn.builder(random(new Random(1), 10, 4, 0f), Metric.IP).build();
    assertThatThrownBy(() -> knn.search(random(new Random(2), 3, 5, 0f), 2))
        .hasMessage("queries have dimension 5 but the base has 4");
  }

  @Test
  void progressCountsEveryPairOnce() {
    Random rnd = new Random(9);
    Vectors base = random(rnd, 1000, 8, 0f);
    Vectors queries = random(rnd, 37, 8, 0f);
    AtomicLong last = new AtomicLong();
    AtomicLong totalSeen = new AtomicLong();
    ExactKnn.builder(base, Metric.L2)
        .threads(3)
        .build()
        .search(
            queries,
            5,
            (done, total) -> {
              last.accumulateAndGet(done, Math::max);
              totalSeen.set(total);
            });
    assertThat(totalSeen.get()).isEqualTo(37L * 1000);
    assertThat(last.get()).isEqualTo(37L * 1000);
  }

  @Test
  void autoPicksTheVectorKernelWhenTheModuleIsPresent() {
    ExactKnn knn = ExactKnn.builder(random(new Random(1), 4, 4, 0f), Metric.L2).build();
    if (ExactKnn.vectorApiAvailable()) {
      assertThat(knn.describe()).startsWith("Vector API kernel");
    } else {
      assertThat(knn.describe()).startsWith("scalar blocked kernel");
    }
  }

  static void assertMatchesReference(KnnResult got, NaiveKnn want, String what) {
    assertThat(got.queryCount()).isEqualTo(want.ids.length);
    for (int q = 0; q < want.ids.length; q++) {
      assertThat(got.ids(q)).as(what + ", query " + q).containsExactly(want.ids[q]);
      float[] d = got.distances(q);
      for (int j = 0; j < d.length; j++) {
        assertThat(d[j])
            .as(what + ", query " + q + " rank " + j)
            .isEqualTo((float) want.distances[q][j]);
      }
    }
  }

  static Vectors random(Random rnd, int n, int dim, float offset) {
    float[] data = new float[n * dim];
    for (int i = 0; i < data.length; i++) {
      data[i] = offset + (float) rnd.nextGaussian();
    }
    return Vectors.wrap(data, n, dim);
  }
}
