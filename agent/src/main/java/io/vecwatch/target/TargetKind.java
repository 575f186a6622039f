package io.vecwatch.target;

import io.vecwatch.config.ConfigNode;
import io.vecwatch.config.TargetConfig;
import io.vecwatch.config.TargetKindLookup;
import io.vecwatch.config.TargetSettings;
import io.vecwatch.serverside.ServerMetricsMapping;
import io.vecwatch.serverside.SystemInfo;
import java.util.Map;
import java.util.Optional;

/**
 * One kind of target: how to read its kind-specific config and how to build it. Each kind is a
 * constant inside its target class, listed once in {@code target.registry.TargetKinds}.
 *
 * <p>Besides {@link #parse} and {@link #create}, a kind may offer optional hooks that generic parts
 * of the agent call without knowing the kind: {@link #serverMetrics()} (how its server's metrics
 * page maps to vecwatch's server-side series), {@link #systemInfo} (where its server reports memory
 * and CPU), {@link #spanAttributes} (constant attributes on its probe spans), {@link
 * #groundTruthBase()} (base vectors for {@code groundtruth --from-<kind>} read from its
 * collections). A kind that offers none keeps the defaults: a new database kind is one package plus
 * one line in {@code target.registry.TargetKinds}.
 *
 * @param <S> the kind's typed, immutable settings
 */
public interface TargetKind<S extends TargetSettings> extends TargetKindLookup.SettingsReader {
  /** The {@code kind:} value in config. */
  String name();

  /**
   * Reads and validates this kind's keys (the common keys are already read); records problems on
   * {@code node}.
   */
  @Override
  S parse(ConfigNode node);

  /**
   * Builds the target from its config (common keys) and this kind's settings. May block (building
   * an index, connecting). Throws {@link TargetException} with a user-facing message for a user
   * mistake.
   */
  Target create(TargetConfig config, S settings, TargetContext context) throws Exception;

  /**
   * How this kind's server metrics page ({@code telemetry.server_metrics}) maps to vecwatch's
   * series.
   */
  default Optional<ServerMetricsMapping> serverMetrics() {
    return Optional.empty();
  }

  /** Where a target of this kind can ask its server for memory and CPU figures, when it can. */
  default Optional<SystemInfo.Source> systemInfo(S settings) {
    return Optional.empty();
  }

  /**
   * Constant attributes on a target's probe spans (e.g. {@code db.system.name}), in a stable order.
   */
  default Map<String, String> spanAttributes(S settings) {
    return Map.of();
  }

  /**
   * How {@code vecwatch groundtruth --from-<kind>} reads base vectors from this kind's database,
   * when it can.
   */
  default Optional<GroundTruthBase> groundTruthBase() {
    return Optional.empty();
  }
}
