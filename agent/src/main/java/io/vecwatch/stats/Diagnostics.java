package io.vecwatch.stats;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.regex.Pattern;

/**
 * An immutable snapshot of a target's extra signals: named numeric series and info labels. Series
 * names are full Prometheus names (documented in {@code docs/metrics.md}); a series that is unknown
 * right now is simply absent.
 *
 * @param series numeric series, in a stable order
 * @param info labels for the target's {@code vecwatch_target_info} series (server version, index
 *     type, ...)
 */
public record Diagnostics(List<Series> series, Map<String, String> info) {
  private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
  private static final Pattern LABEL = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

  public static final Diagnostics EMPTY = new Diagnostics(List.of(), Map.of());

  public Diagnostics {
    series = List.copyOf(series);
    info = Map.copyOf(info);
    for (String key : info.keySet()) {
      if (!LABEL.matcher(key).matches()) {
        throw new IllegalArgumentException(
            "info label \"" + key + "\" is not a valid Prometheus label name");
      }
    }
  }

  /** Whether a series only goes up (exported as a counter) or may move either way (a gauge). */
  public enum Type {
    GAUGE,
    COUNTER
  }

  /**
   * One numeric series.
   *
   * @param name full metric name, e.g. {@code vecwatch_milvus_load_progress_ratio}
   * @param help one-line description, as in {@code docs/metrics.md}
   * @param labels extra labels beyond target/kind (e.g. {@code state}), possibly empty
   */
  public record Series(
      String name, String help, Type type, Map<String, String> labels, double value) {
    public Series {
      Objects.requireNonNull(help, "help");
      Objects.requireNonNull(type, "type");
      if (!NAME.matcher(name).matches()) {
        throw new IllegalArgumentException(
            "\"" + name + "\" is not a valid Prometheus metric name");
      }
      labels = Map.copyOf(labels);
      for (String key : labels.keySet()) {
        if (!LABEL.matcher(key).matches()) {
          throw new IllegalArgumentException(
              "label \"" + key + "\" of " + name + " is not a valid label name");
        }
      }
    }
  }

  /**
   * The value of series {@code name} with exactly {@code labels}, if present (tests, JSON status).
   */
  public OptionalDouble value(String name, Map<String, String> labels) {
    for (Series s : series) {
      if (s.name().equals(name) && s.labels().equals(labels)) {
        return OptionalDouble.of(s.value());
      }
    }
    return OptionalDouble.empty();
  }

  public OptionalDouble value(String name) {
    return value(name, Map.of());
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Collects series and info in insertion order. Not thread-safe. */
  public static final class Builder {
    private final List<Series> series = new ArrayList<>();
    private final Map<String, String> info = new LinkedHashMap<>();

    private Builder() {}

    public Builder gauge(String name, String help, double value) {
      return gauge(name, help, Map.of(), value);
    }

    public Builder gauge(String name, String help, Map<String, String> labels, double value) {
      series.add(new Series(name, help, Type.GAUGE, labels, value));
      return this;
    }

    public Builder counter(String name, String help, double value) {
      series.add(new Series(name, help, Type.COUNTER, Map.of(), value));
      return this;
    }

    public Builder info(String label, String value) {
      info.put(label, value);
      return this;
    }

    public Diagnostics build() {
      return new Diagnostics(series, info);
    }
  }
}
