package io.vecwatch.dataset;

import java.util.Objects;
import java.util.Optional;

/**
 * Base vectors, query vectors and exact ground truth for the queries, immutable.
 *
 * <p>{@code groundTruth[q]} holds the positions (row numbers into {@code base}) of query q's
 * nearest neighbours, nearest first; {@code groundTruthDistances[q]} their distances as {@link
 * Metric} defines them, when known. {@code baseIds}, when present, maps a base position to the key
 * the target stores it under (a Milvus primary key); otherwise the key is the position itself.
 */
public final class Dataset {
  private final String name;
  private final Metric metric;
  private final Vectors base;
  private final Vectors queries;
  private final int[][] groundTruth;
  private final float[][] groundTruthDistances;
  private final long[] baseIds;

  private Dataset(Builder b) {
    this.name = Objects.requireNonNull(b.name, "name");
    this.metric = Objects.requireNonNull(b.metric, "metric");
    this.base = b.base;
    this.queries = Objects.requireNonNull(b.queries, "queries");
    this.groundTruth = Objects.requireNonNull(b.groundTruth, "groundTruth");
    this.groundTruthDistances = b.groundTruthDistances;
    this.baseIds = b.baseIds;
    if (groundTruth.length != queries.count()) {
      throw new IllegalArgumentException(
          "ground truth has "
              + groundTruth.length
              + " rows but there are "
              + queries.count()
              + " queries");
    }
    if (base != null && base.dim() != queries.dim()) {
      throw new IllegalArgumentException(
          "base vectors have dimension " + base.dim() + " but queries have " + queries.dim());
    }
  }

  public static Builder builder(String name, Metric metric) {
    return new Builder(name, metric);
  }

  public String name() {
    return name;
  }

  public Metric metric() {
    return metric;
  }

  /**
   * Base vectors; absent for a dataset that only carries queries and ground truth for a remote
   * collection.
   */
  public Optional<Vectors> base() {
    return Optional.ofNullable(base);
  }

  public Vectors queries() {
    return queries;
  }

  public int dim() {
    return queries.dim();
  }

  /**
   * Number of ground-truth neighbours known per query (the largest K recall can be computed for).
   */
  public int groundTruthDepth() {
    int min = Integer.MAX_VALUE;
    for (int[] row : groundTruth) {
      min = Math.min(min, row.length);
    }
    return groundTruth.length == 0 ? 0 : min;
  }

  /** Ground-truth positions of query {@code q}, nearest first. Do not modify. */
  public int[] groundTruth(int q) {
    return groundTruth[q];
  }

  /** Ground-truth distances of query {@code q}, when known. Do not modify. */
  public Optional<float[]> groundTruthDistances(int q) {
    return groundTruthDistances == null ? Optional.empty() : Optional.of(groundTruthDistances[q]);
  }

  /** The key a target stores base position {@code position} under. */
  public long keyOf(int position) {
    return baseIds == null ? position : baseIds[position];
  }

  public boolean hasBaseIds() {
    return baseIds != null;
  }

  public static final class Builder {
    private final String name;
    private final Metric metric;
    private Vectors base;
    private Vectors queries;
    private int[][] groundTruth;
    private float[][] groundTruthDistances;
    private long[] baseIds;

    private Builder(String name, Metric metric) {
      this.name = name;
      this.metric = metric;
    }

    public Builder base(Vectors v) {
      this.base = v;
      return this;
    }

    public Builder queries(Vectors v) {
      this.queries = v;
      return this;
    }

    public Builder groundTruth(int[][] ids, float[][] distances) {
      this.groundTruth = ids;
      this.groundTruthDistances = distances;
      return this;
    }

    public Builder baseIds(long[] ids) {
      this.baseIds = ids;
      return this;
    }

    public Dataset build() {
      return new Dataset(this);
    }
  }
}
