package io.vecwatch.target;

import io.vecwatch.config.ConfigNode;
import io.vecwatch.config.TargetConfig;
import io.vecwatch.config.TargetSettings;
import io.vecwatch.dataset.Dataset;
import io.vecwatch.dataset.Metric;
import io.vecwatch.dataset.Vectors;
import java.io.IOException;
import java.util.List;
import java.util.OptionalInt;
import java.util.Random;
import org.apache.lucene.codecs.Codec;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene912.Lucene912Codec;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.Directory;

/**
 * A Lucene HNSW index held in memory, built over a dataset's base vectors and merged into one
 * segment so it is a single graph. {@code ef_search} is the search beam: Lucene explores {@code
 * max(k, ef_search)} candidates and the target returns the best {@code k}. Scores are Lucene's
 * similarity scores (higher is closer); the result also carries them as distances (the index stores
 * the vectors unquantised, so its scores are float-precise).
 */
public final class LuceneHnswTarget implements Target, RecordReader, Tunable {
  private static final String FIELD = "v";
  private static final String KEY = "key";

  /** {@code kind: lucene_hnsw}. */
  public static final TargetKind<Settings> KIND =
      new TargetKind<>() {
        @Override
        public String name() {
          return "lucene_hnsw";
        }

        @Override
        public Settings parse(ConfigNode node) {
          InProcess.requireDataset(node, name());
          // Upper bounds are Lucene's own limits (Lucene99HnswVectorsFormat), checked here instead
          // of at build time.
          return new Settings(
              node.integer("m", 16, 2, Lucene99HnswVectorsFormat.MAXIMUM_MAX_CONN),
              node.integer("ef_construction", 100, 1, Lucene99HnswVectorsFormat.MAXIMUM_BEAM_WIDTH),
              node.integer("ef_search", 40, 1, 10_000));
        }

        @Override
        public Target create(TargetConfig config, Settings settings, TargetContext context)
            throws Exception {
          return new LuceneHnswTarget(config.name(), InProcess.dataset(config, context), settings);
        }
      };

  /**
   * @param m max connections per node (Lucene's {@code maxConn})
   * @param efConstruction build-time beam width
   * @param efSearch search-time beam width
   */
  public record Settings(int m, int efConstruction, int efSearch) implements TargetSettings {}

  private final String name;
  private final Settings settings;
  private final Directory directory;
  private final DirectoryReader reader;
  private final IndexSearcher searcher;
  private final long[] keys;
  private final int count;
  private final InProcessRecords records;
  private final Metric metric;

  public LuceneHnswTarget(String name, Dataset dataset, Settings settings) throws IOException {
    this.name = name;
    this.metric = dataset.metric();
    this.settings = settings;
    Vectors base = dataset.base().orElseThrow();
    this.count = base.count();
    this.records = new InProcessRecords(dataset);
    this.directory = new ByteBuffersDirectory();
    KnnVectorsFormat format =
        new Lucene99HnswVectorsFormat(settings.m(), settings.efConstruction());
    Codec codec =
        new Lucene912Codec() {
          @Override
          public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
            return format;
          }
        };
    IndexWriterConfig iwc = new IndexWriterConfig().setCodec(codec).setRAMBufferSizeMB(256);
    VectorSimilarityFunction sim = similarity(dataset.metric());
    try (IndexWriter w = new IndexWriter(directory, iwc)) {
      for (int i = 0; i < base.count(); i++) {
        Document doc = new Document();
        doc.add(new KnnFloatVectorField(FIELD, base.row(i), sim));
        doc.add(new StoredField(KEY, dataset.keyOf(i)));
        w.addDocument(doc);
      }
      w.forceMerge(1);
    }
    this.reader = DirectoryReader.open(directory);
    this.searcher = new IndexSearcher(reader);
    // doc id -> key, resolved once so searches do not touch stored fields
    this.keys = new long[reader.maxDoc()];
    StoredFields stored = reader.storedFields();
    for (int d = 0; d < keys.length; d++) {
      keys[d] = stored.document(d).getField(KEY).numericValue().longValue();
    }
  }

  /**
   * The distance a Lucene score stands for (the inverse of the similarity's score scaling on float
   * vectors): EUCLIDEAN scores {@code 1 / (1 + d²)}, COSINE {@code (1 + cos) / 2},
   * MAXIMUM_INNER_PRODUCT {@code 1 / (1 - dot)} for a negative dot product and {@code dot + 1}
   * otherwise.
   */
  static double distance(Metric metric, float score) {
    double s = score;
    return switch (metric) {
      case L2 -> Math.sqrt(Math.max(0, 1 / s - 1));
      case COSINE -> 1 - (2 * s - 1);
      case IP -> -(s < 1 ? 1 - 1 / s : s - 1);
    };
  }

  private static VectorSimilarityFunction similarity(Metric metric) {
    return switch (metric) {
      case L2 -> VectorSimilarityFunction.EUCLIDEAN;
      // Lucene's DOT_PRODUCT needs unit vectors; MAXIMUM_INNER_PRODUCT takes any.
      case IP -> VectorSimilarityFunction.MAXIMUM_INNER_PRODUCT;
      case COSINE -> VectorSimilarityFunction.COSINE;
    };
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String kind() {
    return KIND.name();
  }

  public Settings settings() {
    return settings;
  }

  @Override
  public SearchResult search(float[] query, int k) throws IOException {
    return search(query, k, settings.efSearch());
  }

  private SearchResult search(float[] query, int k, int efSearch) throws IOException {
    int beam = Math.max(k, efSearch);
    TopDocs top = searcher.search(new KnnFloatVectorQuery(FIELD, query, beam), beam);
    int n = Math.min(k, top.scoreDocs.length);
    long[] ids = new long[n];
    float[] scores = new float[n];
    float[] distances = new float[n];
    for (int i = 0; i < n; i++) {
      ScoreDoc sd = top.scoreDocs[i];
      ids[i] = keys[sd.doc];
      scores[i] = sd.score;
      distances[i] = (float) distance(metric, sd.score);
    }
    return new SearchResult(ids, scores, distances);
  }

  @Override
  public long entityCount() {
    return count;
  }

  /** The vectors the index was built from, by key (null for keys it does not hold). */
  @Override
  public float[][] vectors(long[] keys) {
    return records.vectors(keys);
  }

  @Override
  public long[] sampleKeys(int n, Random random) {
    return records.sampleKeys(n, random);
  }

  /** {@code ef}: the search beam ({@code ef_search}). */
  @Override
  public List<String> tunableParameters() {
    return List.of("ef");
  }

  @Override
  public OptionalInt currentValue(String parameter) {
    return "ef".equals(parameter) ? OptionalInt.of(settings.efSearch()) : OptionalInt.empty();
  }

  @Override
  public Target withParameter(String parameter, int value) {
    if (!"ef".equals(parameter)) {
      throw new IllegalArgumentException(
          "lucene_hnsw has no search parameter " + parameter + " (it has ef)");
    }
    if (value < 1) {
      throw new IllegalArgumentException("ef must be positive, got " + value);
    }
    return Tunable.view(name, KIND.name(), (query, k) -> search(query, k, value));
  }

  @Override
  public void close() {
    try {
      reader.close();
      directory.close();
    } catch (IOException e) {
      // in-memory: nothing to lose
    }
  }
}
