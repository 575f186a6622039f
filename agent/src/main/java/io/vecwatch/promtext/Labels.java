package io.vecwatch.promtext;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * An immutable label set sorted by name, the metric name included as {@code __name__}: Prometheus'
 * data model. A label with an empty value does not exist ({@link #get} returns {@code ""} for it),
 * as in Prometheus.
 *
 * <pre>{@code
 * Labels l = Labels.of("__name__", "up", "target", "flat");
 * l.get("target");      // "flat"
 * l.withoutName();      // {target="flat"}
 * }</pre>
 */
public final class Labels implements Comparable<Labels> {
  /** The label holding the metric name. */
  public static final String NAME = "__name__";

  public static final Labels EMPTY = new Labels(new String[0], new String[0]);

  private final String[] names;
  private final String[] values;
  private int hash;

  /**
   * {@link #withoutName()}, computed once (rule evaluation asks for it for every series of every
   * rule).
   */
  private Labels withoutName;

  private String metricName;

  /**
   * The last {@link #signature} asked for, by the identity of its label set (rules ask with the
   * same set).
   */
  private Signature lastSignature;

  private record Signature(boolean on, Set<String> labelNames, String value) {}

  private Labels(String[] names, String[] values) {
    this.names = names;
    this.values = values;
  }

  /**
   * Labels from alternating name/value arguments; empty values are dropped, later duplicates win.
   */
  public static Labels of(String... nameValues) {
    if (nameValues.length % 2 != 0) {
      throw new IllegalArgumentException("odd number of arguments");
    }
    Builder b = builder();
    for (int i = 0; i < nameValues.length; i += 2) {
      b.set(nameValues[i], nameValues[i + 1]);
    }
    return b.build();
  }

  public static Labels fromMap(Map<String, String> map) {
    Builder b = builder();
    map.forEach(b::set);
    return b.build();
  }

  public static Builder builder() {
    return new Builder(EMPTY);
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  public int size() {
    return names.length;
  }

  public boolean isEmpty() {
    return names.length == 0;
  }

  public String nameAt(int i) {
    return names[i];
  }

  public String valueAt(int i) {
    return values[i];
  }

  /** The value of {@code name}, or {@code ""} when the label is not set. */
  public String get(String name) {
    int i = Arrays.binarySearch(names, name);
    return i < 0 ? "" : values[i];
  }

  public boolean has(String name) {
    return Arrays.binarySearch(names, name) >= 0;
  }

  /** The metric name, or {@code ""}. */
  public String metricName() {
    String n = metricName;
    if (n == null) {
      n = get(NAME);
      metricName = n;
    }
    return n;
  }

  public Labels withoutName() {
    Labels w = withoutName;
    if (w == null) {
      w = has(NAME) ? toBuilder().delete(NAME).build() : this;
      withoutName = w; // a benign race: every thread computes the same value
    }
    return w;
  }

  /** Only the labels named in {@code keep}. */
  public Labels keep(Collection<String> keep) {
    Builder b = builder();
    for (int i = 0; i < names.length; i++) {
      if (keep.contains(names[i])) {
        b.set(names[i], values[i]);
      }
    }
    return b.build();
  }

  /** Every label except those in {@code drop}. */
  public Labels drop(Collection<String> drop) {
    Builder b = toBuilder();
    for (String n : drop) {
      b.delete(n);
    }
    return b.build();
  }

  public Map<String, String> toMap() {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < names.length; i++) {
      m.put(names[i], values[i]);
    }
    return m;
  }

  /**
   * A key identifying the values of {@code on} labels (when {@code on}) or of all labels but {@code
   * names} and the metric name (when not); used for vector matching and grouping.
   */
  public String signature(boolean on, Set<String> labelNames) {
    // Remembered for the last (on, names) asked: every rule grouping `by (target)` asks with its
    // own
    // set object, so equal sets count as the same question. A property of these labels, not of
    // any sample or time.
    Signature last = lastSignature;
    if (last != null
        && last.on() == on
        && (last.labelNames() == labelNames || last.labelNames().equals(labelNames))) {
      return last.value();
    }
    String sig = computeSignature(on, labelNames);
    lastSignature = new Signature(on, labelNames, sig);
    return sig;
  }

  private String computeSignature(boolean on, Set<String> labelNames) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < names.length; i++) {
      boolean listed = labelNames.contains(names[i]);
      boolean include = on ? listed : !listed && !names[i].equals(NAME);
      if (include) {
        sb.append(names[i]).append('\u0000').append(values[i]).append('\u0001');
      }
    }
    return sb.toString();
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    return o instanceof Labels l
        && hashCode() == l.hashCode()
        && Arrays.equals(names, l.names)
        && Arrays.equals(values, l.values);
  }

  @Override
  public int hashCode() {
    int h = hash;
    if (h == 0) {
      h = 31 * Arrays.hashCode(names) + Arrays.hashCode(values);
      hash = h == 0 ? 1 : h;
    }
    return hash;
  }

  /** Prometheus' {@code labels.Compare}: pairwise by name then value, then by length. */
  @Override
  public int compareTo(Labels o) {
    int n = Math.min(names.length, o.names.length);
    for (int i = 0; i < n; i++) {
      int c = names[i].compareTo(o.names[i]);
      if (c != 0) {
        return c;
      }
      c = values[i].compareTo(o.values[i]);
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(names.length, o.names.length);
  }

  /**
   * Prometheus' {@code Labels.String()}: {@code {__name__="up", job="x"}}, values quoted like Go's
   * %q.
   */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("{");
    for (int i = 0; i < names.length; i++) {
      if (i > 0) {
        sb.append(", ");
      }
      sb.append(names[i]).append('=');
      quote(sb, values[i]);
    }
    return sb.append('}').toString();
  }

  /** The series notation: {@code name{a="b"}}, or just the braces when there is no name. */
  public String toSeriesString() {
    String name = metricName();
    Labels rest = withoutName();
    if (name.isEmpty()) {
      return rest.toString();
    }
    return rest.isEmpty() ? name : name + rest;
  }

  /** Appends {@code s} as a Go double-quoted string. */
  public static void quote(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\t' -> sb.append("\\t");
        case '\r' -> sb.append("\\r");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            sb.append(String.format("\\x%02x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }

  /** Whether {@code s} is a valid Prometheus label name. */
  public static boolean isValidLabelName(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok =
          c == '_'
              || (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (i > 0 && c >= '0' && c <= '9');
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** Whether {@code s} is a valid Prometheus metric name (label name characters plus {@code :}). */
  public static boolean isValidMetricName(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok =
          c == '_'
              || c == ':'
              || (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (i > 0 && c >= '0' && c <= '9');
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /**
   * A read-only {@link Map} view of these labels (no copy); lookups are binary searches. Iterates
   * in name order.
   */
  public Map<String, String> asMap() {
    return new AbstractMap<>() {
      @Override
      public String get(Object key) {
        if (!(key instanceof String k)) {
          return null;
        }
        int i = Arrays.binarySearch(names, k);
        return i < 0 ? null : values[i];
      }

      @Override
      public boolean containsKey(Object key) {
        return get(key) != null;
      }

      @Override
      public int size() {
        return names.length;
      }

      @Override
      public Set<Map.Entry<String, String>> entrySet() {
        return new AbstractSet<>() {
          @Override
          public Iterator<Map.Entry<String, String>> iterator() {
            return new Iterator<>() {
              private int i;

              @Override
              public boolean hasNext() {
                return i < names.length;
              }

              @Override
              public Map.Entry<String, String> next() {
                if (i >= names.length) {
                  throw new NoSuchElementException();
                }
                Map.Entry<String, String> e = Map.entry(names[i], values[i]);
                i++;
                return e;
              }
            };
          }

          @Override
          public int size() {
            return names.length;
          }
        };
      }
    };
  }

  /**
   * Collects label changes; {@code set(name, "")} deletes, as in Prometheus' {@code
   * labels.Builder}.
   */
  public static final class Builder {
    private String[] names;
    private String[] values;
    private int size;

    private Builder(Labels base) {
      size = base.names.length;
      names = Arrays.copyOf(base.names, size + 4);
      values = Arrays.copyOf(base.values, size + 4);
    }

    private int find(String name) {
      return Arrays.binarySearch(names, 0, size, name);
    }

    public Builder set(String name, String value) {
      if (value == null || value.isEmpty()) {
        return delete(name);
      }
      int i = find(name);
      if (i >= 0) {
        values[i] = value;
        return this;
      }
      int at = -(i + 1);
      if (size == names.length) {
        names = Arrays.copyOf(names, size * 2 + 4);
        values = Arrays.copyOf(values, size * 2 + 4);
      }
      System.arraycopy(names, at, names, at + 1, size - at);
      System.arraycopy(values, at, values, at + 1, size - at);
      names[at] = name;
      values[at] = value;
      size++;
      return this;
    }

    public Builder delete(String name) {
      int i = find(name);
      if (i >= 0) {
        System.arraycopy(names, i + 1, names, i, size - i - 1);
        System.arraycopy(values, i + 1, values, i, size - i - 1);
        size--;
        names[size] = null;
        values[size] = null;
      }
      return this;
    }

    public Builder keep(Collection<String> keep) {
      int n = 0;
      for (int i = 0; i < size; i++) {
        if (keep.contains(names[i])) {
          names[n] = names[i];
          values[n] = values[i];
          n++;
        }
      }
      for (int i = n; i < size; i++) {
        names[i] = null;
        values[i] = null;
      }
      size = n;
      return this;
    }

    public Labels build() {
      if (size == 0) {
        return EMPTY;
      }
      return new Labels(Arrays.copyOf(names, size), Arrays.copyOf(values, size));
    }
  }
}
