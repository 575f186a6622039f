package io.vecwatch.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.stream.Collectors;

/**
 * The whole agent configuration, immutable. Read with {@link ConfigLoader}. Each section is its own
 * record so later sections (rules, alerting, exporters) slot in beside these without reshaping
 * them.
 *
 * <p>{@link #probes()} is complete: it holds the probes the file lists, with their datasets
 * resolved, followed by a default probe for every target that has a dataset but no probe of its
 * own.
 */
public record VecwatchConfig(
    WebConfig web,
    List<DatasetConfig> datasets,
    List<TargetConfig> targets,
    List<ProbeConfig> probes,
    RulesConfig rules,
    AlertingConfig alerting,
    FaultsConfig faults,
    TelemetryConfig telemetry,
    List<MigrationConfig> migrations) {

  public VecwatchConfig {
    datasets = List.copyOf(datasets);
    targets = List.copyOf(targets);
    probes = List.copyOf(probes);
    migrations = List.copyOf(migrations);
  }

  /** A config without migrations. */
  public VecwatchConfig(
      WebConfig web,
      List<DatasetConfig> datasets,
      List<TargetConfig> targets,
      List<ProbeConfig> probes,
      RulesConfig rules,
      AlertingConfig alerting,
      FaultsConfig faults,
      TelemetryConfig telemetry) {
    this(web, datasets, targets, probes, rules, alerting, faults, telemetry, List.of());
  }

  /**
   * A config with only the sections before rules, alerting, faults and telemetry (their defaults).
   */
  public VecwatchConfig(
      WebConfig web,
      List<DatasetConfig> datasets,
      List<TargetConfig> targets,
      List<ProbeConfig> probes) {
    this(
        web,
        datasets,
        targets,
        probes,
        RulesConfig.defaults(),
        AlertingConfig.none(),
        FaultsConfig.none(),
        TelemetryConfig.defaults());
  }

  /** Same config listening elsewhere (the {@code --web.listen-address} flag wins over the file). */
  public VecwatchConfig withWeb(WebConfig w) {
    return new VecwatchConfig(
        w, datasets, targets, probes, rules, alerting, faults, telemetry, migrations);
  }

  /**
   * Same config reached at {@code url} (the {@code --web.external-url} flag wins over {@code
   * external_url}).
   */
  public VecwatchConfig withExternalUrl(String url) {
    RulesConfig r = rules;
    return new VecwatchConfig(
        web,
        datasets,
        targets,
        probes,
        new RulesConfig(
            r.ruleFiles(),
            r.evaluationInterval(),
            r.resendDelay(),
            r.externalLabels(),
            url,
            r.ruleStateFile(),
            r.historyMaxSeries(),
            r.capacity()),
        alerting,
        faults,
        telemetry);
  }

  static VecwatchConfig parse(ConfigNode root) {
    // Sections first (each reports its own keys), then the checks that span sections.
    WebConfig web = WebConfig.parse(root.child("web"));
    List<ConfigNode> datasetNodes = root.list("datasets");
    List<DatasetConfig> datasets = datasetNodes.stream().map(DatasetConfig::parse).toList();
    List<ConfigNode> targetNodes = root.list("targets");
    List<TargetConfig> targets = targetNodes.stream().map(TargetConfig::parse).toList();
    List<ConfigNode> probeNodes = root.list("probes");
    List<ProbeConfig> explicit = probeNodes.stream().map(ProbeConfig::parse).toList();
    RulesConfig rules = RulesConfig.parse(root, targets);
    AlertingConfig alerting = AlertingConfig.parse(root.child("alerting"));
    FaultsConfig faults = FaultsConfig.parse(root.child("faults"), targets);
    TelemetryConfig telemetry = TelemetryConfig.parse(root.child("telemetry"), targets);
    List<ConfigNode> migrationNodes = root.list("migrations");
    List<MigrationConfig> migrationsAsWritten =
        migrationNodes.stream().map(MigrationConfig::parse).toList();
    root.finish();

    Map<String, DatasetConfig> datasetsByName =
        uniqueNames(
            datasetNodes, datasets.stream().map(DatasetConfig::name).toList(), "dataset", datasets);
    Map<String, TargetConfig> targetsByName =
        uniqueNames(
            targetNodes, targets.stream().map(TargetConfig::name).toList(), "target", targets);
    for (int i = 0; i < targets.size(); i++) {
      TargetConfig t = targets.get(i);
      if (t.dataset().isPresent() && !datasetsByName.containsKey(t.dataset().get())) {
        targetNodes
            .get(i)
            .problem(
                "dataset",
                "no dataset named "
                    + ConfigNode.quote(t.dataset().get())
                    + knownNames(datasetsByName));
      }
    }

    List<ProbeConfig> probes = new ArrayList<>();
    Map<String, String> probeIds = new HashMap<>();
    for (int i = 0; i < explicit.size(); i++) {
      ProbeConfig p = explicit.get(i);
      ConfigNode pn = probeNodes.get(i);
      if (p.target().isEmpty()) {
        continue; // "must be set" already reported
      }
      TargetConfig t = targetsByName.get(p.target());
      if (t == null) {
        pn.problem(
            "target",
            "no target named " + ConfigNode.quote(p.target()) + knownNames(targetsByName));
        continue;
      }
      String dataset = p.dataset();
      if (dataset.isEmpty()) {
        dataset = t.dataset().orElse("");
        if (dataset.isEmpty()) {
          pn.problem(
              "dataset",
              "must be set (target " + ConfigNode.quote(t.name()) + " names no dataset)");
          continue;
        }
      } else if (!datasetsByName.containsKey(dataset)) {
        pn.problem(
            "dataset",
            "no dataset named " + ConfigNode.quote(dataset) + knownNames(datasetsByName));
        continue;
      }
      if (!datasetsByName.containsKey(dataset)) {
        continue; // the target's own unknown dataset, already reported at the target
      }
      String first = probeIds.putIfAbsent(p.target() + "\u0000" + dataset, pn.path());
      if (first != null) {
        pn.problem(
            null,
            "duplicate probe of target "
                + ConfigNode.quote(p.target())
                + " with dataset "
                + ConfigNode.quote(dataset)
                + " (see "
                + first
                + ")");
        continue;
      }
      DatasetConfig d = datasetsByName.get(dataset);
      checkDimensions(pn, t, datasetsByName, d);
      List<Integer> ks = p.recallK();
      OptionalInt depth = DatasetConfig.groundTruthDepth(d);
      if (depth.isPresent()) {
        if (pn.has("recall_k")) {
          checkRecallK(pn, ks, d, depth.getAsInt());
        } else {
          ks = fitToDepth(ks, depth.getAsInt());
        }
      }
      probes.add(
          new ProbeConfig(
              p.target(),
              dataset,
              p.rate(),
              p.concurrency(),
              p.timeout(),
              ks,
              p.window(),
              p.healthInterval()));
    }
    // A target without a probe of its own is probed with the defaults on its own dataset.
    for (TargetConfig t : targets) {
      boolean probed = explicit.stream().anyMatch(p -> p.target().equals(t.name()));
      if (t.name().isEmpty() || probed || t.dataset().isEmpty()) {
        continue;
      }
      ProbeConfig p = ProbeConfig.defaults(t.name(), t.dataset().get());
      DatasetConfig d = datasetsByName.get(t.dataset().get());
      OptionalInt depth = d == null ? OptionalInt.empty() : DatasetConfig.groundTruthDepth(d);
      if (depth.isPresent()) {
        p =
            new ProbeConfig(
                p.target(),
                p.dataset(),
                p.rate(),
                p.concurrency(),
                p.timeout(),
                fitToDepth(p.recallK(), depth.getAsInt()),
                p.window(),
                p.healthInterval());
      }
      probes.add(p);
    }
    List<MigrationConfig> migrations =
        resolveMigrations(migrationNodes, migrationsAsWritten, targetsByName, datasetsByName);
    return new VecwatchConfig(
        web, datasets, targets, probes, rules, alerting, faults, telemetry, migrations);
  }

  /**
   * Migrations name two different configured targets; their dataset (the source's unless given)
   * must exist and have ground truth at least as deep as the largest overlap K.
   */
  private static List<MigrationConfig> resolveMigrations(
      List<ConfigNode> nodes,
      List<MigrationConfig> written,
      Map<String, TargetConfig> targetsByName,
      Map<String, DatasetConfig> datasetsByName) {
    uniqueNames(nodes, written.stream().map(MigrationConfig::name).toList(), "migration", written);
    List<MigrationConfig> out = new ArrayList<>();
    for (int i = 0; i < written.size(); i++) {
      MigrationConfig m = written.get(i);
      ConfigNode n = nodes.get(i);
      boolean ok = true;
      for (String key : List.of("source", "destination")) {
        String t = key.equals("source") ? m.source() : m.destination();
        if (!t.isEmpty() && !targetsByName.containsKey(t)) {
          n.problem(key, "no target named " + ConfigNode.quote(t) + knownNames(targetsByName));
          ok = false;
        }
      }
      if (!m.source().isEmpty() && m.source().equals(m.destination())) {
        n.problem(
            "destination",
            "must differ from source (both are " + ConfigNode.quote(m.source()) + ")");
        ok = false;
      }
      if (!ok || m.source().isEmpty() || m.destination().isEmpty()) {
        continue;
      }
      String dataset = m.dataset();
      if (dataset.isEmpty()) {
        dataset = targetsByName.get(m.source()).dataset().orElse("");
        if (dataset.isEmpty()) {
          n.problem(
              "dataset",
              "must be set (source target " + ConfigNode.quote(m.source()) + " names no dataset)");
          continue;
        }
      } else if (!datasetsByName.containsKey(dataset)) {
        n.problem(
            "dataset",
            "no dataset named " + ConfigNode.quote(dataset) + knownNames(datasetsByName));
        continue;
      }
      DatasetConfig d = datasetsByName.get(dataset);
      OptionalInt depth = d == null ? OptionalInt.empty() : DatasetConfig.groundTruthDepth(d);
      if (depth.isPresent()) {
        checkRecallK(n, "overlap_k", m.overlapK(), d, depth.getAsInt());
      }
      out.add(
          new MigrationConfig(
              m.name(),
              m.source(),
              m.destination(),
              dataset,
              m.overlapK(),
              m.rate(),
              m.concurrency(),
              m.timeout(),
              m.window(),
              m.countInterval(),
              m.records(),
              m.gate()));
    }
    return out;
  }

  /** Reports every repeated name at its {@code name} key and returns the first of each name. */
  private static <T> Map<String, T> uniqueNames(
      List<ConfigNode> nodes, List<String> names, String what, List<T> items) {
    Map<String, T> byName = new LinkedHashMap<>();
    Map<String, String> firstPath = new HashMap<>();
    for (int i = 0; i < names.size(); i++) {
      String n = names.get(i);
      if (n.isEmpty()) {
        continue;
      }
      String first = firstPath.putIfAbsent(n, nodes.get(i).path());
      if (first != null) {
        nodes
            .get(i)
            .problem(
                "name",
                "duplicate " + what + " name " + ConfigNode.quote(n) + " (see " + first + ")");
      } else {
        byName.put(n, items.get(i));
      }
    }
    return byName;
  }

  private static String knownNames(Map<String, ?> byName) {
    return byName.isEmpty()
        ? " (none are defined)"
        : " (known: " + byName.keySet().stream().collect(Collectors.joining(", ")) + ")";
  }

  /**
   * A probe's queries must have the dimension of the vectors the target was built from, when both
   * are known.
   */
  private static void checkDimensions(
      ConfigNode pn, TargetConfig t, Map<String, DatasetConfig> byName, DatasetConfig probed) {
    DatasetConfig built = t.dataset().map(byName::get).orElse(null);
    if (built == null || built == probed) {
      return;
    }
    OptionalInt a = DatasetConfig.dimension(built);
    OptionalInt b = DatasetConfig.dimension(probed);
    if (a.isPresent() && b.isPresent() && a.getAsInt() != b.getAsInt()) {
      pn.problem(
          "dataset",
          "dataset "
              + ConfigNode.quote(probed.name())
              + " has dimension "
              + b.getAsInt()
              + " but target "
              + ConfigNode.quote(t.name())
              + " holds dataset "
              + ConfigNode.quote(built.name())
              + " of dimension "
              + a.getAsInt());
    }
  }

  private static void checkRecallK(ConfigNode pn, List<Integer> ks, DatasetConfig d, int depth) {
    checkRecallK(pn, "recall_k", ks, d, depth);
  }

  private static void checkRecallK(
      ConfigNode pn, String key, List<Integer> ks, DatasetConfig d, int depth) {
    List<String> tooLarge = ks.stream().filter(k -> k > depth).map(String::valueOf).toList();
    if (!tooLarge.isEmpty()) {
      pn.problem(
          key,
          (tooLarge.size() == 1 ? "K " : "Ks ")
              + String.join(", ", tooLarge)
              + " exceed"
              + (tooLarge.size() == 1 ? "s" : "")
              + " the ground truth depth of dataset "
              + ConfigNode.quote(d.name())
              + " ("
              + depth
              + " neighbours per query)");
    }
  }

  /**
   * The Ks a probe gets when the user wrote none: the defaults the ground truth can answer, or its
   * depth.
   */
  private static List<Integer> fitToDepth(List<Integer> ks, int depth) {
    List<Integer> fit = ks.stream().filter(k -> k <= depth).toList();
    return fit.isEmpty() ? List.of(depth) : fit;
  }
}
