package io.vecwatch.serverside;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * Server-side and client-side search latency over the same sliding window. Each scrape adds one
 * entry: the server's cumulative histogram at that instant and the client's latencies since the
 * previous scrape. The window's server figures come from the difference between the newest entry
 * and the entry at the window's start; its client figures from the client intervals in between — so
 * both sides cover the same span. Not thread-safe; the scraper owns it and publishes {@link
 * LatencyComparison} snapshots.
 */
final class LatencyWindow {
  private static final int MAX_ENTRIES = 10_000;

  private final long windowNanos;
  private final ArrayDeque<Entry> entries = new ArrayDeque<>();

  private record Entry(long atNanos, Buckets serverMs, double serverSumMs, Histogram client) {}

  LatencyWindow(long windowNanos) {
    this.windowNanos = windowNanos;
  }

  void add(long atNanos, Buckets serverMs, double serverSumMs, Histogram client) {
    Entry newest = new Entry(atNanos, serverMs, serverSumMs, client);
    Entry oldest = entries.peekFirst();
    if (oldest != null && serverMs.minus(oldest.serverMs) == null) {
      entries
          .clear(); // the server restarted (a count went down) or changed its buckets: start over
    }
    entries.addLast(newest);
    // Keep one entry at or before the window's start as the base of the difference.
    while (entries.size() > 2 && second().atNanos <= atNanos - windowNanos) {
      entries.removeFirst();
    }
    while (entries.size() > MAX_ENTRIES) {
      entries.removeFirst();
    }
  }

  private Entry second() {
    var it = entries.iterator();
    it.next();
    return it.next();
  }

  LatencyComparison stats() {
    if (entries.size() < 2) {
      return LatencyComparison.EMPTY;
    }
    Entry base = entries.peekFirst();
    Entry newest = entries.peekLast();
    double seconds = (newest.atNanos - base.atNanos) / 1e9;
    Buckets d = newest.serverMs.minus(base.serverMs);
    double n = d == null ? 0 : d.count();
    double rate = seconds > 0 && d != null ? n / seconds : Double.NaN;
    double mean =
        n > 0 && !Double.isNaN(newest.serverSumMs) && !Double.isNaN(base.serverSumMs)
            ? (newest.serverSumMs - base.serverSumMs) / n / 1000.0
            : Double.NaN;

    Histogram client = null;
    List<Entry> list = new ArrayList<>(entries);
    for (int i = 1; i < list.size(); i++) {
      Histogram h = list.get(i).client;
      if (client == null) {
        client = h.copy();
      } else {
        client.add(h);
      }
    }
    long cn = client == null ? 0 : client.getTotalCount();
    return new LatencyComparison(
        seconds,
        rate,
        q(d, 0.5),
        q(d, 0.95),
        q(d, 0.99),
        mean,
        cn,
        cq(client, 50),
        cq(client, 95),
        cq(client, 99),
        cn == 0 ? Double.NaN : client.getMean() / 1e9);
  }

  private static double q(Buckets d, double q) {
    return d == null ? Double.NaN : d.quantile(q) / 1000.0; // Milvus buckets are in milliseconds
  }

  private static double cq(Histogram h, double percentile) {
    return h == null || h.getTotalCount() == 0
        ? Double.NaN
        : h.getValueAtPercentile(percentile) / 1e9;
  }
}
