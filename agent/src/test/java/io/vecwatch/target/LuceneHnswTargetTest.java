package io.vecwatch.target;

import static org.assertj.core.api.Assertions.assertThat;

import io.vecwatch.dataset.Dataset;
import io.vecwatch.dataset.Metric;
import io.vecwatch.dataset.Vectors;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.lucene.codecs.Codec;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene912.Lucene912Codec;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The in-process HNSW target answers exactly as a one-segment Lucene index built by Lucene's codec
 * from the same vectors with the same settings (same graph builder, seed and insertion order; the
 * index is the reference a user of Lucene would run), and its frozen graph serves concurrent
 * searches.
 */
class LuceneHnswTargetTest {
  private static final int COUNT = 3_000;
  private static final int DIM = 24;
  private static final int QUERIES = 40;
  private static final LuceneHnswTarget.Settings SETTINGS =
      new LuceneHnswTarget.Settings(8, 32, 20);

  @ParameterizedTest
  @EnumSource(Metric.class)
  void answersAsAOneSegmentLuceneIndexOfTheSameVectors(Metric metric) throws Exception {
    Dataset d = dataset(metric, new Random(7));
    LuceneHnswTarget target = new LuceneHnswTarget("hnsw", d, SETTINGS);
    try (ByteBuffersDirectory dir = new ByteBuffersDirectory()) {
      index(dir, d, metric);
      try (DirectoryReader reader = DirectoryReader.open(dir)) {
        assertThat(reader.leaves()).as("one segment, one graph").hasSize(1);
        IndexSearcher searcher = new IndexSearcher(reader);
        int differentFromExact = 0;
        for (int q = 0; q < QUERIES; q++) {
          float[] query = d.queries().row(q);
          for (int k : new int[] {1, 10, 50}) {
            int beam = Math.max(k, SETTINGS.efSearch());
            TopDocs top = searcher.search(new KnnFloatVectorQuery("v", query, beam), beam);
            SearchResult r = target.search(query, k);
            int n = Math.min(k, top.scoreDocs.length);
            assertThat(r.size()).isEqualTo(n);
            for (int i = 0; i < n; i++) {
              assertThat(r.ids()[i])
                  .as("query %d k %d rank %d", q, k, i)
                  .isEqualTo(d.keyOf(top.scoreDocs[i].doc));
              assertThat(r.scores()[i]).isEqualTo(top.scoreDocs[i].score);
            }
          }
          if (target.search(query, 10).ids()[9] != d.keyOf(d.groundTruth(q)[9])) {
            differentFromExact++;
          }
        }
        assertThat(differentFromExact)
            .as("the graph is approximate, so the test bites")
            .isPositive();
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Metric.class)
  void concurrentSearchesAnswerAsSearchesOneAtATime(Metric metric) throws Exception {
    Dataset d = dataset(metric, new Random(11));
    LuceneHnswTarget target = new LuceneHnswTarget("hnsw", d, SETTINGS);
    List<long[]> alone = new ArrayList<>();
    for (int q = 0; q < QUERIES; q++) {
      alone.add(target.search(d.queries().row(q), 10).ids());
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<long[]>> together = new ArrayList<>();
      for (int round = 0; round < 10; round++) {
        for (int q = 0; q < QUERIES; q++) {
          float[] query = d.queries().row(q);
          together.add(pool.submit(() -> target.search(query, 10).ids()));
        }
      }
      for (int i = 0; i < together.size(); i++) {
        assertThat(together.get(i).get()).isEqualTo(alone.get(i % QUERIES));
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** The Lucene index the target stands for: Lucene's codec, the same HNSW settings. */
  private static void index(ByteBuffersDirectory dir, Dataset d, Metric metric) throws Exception {
    KnnVectorsFormat format =
        new Lucene99HnswVectorsFormat(SETTINGS.m(), SETTINGS.efConstruction());
    Codec codec =
        new Lucene912Codec() {
          @Override
          public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
            return format;
          }
        };
    VectorSimilarityFunction sim =
        switch (metric) {
          case L2 -> VectorSimilarityFunction.EUCLIDEAN;
          case IP -> VectorSimilarityFunction.MAXIMUM_INNER_PRODUCT;
          case COSINE -> VectorSimilarityFunction.COSINE;
        };
    IndexWriterConfig iwc = new IndexWriterConfig().setCodec(codec).setRAMBufferSizeMB(256);
    try (IndexWriter w = new IndexWriter(dir, iwc)) {
      for (int i = 0; i < d.base().orElseThrow().count(); i++) {
        Document doc = new Document();
        doc.add(new KnnFloatVectorField("v", d.base().orElseThrow().row(i), sim));
        w.addDocument(doc);
      }
      w.forceMerge(1);
    }
  }

  /** The exact {@code depth} nearest positions, by sorting every distance. */
  private static int[] exact(Metric metric, float[][] base, float[] query, int depth) {
    Integer[] order = new Integer[base.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(
        order,
        (a, b) -> Double.compare(metric.distance(query, base[a]), metric.distance(query, base[b])));
    int[] top = new int[depth];
    for (int i = 0; i < depth; i++) {
      top[i] = order[i];
    }
    return top;
  }

  /** Clustered vectors with keys that are not their positions. */
  private static Dataset dataset(Metric metric, Random rnd) {
    float[][] centres = new float[20][DIM];
    for (float[] c : centres) {
      for (int i = 0; i < DIM; i++) {
        c[i] = (float) rnd.nextGaussian();
      }
    }
    float[][] base = new float[COUNT][];
    long[] keys = new long[COUNT];
    for (int i = 0; i < COUNT; i++) {
      base[i] = near(centres[rnd.nextInt(centres.length)], rnd);
      keys[i] = 1_000_000L + 7L * i;
    }
    float[][] qs = new float[QUERIES][];
    for (int i = 0; i < QUERIES; i++) {
      qs[i] = near(centres[rnd.nextInt(centres.length)], rnd);
    }
    int[][] gt = new int[QUERIES][];
    for (int q = 0; q < QUERIES; q++) {
      gt[q] = exact(metric, base, qs[q], 10);
    }
    return Dataset.builder("hnsw-" + metric.id(), metric)
        .base(Vectors.of(base))
        .queries(Vectors.of(qs))
        .groundTruth(gt, null)
        .baseIds(keys)
        .build();
  }

  private static float[] near(float[] centre, Random rnd) {
    float[] v = new float[DIM];
    for (int i = 0; i < DIM; i++) {
      v[i] = centre[i] + 0.4f * (float) rnd.nextGaussian();
    }
    return v;
  }
}
