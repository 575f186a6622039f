package io.vecwatch.target;

import java.util.Optional;
import java.util.Random;

/**
 * Optional capability of a {@link Target}: reading stored vectors back by key (Milvus {@code get}
 * by primary key, in-process kinds by id). Migration checks compare records of two targets with it.
 * Methods may block; callers run them on the target's worker pool.
 *
 * <pre>{@code
 * if (target instanceof RecordReader r) {
 *   long[] keys = r.sampleKeys(32, random);
 *   float[][] vectors = r.vectors(keys); // vectors[i] == null: the target holds no record under keys[i]
 * }
 * }</pre>
 */
public interface RecordReader {
  /**
   * The vectors stored under {@code keys}, in the same order; {@code null} where the target holds
   * no such key. Throws when the target cannot be asked.
   */
  float[][] vectors(long[] keys) throws Exception;

  /**
   * Up to {@code n} distinct keys the target holds, drawn across its whole key range (uniformly
   * over the dataset's keys for in-process kinds; a target that can only walk its keys covers the
   * range over successive calls).
   */
  long[] sampleKeys(int n, Random random) throws Exception;

  /**
   * {@code t}'s record reader, looking through wrappers (fault injection); empty when its kind has
   * none.
   */
  static Optional<RecordReader> of(Target t) {
    Target inner = FaultInjection.unwrap(t).orElse(t);
    return inner instanceof RecordReader r ? Optional.of(r) : Optional.empty();
  }
}
