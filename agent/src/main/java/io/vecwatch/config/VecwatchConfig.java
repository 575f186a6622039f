package io.vecwatch.config;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The whole agent configuration, immutable. Read with {@link ConfigLoader}. Each section is its own record so
 * later sections (rules, alerting, exporters) slot in beside these without reshaping them.
 */
public record VecwatchConfig(
    WebConfig web, List<DatasetConfig> datasets, List<TargetConfig> targets, List<ProbeConfig> probes,
    RulesConfig rules, AlertingConfig alerting) {

  public VecwatchConfig {
    datasets = List.copyOf(datasets);
    targets = List.copyOf(targets);
    probes = List.copyOf(probes);
  }

  /** Same config listening elsewhere (the {@code --web.listen-address} flag wins over the file). */
  public VecwatchConfig withWeb(WebConfig w) {
    return new VecwatchConfig(w, datasets, targets, probes, rules, alerting);
  }

  static VecwatchConfig parse(ConfigNode root) {
    WebConfig web = WebConfig.parse(root.child("web"));
    List<DatasetConfig> datasets = root.list("datasets").stream().map(DatasetConfig::parse).toList();
    List<ConfigNode> targetNodes = root.list("targets");
    List<TargetConfig> targets = targetNodes.stream().map(TargetConfig::parse).toList();
    List<ConfigNode> probeNodes = root.list("probes");
    List<ProbeConfig> explicit = probeNodes.stream().map(ProbeConfig::parse).toList();
    RulesConfig rules = RulesConfig.parse(root);
    AlertingConfig alerting = AlertingConfig.parse(root.child("alerting"));
    root.finish();

    Set<String> datasetNames = new HashSet<>();
    for (int i = 0; i < datasets.size(); i++) {
      String n = datasets.get(i).name();
      if (!n.isEmpty() && !datasetNames.add(n)) {
        root.problem("datasets[" + i + "].name", "duplicate dataset name \"" + n + "\"");
      }
    }
    Map<String, TargetConfig> byName = new LinkedHashMap<>();
    for (int i = 0; i < targets.size(); i++) {
      TargetConfig t = targets.get(i);
      if (!t.name().isEmpty() && byName.putIfAbsent(t.name(), t) != null) {
        root.problem("targets[" + i + "].name", "duplicate target name \"" + t.name() + "\"");
      }
      if (t.dataset().isPresent() && !datasetNames.contains(t.dataset().get())) {
        targetNodes.get(i).problem("dataset", "no dataset named \"" + t.dataset().get() + "\"");
      }
    }

    List<ProbeConfig> probes = new ArrayList<>();
    Set<String> probed = new HashSet<>();
    for (int i = 0; i < explicit.size(); i++) {
      ProbeConfig p = explicit.get(i);
      ConfigNode pn = probeNodes.get(i);
      TargetConfig t = byName.get(p.target());
      if (!p.target().isEmpty() && t == null) {
        pn.problem("target", "no target named \"" + p.target() + "\"");
        continue;
      }
      String dataset = p.dataset();
      if (dataset.isEmpty() && t != null) {
        dataset = t.dataset().orElse("");
        if (dataset.isEmpty()) {
          pn.problem("dataset", "must be set (target \"" + p.target() + "\" names no dataset)");
        }
      } else if (!dataset.isEmpty() && !datasetNames.contains(dataset)) {
        pn.problem("dataset", "no dataset named \"" + dataset + "\"");
      }
      probed.add(p.target());
      probes.add(new ProbeConfig(p.target(), dataset, p.rate(), p.concurrency(), p.timeout(), p.recallK(),
          p.window(), p.healthInterval()));
    }
    // A target without an explicit probe is probed with defaults on its own dataset.
    for (TargetConfig t : targets) {
      if (!t.name().isEmpty() && !probed.contains(t.name()) && t.dataset().isPresent()) {
        probes.add(ProbeConfig.defaults(t.name(), t.dataset().get()));
      }
    }
    return new VecwatchConfig(web, datasets, targets, probes, rules, alerting);
  }
}
