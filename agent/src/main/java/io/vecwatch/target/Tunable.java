package io.vecwatch.target;

import java.util.List;
import java.util.OptionalInt;

/**
 * A target whose search-time parameter can be varied without rebuilding its index: HNSW {@code ef},
 * IVF {@code nprobe}. Used by {@code vecwatch bench load} to sweep recall against throughput.
 *
 * <pre>{@code
 * if (target instanceof Tunable t && t.tunableParameters().contains("ef")) {
 *   try (Target ef64 = t.withParameter("ef", 64)) { ... }
 * }
 * }</pre>
 */
public interface Tunable {
  /**
   * The parameters this target can vary, e.g. {@code ef}; empty when it has none (a flat index).
   */
  List<String> tunableParameters();

  /** The value the target searches with now, when it has one. */
  OptionalInt currentValue(String parameter);

  /**
   * A target that searches the same index with {@code parameter = value}. Closing it never closes
   * this target's index.
   *
   * @throws IllegalArgumentException when the parameter is not one of {@link #tunableParameters()}
   */
  Target withParameter(String parameter, int value) throws Exception;

  /** How a view searches: the tuned search of the target it comes from. */
  @FunctionalInterface
  interface Search {
    SearchResult search(float[] query, int k) throws Exception;
  }

  /**
   * A target named {@code name} of {@code kind} that searches through {@code search}; closing it
   * closes nothing (the index belongs to the target the view comes from).
   */
  static Target view(String name, String kind, Search search) {
    return new Target() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public String kind() {
        return kind;
      }

      @Override
      public SearchResult search(float[] query, int k) throws Exception {
        return search.search(query, k);
      }
    };
  }
}
