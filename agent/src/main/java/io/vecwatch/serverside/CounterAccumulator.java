package io.vecwatch.serverside;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Keeps a monotonic total per key over an upstream counter that resets when the server restarts: a
 * drop is taken as a restart and the new value as the increase since. The first reading is taken
 * as-is. Not thread-safe (one scraper updates); {@link #totals()} returns a copy.
 */
final class CounterAccumulator {
  private final Map<String, double[]> state =
      new LinkedHashMap<>(); // key -> {last upstream, our total}

  void update(Map<String, Double> upstream) {
    upstream.forEach(
        (k, v) -> {
          double[] s = state.get(k);
          if (s == null) {
            state.put(k, new double[] {v, v});
          } else {
            s[1] += v >= s[0] ? v - s[0] : v;
            s[0] = v;
          }
        });
  }

  Map<String, Double> totals() {
    Map<String, Double> out = new LinkedHashMap<>();
    state.forEach((k, s) -> out.put(k, s[1]));
    return out;
  }
}
