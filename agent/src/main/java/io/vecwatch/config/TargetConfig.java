package io.vecwatch.config;

import io.vecwatch.target.TargetKind;
import io.vecwatch.target.TargetKinds;
import io.vecwatch.target.TargetSettings;
import java.util.Map;
import java.util.Optional;

/**
 * {@code targets[i]:} one watched index. Common keys: {@code name}, {@code kind}, {@code dataset} (the dataset an
 * in-process index is built from, and the default dataset its probe uses), {@code labels}; every other key
 * belongs to the kind and is read by its {@link TargetKind}.
 */
public record TargetConfig(
    String name, String kind, Optional<String> dataset, Map<String, String> labels, TargetSettings settings) {

  public TargetConfig {
    labels = Map.copyOf(labels);
  }

  static TargetConfig parse(ConfigNode n) {
    String name = n.requiredString("name");
    String kindName = n.requiredString("kind");
    Optional<String> dataset = n.optionalString("dataset");
    Map<String, String> labels = n.stringMap("labels");
    for (String key : labels.keySet()) {
      if (!key.matches("[a-zA-Z_][a-zA-Z0-9_]*") || key.startsWith("__")) {
        n.problem("labels." + key, "not a valid Prometheus label name");
      } else if (RESERVED_LABELS.contains(key)) {
        n.problem("labels." + key, "is reserved by vecwatch");
      }
    }
    TargetSettings settings = null;
    if (!kindName.isEmpty()) {
      Optional<TargetKind<?>> kind = TargetKinds.byName(kindName);
      if (kind.isEmpty()) {
        n.problem("kind", "unknown kind \"" + kindName + "\", known: " + String.join(", ", TargetKinds.names()));
      } else {
        settings = kind.get().parse(n);
      }
    }
    if (settings != null) {
      n.finish();
    }
    return new TargetConfig(name, kindName, dataset, labels, settings);
  }

  private static final java.util.Set<String> RESERVED_LABELS = java.util.Set.of("target", "dataset", "kind", "k", "quantile", "outcome");
}
