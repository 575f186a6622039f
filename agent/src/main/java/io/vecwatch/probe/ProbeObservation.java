package io.vecwatch.probe;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Collections;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * One finished canary search as the probe runner saw it, handed to {@link ProbeListener}s.
 * Immutable.
 *
 * @param target the target's configured name
 * @param kind the target's kind ({@code milvus}, {@code flat}, ...)
 * @param dataset the dataset the query came from
 * @param k how many neighbours were asked for
 * @param latencyNanos from the intended start to completion (what the latency histogram records)
 * @param recall recall@K by K, for successful searches only
 * @param error what went wrong, for {@code ERROR} and {@code TIMEOUT}
 */
public record ProbeObservation(
    String target,
    String kind,
    String dataset,
    int k,
    Outcome outcome,
    long latencyNanos,
    Map<Integer, Double> recall,
    Optional<Throwable> error) {

  /** The {@code outcome} label values of {@code vecwatch_probe_requests_total}. */
  public enum Outcome {
    OK,
    ERROR,
    TIMEOUT;

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public ProbeObservation {
    if (!(recall instanceof RecallByK)) {
      recall = Collections.unmodifiableMap(new TreeMap<>(recall));
    }
  }

  /**
   * A successful search as the probe runner records it: recall@K as two arrays, with no boxing or
   * map built unless a listener reads the map.
   *
   * @param ks the K values, ascending; never modified afterwards (the probe's own copy)
   * @param recall recall@K per K, owned by the observation from now on
   */
  static ProbeObservation ok(
      String target,
      String kind,
      String dataset,
      int k,
      long latencyNanos,
      int[] ks,
      double[] recall) {
    return new ProbeObservation(
        target,
        kind,
        dataset,
        k,
        Outcome.OK,
        latencyNanos,
        new RecallByK(ks, recall),
        Optional.empty());
  }

  public static ProbeObservation ok(
      String target,
      String kind,
      String dataset,
      int k,
      long latencyNanos,
      Map<Integer, Double> recall) {
    return new ProbeObservation(
        target, kind, dataset, k, Outcome.OK, latencyNanos, recall, Optional.empty());
  }

  public static ProbeObservation failed(
      String target,
      String kind,
      String dataset,
      int k,
      Outcome outcome,
      long latencyNanos,
      Throwable error) {
    if (outcome == Outcome.OK) {
      throw new IllegalArgumentException("a failed observation needs outcome error or timeout");
    }
    return new ProbeObservation(
        target, kind, dataset, k, outcome, latencyNanos, Map.of(), Optional.of(error));
  }

  /** An immutable map from ascending K to recall, over two arrays; iterates in K order. */
  private static final class RecallByK extends AbstractMap<Integer, Double> {
    private final int[] ks;
    private final double[] values;

    RecallByK(int[] ks, double[] values) {
      this.ks = ks;
      this.values = values;
    }

    @Override
    public int size() {
      return ks.length;
    }

    @Override
    public Double get(Object key) {
      if (key instanceof Integer k) {
        for (int i = 0; i < ks.length; i++) {
          if (ks[i] == k) {
            return values[i];
          }
        }
      }
      return null;
    }

    @Override
    public boolean containsKey(Object key) {
      return get(key) != null;
    }

    @Override
    public Set<Entry<Integer, Double>> entrySet() {
      return new AbstractSet<>() {
        @Override
        public int size() {
          return ks.length;
        }

        @Override
        public Iterator<Entry<Integer, Double>> iterator() {
          return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
              return next < ks.length;
            }

            @Override
            public Entry<Integer, Double> next() {
              if (next >= ks.length) {
                throw new NoSuchElementException();
              }
              int i = next++;
              return new SimpleImmutableEntry<>(ks[i], values[i]);
            }
          };
        }
      };
    }
  }
}
