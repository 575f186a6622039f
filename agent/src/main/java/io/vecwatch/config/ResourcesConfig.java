package io.vecwatch.config;

import java.nio.file.Path;
import java.time.Duration;

/**
 * {@code telemetry.resources:} sampling of the agent's process, its host and its container.
 *
 * @param root where {@code /proc} and {@code /sys/fs/cgroup} are read from ({@code /}; a sidecar
 *     may mount the host's at e.g. {@code /host})
 */
public record ResourcesConfig(boolean enabled, Duration interval, Path root) {
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);

  public static ResourcesConfig defaults() {
    return new ResourcesConfig(true, DEFAULT_INTERVAL, Path.of("/"));
  }

  static ResourcesConfig parse(ConfigNode n) {
    boolean enabled = n.bool("enabled", true);
    Duration interval = n.duration("interval", DEFAULT_INTERVAL, Duration.ofMillis(100));
    Path root = Path.of(n.string("root", "/"));
    n.finish();
    return new ResourcesConfig(enabled, interval, root);
  }
}
