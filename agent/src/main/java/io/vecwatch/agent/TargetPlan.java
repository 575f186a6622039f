package io.vecwatch.agent;

import io.vecwatch.config.DatasetConfig;
import io.vecwatch.config.ProbeConfig;
import io.vecwatch.config.TargetConfig;
import io.vecwatch.config.VecwatchConfig;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What a reload does to the targets: a target whose settings, probes and datasets are all unchanged
 * is kept as it runs (connections, windows and counters carry on, no gap in its series); a changed
 * one is rebuilt; a new one is started; a removed one is stopped and its series dropped. Targets
 * are matched by name.
 *
 * <pre>{@code
 * TargetPlan plan = TargetPlan.of(running, fresh);
 * plan.kept(); plan.changed(); plan.added(); plan.removed();
 * }</pre>
 */
record TargetPlan(
    List<String> kept, List<String> changed, List<String> added, List<String> removed) {
  TargetPlan {
    kept = List.copyOf(kept);
    changed = List.copyOf(changed);
    added = List.copyOf(added);
    removed = List.copyOf(removed);
  }

  static TargetPlan of(VecwatchConfig before, VecwatchConfig after) {
    List<String> kept = new ArrayList<>();
    List<String> changed = new ArrayList<>();
    List<String> added = new ArrayList<>();
    Map<String, TargetConfig> old =
        before.targets().stream()
            .collect(Collectors.toMap(TargetConfig::name, Function.identity()));
    for (TargetConfig t : after.targets()) {
      TargetConfig o = old.get(t.name());
      if (o == null) {
        added.add(t.name());
      } else if (same(before, o, after, t)) {
        kept.add(t.name());
      } else {
        changed.add(t.name());
      }
    }
    Set<String> now = after.targets().stream().map(TargetConfig::name).collect(Collectors.toSet());
    List<String> removed =
        before.targets().stream().map(TargetConfig::name).filter(n -> !now.contains(n)).toList();
    return new TargetPlan(kept, changed, added, removed);
  }

  /** Same settings, same probes, and the same settings of every dataset they use. */
  private static boolean same(
      VecwatchConfig a, TargetConfig ta, VecwatchConfig b, TargetConfig tb) {
    if (!ta.equals(tb) || !probes(a, ta).equals(probes(b, tb))) {
      return false;
    }
    for (String d : datasets(a, ta)) {
      if (!Objects.equals(dataset(a, d), dataset(b, d))) {
        return false;
      }
    }
    return true;
  }

  static List<ProbeConfig> probes(VecwatchConfig c, TargetConfig t) {
    return c.probes().stream().filter(p -> p.target().equals(t.name())).toList();
  }

  static Set<String> datasets(VecwatchConfig c, TargetConfig t) {
    Set<String> names = new LinkedHashSet<>();
    t.dataset().ifPresent(names::add);
    probes(c, t).forEach(p -> names.add(p.dataset()));
    return names;
  }

  private static DatasetConfig dataset(VecwatchConfig c, String name) {
    return c.datasets().stream().filter(d -> d.name().equals(name)).findFirst().orElse(null);
  }

  /** One line for the log: {@code targets: 2 kept, 1 changed (b), 1 added (c), 0 removed}. */
  String summary() {
    return "targets: "
        + kept.size()
        + " kept, "
        + part(changed, "changed")
        + ", "
        + part(added, "added")
        + ", "
        + part(removed, "removed");
  }

  private static String part(List<String> names, String what) {
    return names.size()
        + " "
        + what
        + (names.isEmpty() ? "" : " (" + String.join(", ", names) + ")");
  }
}
