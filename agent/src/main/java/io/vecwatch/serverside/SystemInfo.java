package io.vecwatch.serverside;

import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * The hardware a database server reports about itself: memory (its container's limit when it has
 * one) and CPU cores. A target kind that can ask its server offers a {@link Source} through its
 * kind hooks (Milvus: {@code GetMetrics(system_info)}).
 */
public record SystemInfo(OptionalLong memoryBytes, OptionalDouble cpuCores) {
  /**
   * Where the figures come from: a target that can ask its server. Blocking; called from the
   * scraper's worker with the target's own deadline.
   */
  public interface Source {
    /**
     * The server's figures, empty when its answer holds none. Throws {@link
     * UnsupportedOperationException} when the server cannot answer at all (Milvus Lite): the
     * scraper then stops asking.
     */
    Optional<SystemInfo> fetch() throws Exception;
  }
}
