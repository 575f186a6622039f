package io.vecwatch.config;

import java.util.List;
import java.util.Optional;

/**
 * How the config loader finds the reader for a target's {@code kind:}. The config package knows no
 * target kind itself; the target registry implements this and the caller hands it to {@link
 * ConfigLoader}.
 *
 * <pre>{@code
 * VecwatchConfig c = new ConfigLoader(System.getenv(), TargetKinds.lookup()).load(file);
 * }</pre>
 */
public interface TargetKindLookup {
  /** The settings reader for {@code kind}, or empty when no such kind is registered. */
  Optional<? extends SettingsReader> byName(String kind);

  /** Every registered kind name, in registration order (for "known: ..." messages). */
  List<String> names();

  /**
   * Reads and validates one kind's keys of a {@code targets[i]} mapping, recording problems on the
   * node.
   */
  interface SettingsReader {
    TargetSettings parse(ConfigNode node);
  }
}
