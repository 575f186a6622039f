package io.vecwatch.probe;

import io.vecwatch.dataset.Dataset;
import io.vecwatch.dataset.Metric;
import io.vecwatch.dataset.Vectors;
import io.vecwatch.target.SearchResult;
import java.util.Arrays;
import java.util.List;

/**
 * Recall@K of search results against a dataset's exact ground truth, for a fixed set of K values.
 * Built once per probe (it indexes the ground truth); {@link #compute} is then a pure function of
 * its arguments.
 *
 * <p><b>Id recall (VectorDBBench):</b> {@code |returned top-K ids ∩ first K ground-truth ids| / K}.
 * Ground-truth positions are mapped to keys with {@link Dataset#keyOf}. Set semantics: an id
 * returned twice counts once; a result shorter than K counts its missing entries as misses. Ties
 * are not forgiven: when several base vectors are exactly as far as the K-th ground-truth
 * neighbour, only the one the ground truth happened to list counts, so a correct index can score
 * below 1.0 on datasets with many ties.
 *
 * <p><b>Distance recall (ann-benchmarks):</b> a returned neighbour among the top K counts if its
 * distance to the query is at most the K-th ground-truth distance + {@value #EPSILON}. The answer
 * is the one {@link Metric#distance} over the dataset's base vectors gives, so ties count as hits.
 * Available only when the dataset has base vectors; ids that name no base vector never count. An id
 * that is among the first K ground-truth ids counts without a distance (it is no farther than the
 * K-th). For other ids, a distance the target reported with its result is used when it decides the
 * comparison beyond float rounding, and the distance is recomputed from the base vectors otherwise
 * (see {@link #compute(int, long[], float[], double[], double[])}), so the answer does not depend
 * on which distances a target reports.
 *
 * <pre>{@code
 * Recall r = Recall.of(dataset, List.of(10, 100));
 * double[] ids = new double[2], dist = new double[2];
 * r.compute(queryIndex, result.ids(), result.distances(), ids, dist); // ids[0] = recall@10
 * }</pre>
 */
public final class Recall {
  /** The ann-benchmarks tolerance added to the K-th true distance. */
  public static final double EPSILON = 1e-3;

  /** Added to the float-rounding bound when judging a reported distance (see {@link #compute}). */
  static final double ABSOLUTE_TOLERANCE = 1e-4;

  private final int[] ks;
  private final int depth;
  private static final long GOLDEN = 0x9E3779B97F4A7C15L;
  // per query: an open-addressing hash table (linear probing, load ≤ 1/2) from the keys of the
  // first `depth`
  // ground-truth neighbours to rank + 1 (0 marks an empty slot). A hash probe is one or two cache
  // lines; binary
  // search over the sorted keys measured 3-4 times slower (unpredictable branches).
  private final long[][] tableKeys;
  private final char[][] tableRanks;
  // per query: the keys of the first `depth` ground-truth neighbours in rank order, or null when a
  // key is listed twice. Results from a good index list mostly these in this order, so the rank
  // after the last one found is tried first: a sequential read instead of a hash probe.
  private final long[][] rankedKeys;
  private final int tableShift;
  private final int tableMask;
  // distance variant (null when the dataset has no base vectors)
  private final Metric metric;
  private final Vectors base;
  private final Vectors queries;
  private final double[][] thresholds; // [query][k slot]: K-th true distance + EPSILON
  private final long[] positionKeys; // sorted keys when the dataset has explicit ids, else null
  private final int[] positionOfKey;
  private final boolean trustsReported; // reported distances decide clear cases (not for IP)
  private final double relativeTolerance;

  private Recall(Dataset dataset, int[] ks) {
    this.ks = ks;
    this.depth = ks[ks.length - 1];
    int q = dataset.queries().count();
    int bits = 1;
    while ((1 << bits) < 2 * depth) {
      bits++;
    }
    this.tableShift = 64 - bits;
    this.tableMask = (1 << bits) - 1;
    this.tableKeys = new long[q][];
    this.tableRanks = new char[q][];
    this.rankedKeys = new long[q][];
    for (int i = 0; i < q; i++) {
      int[] gt = dataset.groundTruth(i);
      long[] keys = new long[1 << bits];
      char[] ranks = new char[1 << bits];
      long[] ranked = new long[depth];
      for (int r = 0; r < depth; r++) {
        long key = dataset.keyOf(gt[r]);
        ranked[r] = key;
        int slot = (int) ((key * GOLDEN) >>> tableShift);
        while (ranks[slot] != 0 && keys[slot] != key) {
          slot = (slot + 1) & tableMask;
        }
        if (ranks[slot] == 0) {
          keys[slot] = key;
          ranks[slot] = (char) (r + 1);
        } else {
          ranked = null; // a key listed twice keeps its first (nearest) rank: look every one up
        }
      }
      tableKeys[i] = keys;
      tableRanks[i] = ranks;
      rankedKeys[i] = ranked;
    }
    this.metric = dataset.metric();
    this.base = dataset.base().orElse(null);
    this.queries = dataset.queries();
    this.trustsReported = metric != Metric.IP;
    this.relativeTolerance = base == null ? 0 : (base.dim() + 16) * 0x1p-23;
    if (base == null) {
      this.thresholds = null;
      this.positionKeys = null;
      this.positionOfKey = null;
      return;
    }
    this.thresholds = new double[q][ks.length];
    for (int i = 0; i < q; i++) {
      float[] query = queries.row(i);
      int[] gt = dataset.groundTruth(i);
      for (int s = 0; s < ks.length; s++) {
        thresholds[i][s] = metric.distance(query, base.row(gt[ks[s] - 1])) + EPSILON;
      }
    }
    if (dataset.hasBaseIds()) {
      int n = base.count();
      Integer[] order = new Integer[n];
      for (int p = 0; p < n; p++) {
        order[p] = p;
      }
      Arrays.sort(order, (a, b) -> Long.compare(dataset.keyOf(a), dataset.keyOf(b)));
      this.positionKeys = new long[n];
      this.positionOfKey = new int[n];
      for (int j = 0; j < n; j++) {
        positionKeys[j] = dataset.keyOf(order[j]);
        positionOfKey[j] = order[j];
      }
    } else {
      this.positionKeys = null;
      this.positionOfKey = null;
    }
  }

  /**
   * Indexes {@code dataset}'s ground truth for the given K values.
   *
   * @throws IllegalArgumentException when a K is not positive or exceeds the ground-truth depth
   */
  public static Recall of(Dataset dataset, List<Integer> ks) {
    if (ks.isEmpty()) {
      throw new IllegalArgumentException("at least one K is needed");
    }
    int[] sorted = ks.stream().mapToInt(Integer::intValue).sorted().distinct().toArray();
    if (sorted[0] < 1) {
      throw new IllegalArgumentException("recall K must be positive, got " + sorted[0]);
    }
    int max = sorted[sorted.length - 1];
    if (max > Character.MAX_VALUE - 1) {
      throw new IllegalArgumentException(
          "recall K must be at most " + (Character.MAX_VALUE - 1) + ", got " + max);
    }
    int depth = dataset.groundTruthDepth();
    if (max > depth) {
      throw new IllegalArgumentException(
          "recall_k "
              + max
              + " exceeds the ground-truth depth "
              + depth
              + " of dataset "
              + dataset.name());
    }
    return new Recall(dataset, sorted);
  }

  /** The K values, ascending (a copy). Output arrays of {@link #compute} follow this order. */
  public int[] ks() {
    return ks.clone();
  }

  /** The number of neighbours a search must ask for: the largest K. */
  public int searchK() {
    return depth;
  }

  public boolean hasDistanceVariant() {
    return thresholds != null;
  }

  /**
   * Computes recall of one search result from its ids alone (distances, where needed, are computed
   * from the base vectors).
   *
   * @param query the query's index in the dataset
   * @param ids the returned keys, nearest first (may be shorter or longer than K, may hold
   *     duplicates)
   * @param idRecall receives recall@K per K (length {@code ks().length})
   * @param distanceRecall receives the distance variant per K, or null to skip it; ignored without
   *     base vectors
   */
  public void compute(int query, long[] ids, double[] idRecall, double[] distanceRecall) {
    compute(query, ids, null, idRecall, distanceRecall);
  }

  /**
   * Computes recall of one search result, taking distances from {@code distances} where they decide
   * the answer with certainty.
   *
   * <p>{@code distances} are the target's own distances for {@code ids} in this dataset's metric
   * ({@link SearchResult#distances()}), computed from the same float vectors in float precision or
   * better. For {@link Metric#L2} and {@link Metric#COSINE} such a distance is within a
   * float-rounding bound of the exact one, so a reported distance farther than that from the K-th
   * threshold decides hit or miss as the exact distance would; one within it (a near tie) is
   * recomputed exactly. The result is therefore identical to {@link #compute(int, long[], double[],
   * double[])}. Inner-product distances are always recomputed: cancellation in a float dot product
   * leaves no error bound relative to the result.
   *
   * @param distances reported distances, one per id, or null (or empty) when the target gave none
   */
  public void compute(
      int query, long[] ids, float[] distances, double[] idRecall, double[] distanceRecall) {
    boolean distance = distanceRecall != null && thresholds != null;
    int deepest = Math.min(ids.length, depth);
    float[] reported =
        distance && trustsReported && distances != null && distances.length >= deepest
            ? distances
            : null;
    for (int s = 0; s < ks.length; s++) {
      long h = hits(query, ids, reported, ks[s], distance ? thresholds[query][s] : Double.NaN);
      idRecall[s] = (double) (int) h / ks[s];
      if (distance) {
        distanceRecall[s] = (double) (int) (h >>> 32) / ks[s];
      }
    }
  }

  /**
   * Hits among the top {@code k} of {@code ids}: the id hits in the low 32 bits, the distance hits
   * (when {@code threshold} is not NaN) in the high 32. One pass per K with counters in registers:
   * the few lookups repeated for a smaller K cost less than carrying counts for all K in memory.
   */
  private long hits(int query, long[] ids, float[] reported, int k, double threshold) {
    boolean distance = !Double.isNaN(threshold);
    int n = Math.min(ids.length, k);
    long[] keys = tableKeys[query];
    char[] ranks = tableRanks[query];
    long[] ranked = rankedKeys[query];
    double tolerance = reported == null ? 0 : tolerance(threshold);
    int hits = 0;
    int distanceHits = 0;
    // first occurrence of a ground-truth rank: a later duplicate is in the top K only if the first
    // one is too. Ranks below 128 in two words, deeper ones in an array.
    long seen0 = 0;
    long seen1 = 0;
    long[] seenDeep = depth > 128 ? new long[(depth + 63) >>> 6] : null;
    int expected = 0; // the rank after the last ground-truth id found
    for (int i = 0; i < n; i++) {
      long id = ids[i];
      int rank =
          ranked != null && expected < depth && ranked[expected] == id
              ? expected
              : rankOf(keys, ranks, id);
      if (rank >= 0) {
        long bit = 1L << rank;
        if (seenDeep != null) {
          if ((seenDeep[rank >>> 6] & bit) != 0) {
            continue;
          }
          seenDeep[rank >>> 6] |= bit;
        } else if (rank < 64) {
          if ((seen0 & bit) != 0) {
            continue;
          }
          seen0 |= bit;
        } else {
          if ((seen1 & bit) != 0) {
            continue;
          }
          seen1 |= bit;
        }
        expected = rank + 1;
        if (rank < k) {
          hits++;
          distanceHits++; // no farther than the K-th: no distance needed
          continue;
        }
      }
      if (distance
          && within(query, id, reported == null ? Double.NaN : reported[i], threshold, tolerance)
          && (rank >= 0 || !seenEarlier(ids, i))) { // a repeated id counted at its first position
        distanceHits++;
      }
    }
    return (long) distanceHits << 32 | hits;
  }

  /**
   * Whether the base vector under {@code id} is within {@code threshold} of the query: decided by
   * the reported distance when it is farther than {@code tolerance} from the threshold, else by the
   * exact distance.
   */
  private boolean within(int query, long id, double reported, double threshold, double tolerance) {
    if (reported > threshold + tolerance) {
      return false; // the common miss: decided without touching the base vectors
    }
    if (reported <= threshold - tolerance) {
      return positionOf(id) >= 0; // an id that names no entity never counts
    }
    return distanceTo(query, id) <= threshold; // no reported distance (NaN), or a near tie
  }

  /**
   * How far a reported distance may be from the exact one: float rounding of the target's
   * arithmetic over {@code dim} terms (a relative error below {@code (dim + 16) * 2^-23} of the
   * squared L2 distance or of the cosine) and of its score conversion, plus {@value
   * #ABSOLUTE_TOLERANCE} absolute for distances near zero, where converting a score back loses
   * relative precision.
   */
  private double tolerance(double threshold) {
    return relativeTolerance * Math.max(1.0, Math.abs(threshold)) + ABSOLUTE_TOLERANCE;
  }

  /** The ground-truth rank of {@code key} among the first {@code depth}, or -1. */
  private int rankOf(long[] keys, char[] ranks, long key) {
    int slot = (int) ((key * GOLDEN) >>> tableShift);
    while (true) {
      int r = ranks[slot];
      if (r == 0) {
        return -1;
      }
      if (keys[slot] == key) {
        return r - 1;
      }
      slot = (slot + 1) & tableMask;
    }
  }

  private static boolean seenEarlier(long[] ids, int i) {
    for (int j = 0; j < i; j++) {
      if (ids[j] == ids[i]) {
        return true;
      }
    }
    return false;
  }

  /** The base-vector position stored under {@code key}, or -1 for a key that names none. */
  private int positionOf(long key) {
    if (positionKeys == null) {
      return key < 0 || key >= base.count() ? -1 : (int) key;
    }
    int j = Arrays.binarySearch(positionKeys, key);
    return j < 0 ? -1 : positionOfKey[j];
  }

  /**
   * Distance from query {@code query} to the base vector stored under {@code key}, read in place
   * (no copies on the probe path); +infinity for an unknown key.
   */
  private double distanceTo(int query, long key) {
    int position = positionOf(key);
    if (position < 0) {
      return Double.POSITIVE_INFINITY;
    }
    return metric.distance(
        queries.data(), queries.offset(query), base.data(), base.offset(position), base.dim());
  }
}
