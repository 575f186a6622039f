package io.vecwatch.rules.history;

import java.util.Map;

/**
 * How long samples are kept, per metric name: the longest range any loaded rule reads from that
 * name plus the lookback delta; names no range selector reads keep only the lookback.
 *
 * @param byName retention in milliseconds for names read by range selectors
 * @param defaultMillis retention for every other name
 */
public record Retention(Map<String, Long> byName, long defaultMillis) {
  public Retention {
    byName = Map.copyOf(byName);
  }

  /** Keep everything (promtool-style tests load their whole input up front). */
  public static Retention unlimited() {
    return new Retention(Map.of(), Long.MAX_VALUE / 4);
  }

  public long forName(String name) {
    return byName.getOrDefault(name, defaultMillis);
  }

  /** The longest retention of any name. */
  public long maxMillis() {
    long m = defaultMillis;
    for (long v : byName.values()) {
      m = Math.max(m, v);
    }
    return m;
  }
}
