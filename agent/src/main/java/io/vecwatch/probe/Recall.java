package io.vecwatch.probe;

import io.vecwatch.dataset.Dataset;
import io.vecwatch.dataset.Metric;
import io.vecwatch.dataset.Vectors;
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
 * distance to the query is at most the K-th ground-truth distance + {@value #EPSILON}. Both
 * distances are computed here with {@link Metric#distance} from the dataset's base vectors (the
 * target's scores are never trusted), so ties count as hits. Available only when the dataset has
 * base vectors; ids that name no base vector never count. An id that is among the first K
 * ground-truth ids counts without recomputing its distance (it is no farther than the K-th).
 *
 * <pre>{@code
 * Recall r = Recall.of(dataset, List.of(10, 100));
 * double[] ids = new double[2], dist = new double[2];
 * r.compute(queryIndex, result.ids(), ids, dist); // ids[0] = recall@10, ids[1] = recall@100
 * }</pre>
 */
public final class Recall {
  /** The ann-benchmarks tolerance added to the K-th true distance. */
  public static final double EPSILON = 1e-3;

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
  private final int tableShift;
  private final int tableMask;
  // distance variant (null when the dataset has no base vectors)
  private final Metric metric;
  private final Vectors base;
  private final Vectors queries;
  private final double[][] thresholds; // [query][k slot]: K-th true distance + EPSILON
  private final long[] positionKeys; // sorted keys when the dataset has explicit ids, else null
  private final int[] positionOfKey;

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
    for (int i = 0; i < q; i++) {
      int[] gt = dataset.groundTruth(i);
      long[] keys = new long[1 << bits];
      char[] ranks = new char[1 << bits];
      for (int r = 0; r < depth; r++) {
        long key = dataset.keyOf(gt[r]);
        int slot = (int) ((key * GOLDEN) >>> tableShift);
        while (ranks[slot] != 0 && keys[slot] != key) {
          slot = (slot + 1) & tableMask;
        }
        if (ranks[slot] == 0) { // a key listed twice keeps its first (nearest) rank
          keys[slot] = key;
          ranks[slot] = (char) (r + 1);
        }
      }
      tableKeys[i] = keys;
      tableRanks[i] = ranks;
    }
    this.metric = dataset.metric();
    this.base = dataset.base().orElse(null);
    this.queries = dataset.queries();
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
   * Computes recall of one search result.
   *
   * @param query the query's index in the dataset
   * @param ids the returned keys, nearest first (may be shorter or longer than K, may hold
   *     duplicates)
   * @param idRecall receives recall@K per K (length {@code ks().length})
   * @param distanceRecall receives the distance variant per K, or null to skip it; ignored without
   *     base vectors
   */
  public void compute(int query, long[] ids, double[] idRecall, double[] distanceRecall) {
    int n = Math.min(ids.length, depth);
    long[] keys = tableKeys[query];
    char[] ranks = tableRanks[query];
    boolean distance = distanceRecall != null && thresholds != null;
    int[] hits = new int[ks.length];
    int[] distanceHits = distance ? new int[ks.length] : null;
    // first occurrence of a ground-truth rank: a later duplicate is in the top K only if the first
    // one is too
    boolean[] seenRank = new boolean[depth];
    for (int i = 0; i < n; i++) {
      int rank = rankOf(keys, ranks, ids[i]);
      if (rank >= 0) {
        if (seenRank[rank]) {
          continue;
        }
        seenRank[rank] = true;
      } else if (distance && seenEarlier(ids, i)) {
        continue;
      }
      double d =
          Double
              .NaN; // computed lazily, at most once per returned id, only for ids outside the top K
      for (int s = ks.length - 1; s >= 0 && i < ks[s]; s--) {
        int k = ks[s];
        if (rank >= 0 && rank < k) {
          hits[s]++;
          if (distance) {
            distanceHits[s]++;
          }
        } else if (distance) {
          if (Double.isNaN(d)) {
            d = distanceTo(query, ids[i]);
          }
          if (d <= thresholds[query][s]) {
            distanceHits[s]++;
          }
        }
      }
    }
    for (int s = 0; s < ks.length; s++) {
      idRecall[s] = (double) hits[s] / ks[s];
      if (distance) {
        distanceRecall[s] = (double) distanceHits[s] / ks[s];
      }
    }
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

  /**
   * Distance from query {@code query} to the base vector stored under {@code key}, read in place
   * (no copies on the probe path); +infinity for an unknown key.
   */
  private double distanceTo(int query, long key) {
    int position;
    if (positionKeys == null) {
      if (key < 0 || key >= base.count()) {
        return Double.POSITIVE_INFINITY;
      }
      position = (int) key;
    } else {
      int j = Arrays.binarySearch(positionKeys, key);
      if (j < 0) {
        return Double.POSITIVE_INFINITY;
      }
      position = positionOfKey[j];
    }
    return metric.distance(
        queries.data(), queries.offset(query), base.data(), base.offset(position), base.dim());
  }
}
