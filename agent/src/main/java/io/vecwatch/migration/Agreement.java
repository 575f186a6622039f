package io.vecwatch.migration;

import io.vecwatch.target.SearchResult;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * How far two answers to the same query agree. Pure functions of the two results.
 *
 * <ul>
 *   <li><b>overlap@K</b> = |top-K(source) ∩ top-K(destination)| / K (set semantics: an id returned
 *       twice counts once; a side that returned fewer than K ids counts the missing ones as
 *       misses).
 *   <li><b>relative score difference</b> over the ids both sides returned in their top {@code
 *       maxK}: the mean of |s − d| / max(|s|, |d|) (0 when both are 0), in [0, 1]. Scores are
 *       compared in vecwatch's convention (distances as {@code Metric} defines them, which the
 *       Milvus and flat kinds report); NaN when no id is shared or a side reports no scores.
 * </ul>
 */
public final class Agreement {
  private Agreement() {}

  /** overlap@K for each of {@code ks}, into {@code out} (same order). */
  public static void overlap(
      SearchResult source, SearchResult destination, int[] ks, double[] out) {
    for (int i = 0; i < ks.length; i++) {
      out[i] = overlap(source.ids(), destination.ids(), ks[i]);
    }
  }

  /** |top-k(a) ∩ top-k(b)| / k. */
  public static double overlap(long[] a, long[] b, int k) {
    Set<Long> top = new HashSet<>();
    for (int i = 0; i < Math.min(k, a.length); i++) {
      top.add(a[i]);
    }
    Set<Long> shared = new HashSet<>();
    for (int i = 0; i < Math.min(k, b.length); i++) {
      if (top.contains(b[i])) {
        shared.add(b[i]);
      }
    }
    return (double) shared.size() / k;
  }

  /**
   * The mean relative score difference of ids both returned in their first {@code k}; NaN when none
   * is shared.
   */
  public static double relativeScoreDifference(
      SearchResult source, SearchResult destination, int k) {
    if (source.scores().length == 0 || destination.scores().length == 0) {
      return Double.NaN;
    }
    Map<Long, Float> sourceScores = new HashMap<>();
    for (int i = 0; i < Math.min(k, source.size()); i++) {
      sourceScores.putIfAbsent(source.ids()[i], source.scores()[i]);
    }
    double sum = 0;
    int n = 0;
    Set<Long> seen = new HashSet<>();
    for (int i = 0; i < Math.min(k, destination.size()); i++) {
      long id = destination.ids()[i];
      Float s = sourceScores.get(id);
      if (s == null || !seen.add(id)) {
        continue;
      }
      double a = s;
      double b = destination.scores()[i];
      double scale = Math.max(Math.abs(a), Math.abs(b));
      sum += scale == 0 ? 0 : Math.min(1.0, Math.abs(a - b) / scale);
      n++;
    }
    return n == 0 ? Double.NaN : sum / n;
  }
}
