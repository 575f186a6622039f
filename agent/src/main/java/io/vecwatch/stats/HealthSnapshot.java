package io.vecwatch.stats;

import java.util.List;
import java.util.OptionalLong;

/**
 * The last health check of a target.
 *
 * @param up the last check succeeded and the target said healthy
 * @param consecutiveFailures failed checks in a row (0 when up)
 * @param lastCheckWallMillis when the last check finished (epoch millis), empty before the first
 * @param reasons why the target is not healthy (its own reasons or the check's error), empty when
 *     up
 */
public record HealthSnapshot(
    boolean up, int consecutiveFailures, OptionalLong lastCheckWallMillis, List<String> reasons) {

  public static final HealthSnapshot NONE =
      new HealthSnapshot(false, 0, OptionalLong.empty(), List.of());

  public HealthSnapshot {
    reasons = List.copyOf(reasons);
  }
}
