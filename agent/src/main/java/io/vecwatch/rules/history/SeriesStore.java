package io.vecwatch.rules.history;

import io.vecwatch.promtext.Labels;
import io.vecwatch.promtext.Sample;
import io.vecwatch.rules.promql.Queryable;
import io.vecwatch.rules.promql.Series;
import io.vecwatch.rules.promql.StaleNaN;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rule engine's in-memory history: samples at evaluation resolution, kept per metric name for
 * as long as the loaded rules need ({@link Retention}), at most {@code maxSeries} series (new
 * series beyond the cap are dropped and counted) and at most {@code maxSamplesPerSeries} samples
 * each. Confined to the evaluation thread.
 */
public final class SeriesStore implements Queryable {
  private final int maxSeries;
  private final int maxSamplesPerSeries;
  private final Map<Labels, MemSeries> all = new HashMap<>();
  private final Map<String, List<MemSeries>> byName = new HashMap<>();
  private Retention retention = Retention.unlimited();
  private long droppedSamples;
  private long version;
  private final Map<String, long[]> versions = new HashMap<>();

  private SeriesStore(int maxSeries, int maxSamplesPerSeries) {
    this.maxSeries = maxSeries;
    this.maxSamplesPerSeries = maxSamplesPerSeries;
  }

  public static SeriesStore create(int maxSeries, int maxSamplesPerSeries) {
    if (maxSeries < 1 || maxSamplesPerSeries < 2) {
      throw new IllegalArgumentException("maxSeries must be >= 1 and maxSamplesPerSeries >= 2");
    }
    return new SeriesStore(maxSeries, maxSamplesPerSeries);
  }

  /** An unbounded store for promtool-style unit tests. */
  public static SeriesStore unbounded() {
    return new SeriesStore(Integer.MAX_VALUE, Integer.MAX_VALUE);
  }

  public void setRetention(Retention retention) {
    this.retention = retention;
  }

  public Retention retention() {
    return retention;
  }

  /**
   * Appends one sample at {@code t} (ms); false when the series cap refused a new series or the
   * sample is old.
   */
  public boolean append(Labels labels, long t, double v) {
    MemSeries s = all.get(labels);
    if (s == null) {
      if (all.size() >= maxSeries) {
        droppedSamples++;
        return false;
      }
      s = new MemSeries(labels, maxSamplesPerSeries);
      all.put(labels, s);
      byName.computeIfAbsent(labels.metricName(), k -> new ArrayList<>()).add(s);
    }
    if (!s.append(t, v)) {
      return false;
    }
    version++;
    versions.computeIfAbsent(labels.metricName(), k -> new long[1])[0]++;
    return true;
  }

  @Override
  public long version(String metricName) {
    if (metricName == null) {
      return version;
    }
    long[] v = versions.get(metricName);
    return v == null ? 0 : v[0];
  }

  /** Drops samples older than each name's retention and series left empty. */
  public void trim(long now) {
    for (Iterator<Map.Entry<String, List<MemSeries>>> it = byName.entrySet().iterator();
        it.hasNext(); ) {
      Map.Entry<String, List<MemSeries>> e = it.next();
      long keep = retention.forName(e.getKey());
      long min = now - keep;
      if (min >= now) {
        continue;
      }
      for (Iterator<MemSeries> si = e.getValue().iterator(); si.hasNext(); ) {
        MemSeries s = si.next();
        int before = s.size();
        s.trimBefore(min);
        if (s.size() != before) {
          version++;
          versions.computeIfAbsent(e.getKey(), k -> new long[1])[0]++;
        }
        if (s.size() == 0) {
          si.remove();
          all.remove(s.labels());
        }
      }
      if (e.getValue().isEmpty()) {
        it.remove();
      }
    }
  }

  @Override
  public Iterable<? extends Series> candidates(String metricName) {
    if (metricName == null) {
      return all.values();
    }
    List<MemSeries> l = byName.get(metricName);
    return l == null ? List.of() : l;
  }

  public int seriesCount() {
    return all.size();
  }

  public long sampleCount() {
    long n = 0;
    for (MemSeries s : all.values()) {
      n += s.size();
    }
    return n;
  }

  /** Samples refused because the series cap was reached (cumulative). */
  public long droppedSamples() {
    return droppedSamples;
  }

  /**
   * A writer that marks series stale when a later write no longer contains them, like a scrape
   * loop.
   */
  public Writer writer() {
    return new Writer();
  }

  /**
   * Writes batches of samples at one timestamp each and appends staleness markers for vanished
   * series.
   */
  public final class Writer {
    private Set<Labels> previous = Set.of();

    private Writer() {}

    public void write(long t, Collection<Sample> samples) {
      Set<Labels> now = new HashSet<>(samples.size() * 2);
      for (Sample s : samples) {
        if (append(s.labels(), t, s.value())) {
          now.add(s.labels());
        }
      }
      for (Labels l : previous) {
        if (!now.contains(l)) {
          append(l, t, StaleNaN.VALUE);
        }
      }
      previous = now;
    }

    /** Marks everything this writer wrote last as stale (its rule was removed). */
    public void markAllStale(long t) {
      write(t, List.of());
    }

    /**
     * Takes over what another writer wrote last, so a reloaded rule keeps its staleness
     * bookkeeping.
     */
    public void inherit(Writer other) {
      previous = other.previous;
    }
  }
}
