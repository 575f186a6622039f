package io.vecwatch.probe;

import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
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
    recall = Collections.unmodifiableMap(new TreeMap<>(recall));
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
}
