package io.vecwatch.stats;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Every search the agent itself sends to a database, per target: canaries and self-recall samples
 * alike. The server-side monitor subtracts these from the server's own search count so that
 * "served" traffic is the other clients' only, zero when nobody else searches. A search counts once
 * per request, whatever its number of query vectors (Milvus counts requests, not vectors).
 * Cumulative, thread-safe, wait-free to add to.
 *
 * <pre>{@code
 * OwnSearches own = new OwnSearches();
 * own.add("milvus");              // after each search the server may have served
 * long sent = own.total("milvus");
 * }</pre>
 */
public final class OwnSearches {
  private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

  public void add(String target) {
    counts.computeIfAbsent(target, t -> new LongAdder()).increment();
  }

  /** Searches sent to {@code target} so far; 0 for a target that never counted any. */
  public long total(String target) {
    LongAdder a = counts.get(target);
    return a == null ? 0 : a.sum();
  }
}
