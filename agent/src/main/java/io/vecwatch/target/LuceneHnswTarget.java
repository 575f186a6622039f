package io.vecwatch.target;

import io.vecwatch.config.ConfigNode;
import io.vecwatch.config.TargetConfig;
import io.vecwatch.config.TargetSettings;
import io.vecwatch.dataset.Dataset;
import io.vecwatch.dataset.Metric;
import io.vecwatch.dataset.Vectors;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import java.util.Random;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TopKnnCollector;
import org.apache.lucene.util.hnsw.HnswGraph;
import org.apache.lucene.util.hnsw.HnswGraphBuilder;
import org.apache.lucene.util.hnsw.HnswGraphSearcher;
import org.apache.lucene.util.hnsw.NeighborArray;
import org.apache.lucene.util.hnsw.OnHeapHnswGraph;
import org.apache.lucene.util.hnsw.RandomVectorScorer;
import org.apache.lucene.util.hnsw.RandomVectorScorerSupplier;

/**
 * A Lucene HNSW graph held in memory over a dataset's base vectors: Lucene's own graph builder and
 * searcher ({@code org.apache.lucene.util.hnsw}, what {@code Lucene99HnswVectorsFormat} runs inside
 * an index, with the same random seed and insertion order, so the graph and the answers are those
 * of a one-segment Lucene index), reading the dataset's vectors in place instead of copying them
 * into an index. {@code ef_search} is the search beam: Lucene explores {@code max(k, ef_search)}
 * candidates and the target returns the best {@code k}. Scores are Lucene's similarity scores
 * (higher is closer); the result also carries them as distances (the vectors are unquantised, so
 * its scores are float-precise). Built once, the graph is frozen into compact arrays that any
 * number of searches read at once.
 */
public final class LuceneHnswTarget implements Target, RecordReader, Tunable {
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

  /** The random seed Lucene's codec builds its graphs with ({@code HnswGraphBuilder.randSeed}). */
  private static final long SEED = 42;

  /**
   * @param m max connections per node (Lucene's {@code maxConn})
   * @param efConstruction build-time beam width
   * @param efSearch search-time beam width
   */
  public record Settings(int m, int efConstruction, int efSearch) implements TargetSettings {}

  private final String name;
  private final Settings settings;
  private final Dataset dataset;
  private final Vectors base;
  private final VectorSimilarityFunction similarity;
  private final FrozenGraph graph;
  private final int count;
  private final InProcessRecords records;
  private final Metric metric;

  public LuceneHnswTarget(String name, Dataset dataset, Settings settings) throws IOException {
    this.name = name;
    this.dataset = dataset;
    this.metric = dataset.metric();
    this.settings = settings;
    this.base = dataset.base().orElseThrow();
    this.count = base.count();
    this.records = new InProcessRecords(dataset);
    this.similarity = similarity(metric);
    OnHeapHnswGraph built =
        HnswGraphBuilder.create(
                new Scorers(base, similarity), settings.m(), settings.efConstruction(), SEED)
            .build(count);
    this.graph = FrozenGraph.of(built, count);
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
    TopKnnCollector collector = new TopKnnCollector(beam, Integer.MAX_VALUE);
    HnswGraphSearcher.search(
        new QueryScorer(base, similarity, query), collector, graph.view(), null);
    TopDocs top = collector.topDocs();
    int n = Math.min(k, top.scoreDocs.length);
    long[] ids = new long[n];
    float[] scores = new float[n];
    float[] distances = new float[n];
    for (int i = 0; i < n; i++) {
      ScoreDoc sd = top.scoreDocs[i];
      ids[i] = dataset.keyOf(sd.doc);
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
    // in memory: the garbage collector takes it
  }

  /** Scores a query (or, while building, a base vector) against base vectors, Lucene's way. */
  private static class QueryScorer implements RandomVectorScorer {
    private final Vectors base;
    private final VectorSimilarityFunction similarity;
    private final float[] query;
    private final float[] row;

    QueryScorer(Vectors base, VectorSimilarityFunction similarity, float[] query) {
      this.base = base;
      this.similarity = similarity;
      this.query = query;
      this.row = new float[base.dim()];
    }

    @Override
    public float score(int node) {
      System.arraycopy(base.data(), base.offset(node), row, 0, row.length);
      return similarity.compare(query, row);
    }

    @Override
    public int maxOrd() {
      return base.count();
    }
  }

  /** The build's scorers: each base vector against the others; one per building thread. */
  private static final class Scorers implements RandomVectorScorerSupplier {
    private final Vectors base;
    private final VectorSimilarityFunction similarity;
    private final float[] node;

    Scorers(Vectors base, VectorSimilarityFunction similarity) {
      this.base = base;
      this.similarity = similarity;
      this.node = new float[base.dim()];
    }

    @Override
    public RandomVectorScorer scorer(int ord) {
      System.arraycopy(base.data(), base.offset(ord), node, 0, node.length);
      return new QueryScorer(base, similarity, node);
    }

    @Override
    public RandomVectorScorerSupplier copy() {
      return new Scorers(base, similarity);
    }
  }

  /**
   * The built graph in compact arrays: per level, the nodes on it (sorted; level 0 holds every
   * node) and their neighbour lists back to back. It is immutable; a {@link #view()} carries the
   * cursor of one search, so searches run concurrently.
   */
  static final class FrozenGraph {
    private final int size;
    private final int entryNode;
    private final int[][] nodes; // per level >= 1: sorted node ids (level 0: null, all nodes)
    private final int[][] offsets; // per level: neighbour list i is [offsets[i], offsets[i+1])
    private final int[][] neighbours;

    private FrozenGraph(
        int size, int entryNode, int[][] nodes, int[][] offsets, int[][] neighbours) {
      this.size = size;
      this.entryNode = entryNode;
      this.nodes = nodes;
      this.offsets = offsets;
      this.neighbours = neighbours;
    }

    static FrozenGraph of(OnHeapHnswGraph g, int size) throws IOException {
      int levels = g.numLevels();
      int[][] nodes = new int[levels][];
      int[][] offsets = new int[levels][];
      int[][] neighbours = new int[levels][];
      for (int level = 0; level < levels; level++) {
        int[] onLevel;
        if (level == 0) {
          onLevel = null;
        } else {
          onLevel = HnswGraph.NodesIterator.getSortedNodes(g.getNodesOnLevel(level));
        }
        int n = level == 0 ? size : onLevel.length;
        int[] off = new int[n + 1];
        for (int i = 0; i < n; i++) {
          NeighborArray a = g.getNeighbors(level, level == 0 ? i : onLevel[i]);
          off[i + 1] = off[i] + (a == null ? 0 : a.size());
        }
        int[] all = new int[off[n]];
        for (int i = 0; i < n; i++) {
          NeighborArray a = g.getNeighbors(level, level == 0 ? i : onLevel[i]);
          if (a != null) {
            System.arraycopy(a.nodes(), 0, all, off[i], a.size());
            // by node id, the order in which an index written by Lucene's codec lists them
            Arrays.sort(all, off[i], off[i + 1]);
          }
        }
        nodes[level] = onLevel;
        offsets[level] = off;
        neighbours[level] = all;
      }
      return new FrozenGraph(size, g.entryNode(), nodes, offsets, neighbours);
    }

    HnswGraph view() {
      return new View();
    }

    /** One search's walk over the frozen graph. */
    private final class View extends HnswGraph {
      private int[] list = new int[0];
      private int next;
      private int end;

      @Override
      public void seek(int level, int target) {
        int i = level == 0 ? target : Arrays.binarySearch(nodes[level], target);
        if (i < 0) {
          throw new IllegalArgumentException("node " + target + " is not on level " + level);
        }
        list = neighbours[level];
        next = offsets[level][i];
        end = offsets[level][i + 1];
      }

      @Override
      public int size() {
        return size;
      }

      @Override
      public int nextNeighbor() {
        return next < end ? list[next++] : DocIdSetIterator.NO_MORE_DOCS;
      }

      @Override
      public int numLevels() {
        return offsets.length;
      }

      @Override
      public int entryNode() {
        return entryNode;
      }

      @Override
      public NodesIterator getNodesOnLevel(int level) {
        int[] onLevel = level == 0 ? null : nodes[level];
        if (onLevel == null) {
          return new ArrayNodesIterator(size);
        }
        return new ArrayNodesIterator(onLevel, onLevel.length);
      }
    }
  }
}
