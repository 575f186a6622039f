package io.vecwatch.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads the measured capacity ({@code capacity_rps}) from a {@code report.json} written by {@code
 * vecwatch bench load}, for {@code capacity_from_report}. Only that field is read, so a report from
 * a newer vecwatch still works as long as it keeps it.
 */
final class CapacityReport {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final long MAX_BYTES = 16L * 1024 * 1024;

  private CapacityReport() {}

  /**
   * The report's capacity in requests per second; throws with a user-facing reason when there is
   * none.
   */
  static double capacity(Path file) {
    JsonNode root;
    try {
      if (Files.size(file) > MAX_BYTES) {
        throw new IllegalArgumentException(
            "not a vecwatch bench load report (larger than 16 MiB): " + file);
      }
      root = MAPPER.readTree(file.toFile());
    } catch (JacksonException e) {
      throw new IllegalArgumentException(
          "not a vecwatch bench load report (not JSON, line "
              + e.getLocation().getLineNr()
              + "): "
              + file);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot read " + file + ": " + e.getClass().getSimpleName());
    }
    if (root == null || !root.isObject() || !root.has("capacity_rps") || !root.has("steps")) {
      throw new IllegalArgumentException(
          "not a vecwatch bench load report (no capacity_rps): " + file);
    }
    JsonNode c = root.get("capacity_rps");
    if (c.isNull()) {
      throw new IllegalArgumentException(
          "the report found no capacity (no open-loop rate held its objective): "
              + file
              + "; run vecwatch bench load again or set capacity_requests_per_second");
    }
    if (!c.isNumber() || !(c.asDouble() >= 0.001) || !(c.asDouble() <= 1e12)) {
      throw new IllegalArgumentException(
          "capacity_rps must be a number between 0.001 and 1000000000000 in " + file);
    }
    return c.asDouble();
  }
}
