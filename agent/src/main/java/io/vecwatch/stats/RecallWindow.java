package io.vecwatch.stats;

/**
 * Mean recall@k over the successful searches of a window.
 *
 * @param k the K of recall@K
 * @param mean mean of |returned top-k ids ∩ first k ground-truth ids| / k (VectorDBBench); NaN
 *     without queries
 * @param queries number of searches behind {@code mean}
 * @param distanceMean mean of the ann-benchmarks distance variant; NaN when the dataset has no base
 *     vectors
 * @param distanceQueries number of searches behind {@code distanceMean}
 */
public record RecallWindow(
    int k, double mean, long queries, double distanceMean, long distanceQueries) {}
