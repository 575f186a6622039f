package io.vecwatch.knn;

/**
 * The inner loop of exact k-NN: computes ranking keys for a tile of queries against a range of base
 * blocks and offers them to the queries' heaps. Keys only need to rank base vectors correctly for a
 * fixed query up to float rounding; the final order comes from {@link Rerank}. Implementations are
 * stateless and thread-safe.
 */
interface Kernel {
  /** Base vectors per block of the layout this kernel reads ({@link PreparedBase#width()}). */
  int blockWidth();

  /** Queries the kernel prefers to scan together (it must accept fewer). */
  int queryTile();

  /**
   * Scans blocks {@code [blockFrom, blockTo)} for the {@code nq} query rows starting at row {@code
   * q0} of {@code queries} (row-major, {@code base.dim()} wide), offering to {@code heaps[h0 .. h0
   * + nq)}.
   */
  void scan(
      PreparedBase base,
      float[] queries,
      int q0,
      int nq,
      TopK[] heaps,
      int h0,
      int blockFrom,
      int blockTo);

  /** Describes the implementation, e.g. for the bench output. */
  String describe();
}
