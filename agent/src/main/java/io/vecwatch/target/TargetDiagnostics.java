package io.vecwatch.target;

import io.vecwatch.stats.Diagnostics;

/**
 * Optional capability of a {@link Target}: signals beyond health and entity count (load progress,
 * index lag, quota states, self-recall, ...). The runtime polls it on the health schedule, off the
 * event loop, and publishes every {@link Diagnostics.Gauge} with the target's {@code target},
 * {@code kind} and configured labels added.
 *
 * <pre>{@code
 * if (target instanceof TargetDiagnostics d) {
 *   Diagnostics snapshot = d.diagnostics();
 * }
 * }</pre>
 */
public interface TargetDiagnostics {
  /**
   * A fresh snapshot. May block (network calls), each with its own deadline; throws only if nothing
   * is known.
   */
  Diagnostics diagnostics() throws Exception;
}
