package io.vecwatch.serverside;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * The hardware a Milvus server reports in {@code GetMetrics({"metric_type":"system_info"})}: memory (Milvus
 * reads its container's limit when it has one) and CPU cores. Taken from the proxy's node entry when present
 * (the proxy serves the scraped metrics page), else from the first node.
 */
public record SystemInfo(OptionalLong memoryBytes, OptionalDouble cpuCores) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Parses the {@code response} JSON of GetMetrics; empty when it holds no hardware figures. */
  public static Optional<SystemInfo> parse(String json) {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (IOException e) {
      return Optional.empty();
    }
    JsonNode chosen = null;
    for (JsonNode node : root.path("nodes_info")) {
      JsonNode infos = node.path("infos");
      if (!infos.path("hardware_infos").isObject()) {
        continue;
      }
      if (chosen == null || "proxy".equals(infos.path("type").asText())) {
        chosen = infos.path("hardware_infos");
      }
    }
    if (chosen == null) {
      return Optional.empty();
    }
    long mem = chosen.path("memory").asLong(0);
    double cores = chosen.path("cpu_core_count").asDouble(0);
    if (mem <= 0 && cores <= 0) {
      return Optional.empty();
    }
    return Optional.of(new SystemInfo(mem > 0 ? OptionalLong.of(mem) : OptionalLong.empty(),
        cores > 0 ? OptionalDouble.of(cores) : OptionalDouble.empty()));
  }

  /**
   * Where {@code GetMetrics(system_info)} comes from: a target that can ask its server. Blocking; called from the
   * scraper's worker with the target's own deadline.
   */
  public interface Source {
    /**
     * The raw {@code response} JSON. Throws {@link UnsupportedOperationException} when the server does not
     * implement GetMetrics (Milvus Lite): the scraper then stops asking.
     */
    String fetch() throws Exception;
  }
}
