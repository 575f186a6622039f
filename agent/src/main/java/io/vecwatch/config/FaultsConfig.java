package io.vecwatch.config;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code faults:} artificial faults for tests and demos: a delay added to every search of a target
 * ({@code delays: {TARGET: 250ms}}) and, with {@code admin_api: true}, {@code POST
 * /-/faults?target=T&delay=D} to change them while the agent runs. {@code demo_target: NAME} puts a
 * button on the status page that slows that target for a few minutes (the embedded demo sets it).
 * Off by default; never enable either on a production agent.
 */
public record FaultsConfig(
    boolean adminApi, Map<String, Duration> delays, Optional<String> demoTarget) {
  public FaultsConfig {
    delays = Map.copyOf(delays);
  }

  public FaultsConfig(boolean adminApi, Map<String, Duration> delays) {
    this(adminApi, delays, Optional.empty());
  }

  public static FaultsConfig none() {
    return new FaultsConfig(false, Map.of());
  }

  /** Whether searches of {@code target} may be slowed at run time (so the agent wraps it). */
  public boolean mayDelay(String target) {
    return adminApi || delays.containsKey(target) || demoTarget.filter(target::equals).isPresent();
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
    String demoName = n.string("demo_target", null);
    Optional<String> demo = Optional.ofNullable(demoName);
    if (demoName != null && targets.stream().noneMatch(t -> t.name().equals(demoName))) {
      n.problem("demo_target", "no target named " + ConfigNode.quote(demoName));
      demo = Optional.empty();
    }
    n.finish();
    return new FaultsConfig(admin, delays, demo);
  }
}
