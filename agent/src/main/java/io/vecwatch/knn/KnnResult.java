package io.vecwatch.knn;

import java.util.Arrays;

/**
 * The exact k nearest base positions of each query, nearest first, with their distances as {@link
 * io.vecwatch.dataset.Metric} defines them. Equal distances are ordered by lower position first.
 * Immutable: accessors return copies.
 */
public final class KnnResult {
  private final int k;
  private final int[][] ids;
  private final float[][] distances;
  private final int exactRescans;

  KnnResult(int k, int[][] ids, float[][] distances, int exactRescans) {
    this.k = k;
    this.ids = ids;
    this.distances = distances;
    this.exactRescans = exactRescans;
  }

  /**
   * Queries whose fast float keys could not be proven to separate the k-th neighbour from the rest,
   * and which were therefore answered by an exact scan of every base vector (slow, always correct).
   * Normally 0.
   */
  public int exactRescans() {
    return exactRescans;
  }

  public int k() {
    return k;
  }

  public int queryCount() {
    return ids.length;
  }

  /** Base positions of query {@code q}'s neighbours, nearest first. */
  public int[] ids(int q) {
    return ids[q].clone();
  }

  public float[] distances(int q) {
    return distances[q].clone();
  }

  /** A copy of all rows, for {@code Dataset.Builder.groundTruth} and the .ivecs writer. */
  public int[][] idMatrix() {
    return Arrays.stream(ids).map(int[]::clone).toArray(int[][]::new);
  }

  public float[][] distanceMatrix() {
    return Arrays.stream(distances).map(float[]::clone).toArray(float[][]::new);
  }
}
