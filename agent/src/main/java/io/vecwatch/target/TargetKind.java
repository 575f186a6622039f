package io.vecwatch.target;

import io.vecwatch.config.ConfigNode;
import io.vecwatch.config.TargetConfig;

/**
 * One kind of target: how to read its kind-specific config and how to build it. Each kind is a constant
 * inside its target class, listed once in {@link TargetKinds}.
 *
 * @param <S> the kind's typed, immutable settings
 */
public interface TargetKind<S extends TargetSettings> {
  /** The {@code kind:} value in config. */
  String name();

  /** Reads and validates this kind's keys (the common keys are already read); records problems on {@code node}. */
  S parse(ConfigNode node);

  /**
   * Builds the target from its config (common keys) and this kind's settings. May block (building an index,
   * connecting). Throws {@link TargetException} with a user-facing message for a user mistake.
   */
  Target create(TargetConfig config, S settings, TargetContext context) throws Exception;
}
