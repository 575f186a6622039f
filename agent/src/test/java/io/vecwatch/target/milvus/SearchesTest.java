package io.vecwatch.target.milvus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.vecwatch.dataset.Metric;
import io.vecwatch.target.SearchResult;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SearchesTest {
  private final Random random = new Random(7);

  private float[] vector(int dim) {
    float[] v = new float[dim];
    for (int i = 0; i < dim; i++) {
      v[i] = (float) random.nextGaussian();
    }
    return v;
  }

  /** What Milvus reports for each metric, computed here from the definitions in Milvus's docs. */
  private static float milvusScore(Metric m, float[] a, float[] b) {
    double dot = 0;
    double na = 0;
    double nb = 0;
    double l2sq = 0;
    for (int i = 0; i < a.length; i++) {
      dot += (double) a[i] * b[i];
      na += (double) a[i] * a[i];
      nb += (double) b[i] * b[i];
      l2sq += ((double) a[i] - b[i]) * ((double) a[i] - b[i]);
    }
    return (float)
        switch (m) {
          case L2 -> l2sq; // squared, no root
          case IP -> dot;
          case COSINE -> dot / (Math.sqrt(na) * Math.sqrt(nb));
        };
  }

  private static MilvusSettings settings() {
    return new MilvusSettings(
        "http://127.0.0.1:19530",
        Optional.empty(),
        new MilvusSettings.NoAuth(),
        Optional.empty(),
        Duration.ofSeconds(10),
        Duration.ofSeconds(10),
        new MilvusSettings.Reconnect(Duration.ofMillis(100), Duration.ofSeconds(1)),
        "docs",
        Optional.of("vec"),
        Optional.empty(),
        Map.of("ef", 32),
        Optional.empty(),
        Optional.empty(),
        List.of(),
        Optional.empty(),
        OptionalLong.empty(),
        new MilvusSettings.SelfRecall(0, 1));
  }

  private static CollectionInfo info(String keyField) {
    return new CollectionInfo(
        "docs",
        "pk",
        CollectionInfo.KeyType.INT64,
        keyField,
        "vec",
        4,
        Optional.of(Metric.L2),
        Optional.of("HNSW"),
        Map.of());
  }

  @Test
  void searchesAskOnlyForTheKeyFieldNeverForTheVectors() {
    float[] q = vector(4);
    assertThat(Searches.request(settings(), info("pk"), q, 10).getOutputFields())
        .containsExactly("pk");
    assertThat(Searches.request(settings(), info("doc_id"), q, 10).getOutputFields())
        .containsExactly("doc_id");
  }

  @Test
  void milvusScoresBecomeTheSameDistancesAsTheDatasetMetric() {
    for (Metric m : Metric.values()) {
      for (int i = 0; i < 50; i++) {
        float[] a = vector(16);
        float[] b = vector(16);
        assertThat((double) Searches.distance(m, milvusScore(m, a, b)))
            .as("%s", m)
            .isCloseTo(m.distance(a, b), within(1e-4));
      }
    }
  }

  @Test
  void nearerHitsKeepSmallerDistancesInOrder() {
    List<Searches.Hit> ipHits = List.of(new Searches.Hit(7L, 0.9f), new Searches.Hit(3L, 0.4f));
    SearchResult r = Searches.toResult(ipHits, Optional.of(Metric.IP));

    assertThat(r.ids()).containsExactly(7L, 3L);
    assertThat(r.scores()[0]).isLessThan(r.scores()[1]);
  }

  @Test
  void unknownMetricKeepsTheRawScores() {
    SearchResult r = Searches.toResult(List.of(new Searches.Hit(1, 2.5f)), Optional.empty());
    assertThat(r.ids()).containsExactly(1L);
    assertThat(r.scores()).containsExactly(2.5f);
  }
}
