package io.vecwatch.stats;

/**
 * Hands out the agent's current state. Implemented by the agent; read by HTTP, metrics and the rule
 * engine.
 */
@FunctionalInterface
public interface SnapshotSource {
  /** A fresh snapshot taken now. Cheap enough to call a few times per second. */
  AgentSnapshot snapshot();
}
