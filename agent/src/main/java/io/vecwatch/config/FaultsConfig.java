package io.vecwatch.config;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code faults:} artificial faults for tests and demos: a delay added to every search of a target
 * ({@code delays: {TARGET: 250ms}}) and, with {@code admin_api: true}, {@code POST /-/faults?target=T&delay=D} to
 * change them while the agent runs. Off by default; never enable the admin API on a production agent.
 */
public record FaultsConfig(boolean adminApi, Map<String, Duration> delays) {
  public FaultsConfig {
    delays = Map.copyOf(delays);
  }

  public static FaultsConfig none() {
    return new FaultsConfig(false, Map.of());
  }

  /** Reads {@code faults:}; delays must name configured targets. */
  static FaultsConfig parse(ConfigNode n, List<TargetConfig> targets) {
    boolean admin = n.bool("admin_api", false);
    Map<String, Duration> delays = new LinkedHashMap<>();
    ConfigNode d = n.child("delays");
    for (String target : n.stringMap("delays").keySet()) {
      if (targets.stream().noneMatch(t -> t.name().equals(target))) {
        d.problem(target, "no target named " + ConfigNode.quote(target));
        continue;
      }
      delays.put(target, d.duration(target, Duration.ZERO, Duration.ZERO));
    }
    n.finish();
    return new FaultsConfig(admin, delays);
  }
}
