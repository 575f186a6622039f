package io.vecwatch.target.milvus;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which optional calls a server supports for this session. A call the server does not implement
 * (Milvus Lite answers UNIMPLEMENTED to segment info, replicas, RBAC, ...) or forbids (a
 * least-privilege user) is marked unavailable once, logged once, and not tried again until the next
 * connection. Thread-safe.
 */
public final class Features {
  private static final Logger LOG = LoggerFactory.getLogger(Features.class);

  /** The optional signals, each backed by one or more SDK calls. */
  public enum Feature {
    HEALTH("CheckHealth"),
    VERSION("GetVersion"),
    LOAD_STATE("GetLoadState"),
    INDEX("DescribeIndex"),
    SEGMENTS("GetQuerySegmentInfo"),
    COUNT("Query count(*)"),
    SELF_RECALL("Query/Search for self-recall");

    private final String rpc;

    Feature(String rpc) {
      this.rpc = rpc;
    }

    public String rpc() {
      return rpc;
    }

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final String target;
  private final Map<Feature, String> unavailable = new EnumMap<>(Feature.class);

  public Features(String target) {
    this.target = target;
  }

  public synchronized boolean available(Feature f) {
    return !unavailable.containsKey(f);
  }

  /** Why {@code f} is unavailable, if it is. */
  public synchronized Optional<String> reason(Feature f) {
    return Optional.ofNullable(unavailable.get(f));
  }

  /**
   * Marks {@code f} unavailable if {@code failure} says the server cannot or will not serve it;
   * returns whether it did. Logged once per feature.
   */
  public boolean markIfUnsupported(Feature f, MilvusFailure failure) {
    String why;
    switch (failure.kind()) {
      case UNIMPLEMENTED -> why = "the server does not implement " + f.rpc();
      case PERMISSION_DENIED ->
          why = "the user lacks the privilege for " + f.rpc() + " (" + failure.detail() + ")";
      default -> {
        return false;
      }
    }
    synchronized (this) {
      if (unavailable.putIfAbsent(f, why) != null) {
        return true;
      }
    }
    LOG.info(
        "target {}: {} unavailable: {}; not asking again until reconnected",
        target,
        f.label(),
        why);
    return true;
  }
}
