package io.vecwatch.knn;

/**
 * Told how far a search has got, from the worker threads (implementations must be thread-safe and
 * cheap). Work is counted in query x base-vector pairs; {@code done == total} once at the end.
 */
@FunctionalInterface
public interface KnnProgress {
  KnnProgress NONE = (done, total) -> {};

  void advanced(long done, long total);
}
