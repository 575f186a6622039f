package io.vecwatch.target;

/**
 * Result of one search: keys of the returned entities, nearest first, the target's own scores for
 * them (in the target's convention; may be empty when the target reports none), and, when the
 * target can vouch for them, the same scores as distances in the dataset's metric (smaller is
 * closer, as {@code Metric} defines them), computed from the stored float vectors in float
 * precision or better (empty otherwise: an index that scores quantised vectors reports none).
 * Arrays are owned by the result.
 *
 * <pre>{@code
 * new SearchResult(ids, luceneScores, distances); // distances let recall skip recomputing them
 * }</pre>
 */
public record SearchResult(long[] ids, float[] scores, float[] distances) {
  private static final float[] NONE = new float[0];

  public SearchResult {
    if (scores.length != 0 && scores.length != ids.length) {
      throw new IllegalArgumentException(
          "scores length " + scores.length + " != ids length " + ids.length);
    }
    if (distances.length != 0 && distances.length != ids.length) {
      throw new IllegalArgumentException(
          "distances length " + distances.length + " != ids length " + ids.length);
    }
  }

  /** A result whose scores are not known to be exact distances. */
  public SearchResult(long[] ids, float[] scores) {
    this(ids, scores, NONE);
  }

  public int size() {
    return ids.length;
  }
}
