package io.vecwatch.target;

/**
 * Result of one search: keys of the returned entities, nearest first, and the target's own scores
 * for them (in the target's convention; may be empty when the target reports none). Arrays are
 * owned by the result.
 */
public record SearchResult(long[] ids, float[] scores) {
  public SearchResult {
    if (scores.length != 0 && scores.length != ids.length) {
      throw new IllegalArgumentException(
          "scores length " + scores.length + " != ids length " + ids.length);
    }
  }

  public int size() {
    return ids.length;
  }
}
