package io.vecwatch.loadtest;

import java.util.Locale;

/** How a step sends load. */
public enum Mode {
  /**
   * N workers, each sending its next search as soon as the previous one answers (VectorDBBench).
   */
  CLOSED,
  /** A constant arrival rate; latency from each request's intended start (wrk2). */
  OPEN,
  /** A closed-loop step at one value of a search parameter (ann-benchmarks). */
  PARAMS;

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }
}
