package io.vecwatch.knn;

import io.vecwatch.dataset.Metric;
import io.vecwatch.dataset.Vectors;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Exact (brute-force) k nearest neighbours over a fixed set of base vectors: the ground truth of
 * generated datasets, the {@code groundtruth} command and the flat target all come from here.
 *
 * <pre>{@code
 * ExactKnn knn = ExactKnn.builder(base, Metric.L2).threads(4).build();  // lays the base out once
 * KnnResult gt = knn.search(queries, 100);                             // all queries, multi-threaded
 * KnnResult one = knn.searchOne(query, 10);                            // one query, calling thread
 * }</pre>
 *
 * <p>How: queries are split into units handed to worker threads; each unit walks the base in chunks
 * that stay in cache and runs a {@link Kernel} over (query tile x base block) pairs, fusing the dot
 * products with a threshold test against a bounded heap per query. Distances follow {@link Metric}:
 * the kernels rank by a cheap float key, then the best {@code k + margin} candidates are re-ranked
 * by their exact distance (double precision), ties by lower position. A float error bound proves
 * that no vector outside the candidates can beat the k-th; where it cannot (degenerate data such as
 * many equal distances), that query is answered by an exact scan ({@link
 * KnnResult#exactRescans()}), so results always equal a double-precision full sort. The Java Vector
 * API kernel is used when {@code jdk.incubator.vector} is in the boot layer ({@code java
 * --add-modules jdk.incubator.vector}); a plain Java blocked kernel otherwise.
 *
 * <p>Vectors must hold finite values (the dataset readers check this). An instance is immutable
 * once built and safe for concurrent searches (each call allocates its own heaps).
 */
public final class ExactKnn {
  /** Which kernel computes the distances. */
  public enum Implementation {
    /** The Vector API kernel when available, else {@link #SCALAR}. */
    AUTO,
    /** Blocked plain-Java kernel; runs everywhere. */
    SCALAR,
    /** The Vector API kernel; fails to build when the module is absent. */
    VECTOR,
    /** One pair at a time, the textbook loop: only a baseline for benchmarks. */
    PLAIN,
    /**
     * Reads the caller's row-major base in place, with no blocked copy: half the memory, for
     * searches of one query at a time (a flat target). The Vector API row kernel when available,
     * else {@link #PLAIN}.
     */
    ROWS
  }

  private static final String VECTOR_MODULE = "jdk.incubator.vector";
  private static final String VECTOR_KERNEL = "io.vecwatch.knn.VectorKernel";
  private static final String ROW_VECTOR_KERNEL = "io.vecwatch.knn.RowVectorKernel";

  /** Base bytes scanned per chunk: small enough to stay in L2 beside a unit's queries and heaps. */
  private static final int CHUNK_BYTES = 256 * 1024;

  private final Kernel kernel;
  private final PreparedBase base;
  private final Workers workers;

  private ExactKnn(Kernel kernel, PreparedBase base, Workers workers) {
    this.kernel = kernel;
    this.base = base;
    this.workers = workers;
  }

  public static Builder builder(Vectors base, Metric metric) {
    return new Builder(base, metric);
  }

  /** For tests and tuning: an index over {@code base} that runs the given kernel. */
  static ExactKnn withKernel(Kernel kernel, Vectors base, Metric metric, int threads) {
    Workers workers = Workers.of(threads);
    return new ExactKnn(
        kernel, PreparedBase.build(base, metric, kernel.blockWidth(), workers), workers);
  }

  /**
   * Whether the Vector API module is in the boot layer, so {@link Implementation#VECTOR} can be
   * used.
   */
  public static boolean vectorApiAvailable() {
    return ModuleLayer.boot().findModule(VECTOR_MODULE).isPresent();
  }

  /** What computes the distances, e.g. for logs and the bench output. */
  public String describe() {
    return kernel.describe();
  }

  public Metric metric() {
    return base.metric();
  }

  public int count() {
    return base.count();
  }

  public int dim() {
    return base.dim();
  }

  public int threads() {
    return workers.threads();
  }

  public KnnResult search(Vectors queries, int k) {
    return search(queries, k, KnnProgress.NONE);
  }

  /**
   * The exact {@code k} nearest base positions of every query, on {@link #threads()} threads.
   *
   * @throws IllegalArgumentException if {@code k} is not in {@code [1, count()]} or the dimensions
   *     differ
   */
  public KnnResult search(Vectors queries, int k, KnnProgress progress) {
    Objects.requireNonNull(progress, "progress");
    checkQuery(queries.dim(), k);
    int nq = queries.count();
    int[][] ids = new int[nq][k];
    float[][] distances = new float[nq][k];
    int tile = kernel.queryTile();
    // a few units per thread balance the load; larger units reuse each cached base chunk for more
    // queries
    int unit = Math.max(tile, Math.min(256, ceilDiv(nq, workers.threads() * 4)));
    unit = ceilDiv(unit, tile) * tile;
    int units = ceilDiv(nq, unit);
    int chunkBlocks = chunkBlocks();
    float[] original = queries.data();
    float[] qs = base.prepareQueries(original);
    long total = (long) nq * base.count();
    AtomicLong done = new AtomicLong();
    AtomicInteger rescans = new AtomicInteger();
    int finalUnit = unit;
    workers.forEachItem(
        units,
        u -> {
          int qa = u * finalUnit;
          int qb = Math.min(nq, qa + finalUnit);
          TopK[] heaps = newHeaps(qb - qa, k);
          for (int from = 0; from < base.blocks(); from += chunkBlocks) {
            int to = Math.min(base.blocks(), from + chunkBlocks);
            for (int t = qa; t < qb; t += tile) {
              kernel.scan(base, qs, t, Math.min(tile, qb - t), heaps, t - qa, from, to);
            }
            long vectors =
                Math.min((long) to * base.width(), base.count()) - (long) from * base.width();
            progress.advanced(done.addAndGet(vectors * (qb - qa)), total);
          }
          for (int q = qa; q < qb; q++) {
            int o = queries.offset(q);
            if (Rerank.finish(heaps[q - qa], base, original, o, qs, o, k, ids[q], distances[q])) {
              rescans.incrementAndGet();
            }
          }
        });
    return new KnnResult(k, ids, distances, rescans.get());
  }

  /** The exact {@code k} nearest base positions of one query, computed on the calling thread. */
  public KnnResult searchOne(float[] query, int k) {
    checkQuery(query.length, k);
    TopK[] heap = newHeaps(1, k);
    float[] prepared = base.prepareQueries(query);
    kernel.scan(base, prepared, 0, 1, heap, 0, 0, base.blocks());
    int[] ids = new int[k];
    float[] distances = new float[k];
    boolean rescanned = Rerank.finish(heap[0], base, query, 0, prepared, 0, k, ids, distances);
    return new KnnResult(k, new int[][] {ids}, new float[][] {distances}, rescanned ? 1 : 0);
  }

  private void checkQuery(int dim, int k) {
    if (dim != base.dim()) {
      throw new IllegalArgumentException(
          "queries have dimension " + dim + " but the base has " + base.dim());
    }
    if (k < 1 || k > base.count()) {
      throw new IllegalArgumentException(
          "k must be between 1 and the number of base vectors (" + base.count() + "), got " + k);
    }
  }

  private TopK[] newHeaps(int n, int k) {
    int capacity = Rerank.capacity(k, base.count());
    TopK[] heaps = new TopK[n];
    for (int i = 0; i < n; i++) {
      heaps[i] = new TopK(capacity);
    }
    return heaps;
  }

  private int chunkBlocks() {
    long blockBytes = 4L * base.width() * base.dim();
    int blocks = (int) Math.max(1, CHUNK_BYTES / blockBytes);
    return blocks + (blocks & 1); // even, so the 2-block tiles never split at a chunk edge
  }

  private static int ceilDiv(int a, int b) {
    return (a + b - 1) / b;
  }

  private static Kernel kernel(Implementation impl) {
    return switch (impl) {
      case PLAIN -> new PlainKernel();
      case SCALAR -> new ScalarKernel();
      case VECTOR -> loadVectorKernel(VECTOR_KERNEL);
      case AUTO -> vectorApiAvailable() ? loadVectorKernel(VECTOR_KERNEL) : new ScalarKernel();
      case ROWS -> vectorApiAvailable() ? loadVectorKernel(ROW_VECTOR_KERNEL) : new PlainKernel();
    };
  }

  /** By name, so the scalar path never loads a class that links against the incubator module. */
  private static Kernel loadVectorKernel(String className) {
    if (!vectorApiAvailable()) {
      throw new IllegalStateException(
          "the Vector API is not available: run java with --add-modules " + VECTOR_MODULE);
    }
    try {
      return (Kernel) Class.forName(className).getDeclaredConstructor().newInstance();
    } catch (ReflectiveOperationException | LinkageError e) {
      throw new IllegalStateException("cannot load the Vector API kernel: " + e, e);
    }
  }

  /**
   * Configures and prepares an {@link ExactKnn}; {@link #build()} lays the base out for the kernel.
   */
  public static final class Builder {
    private final Vectors base;
    private final Metric metric;
    private Implementation implementation = Implementation.AUTO;
    private int threads = Runtime.getRuntime().availableProcessors();

    private Builder(Vectors base, Metric metric) {
      this.base = Objects.requireNonNull(base, "base");
      this.metric = Objects.requireNonNull(metric, "metric");
    }

    public Builder implementation(Implementation implementation) {
      this.implementation = Objects.requireNonNull(implementation, "implementation");
      return this;
    }

    /**
     * Worker threads for {@link ExactKnn#search} and for laying out the base (default: available
     * cores).
     */
    public Builder threads(int threads) {
      if (threads < 1) {
        throw new IllegalArgumentException("threads must be at least 1, got " + threads);
      }
      this.threads = threads;
      return this;
    }

    public ExactKnn build() {
      Kernel kernel = kernel(implementation);
      Workers workers = Workers.of(threads);
      return new ExactKnn(
          kernel, PreparedBase.build(base, metric, kernel.blockWidth(), workers), workers);
    }
  }
}
