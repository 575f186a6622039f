package io.vecwatch.stats;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One target at one instant, immutable.
 *
 * @param labels the target's configured extra labels
 * @param lastError the last search, health check or build error (one line, no secrets)
 * @param lastErrorWallMillis when it happened (epoch millis)
 * @param entities the entity count the target reported at the last successful check
 * @param expectedEntities the count its dataset expects (base vectors), when known
 * @param observed at least one search or health check finished, or the target is misconfigured
 * @param probes one entry per probe of this target, in config order
 * @param diagnostics the target's extra signals ({@link io.vecwatch.target.TargetDiagnostics}),
 *     empty if none
 */
public record TargetSnapshot(
    String name,
    String kind,
    Map<String, String> labels,
    TargetState state,
    Optional<String> lastError,
    OptionalLong lastErrorWallMillis,
    HealthSnapshot health,
    OptionalLong entities,
    OptionalLong expectedEntities,
    boolean observed,
    List<ProbeSnapshot> probes,
    Diagnostics diagnostics) {

  public TargetSnapshot {
    labels = Map.copyOf(labels);
    probes = List.copyOf(probes);
    Objects.requireNonNull(diagnostics, "diagnostics");
  }

  /** A target without diagnostics. */
  public TargetSnapshot(
      String name,
      String kind,
      Map<String, String> labels,
      TargetState state,
      Optional<String> lastError,
      OptionalLong lastErrorWallMillis,
      HealthSnapshot health,
      OptionalLong entities,
      OptionalLong expectedEntities,
      boolean observed,
      List<ProbeSnapshot> probes) {
    this(
        name,
        kind,
        labels,
        state,
        lastError,
        lastErrorWallMillis,
        health,
        entities,
        expectedEntities,
        observed,
        probes,
        Diagnostics.EMPTY);
  }
}
