package io.vecwatch.config;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code targets[i]:} one watched index. Common keys: {@code name}, {@code kind}, {@code dataset}
 * (the dataset an in-process index is built from, and the default dataset its probe uses), {@code
 * labels}; every other key belongs to the kind and is read by the reader its {@link
 * TargetKindLookup} finds.
 */
public record TargetConfig(
    String name,
    String kind,
    Optional<String> dataset,
    Map<String, String> labels,
    TargetSettings settings) {

  public TargetConfig {
    labels = Map.copyOf(labels);
  }

  static TargetConfig parse(ConfigNode n) {
    String name = n.requiredString("name");
    String kindName = n.requiredString("kind");
    Optional<String> dataset = n.optionalString("dataset");
    Map<String, String> labels = n.stringMap("labels");
    for (String key : labels.keySet()) {
      if (!LABEL_NAME.matcher(key).matches() || key.startsWith("__")) {
        n.problem(
            ConfigNode.join("labels", key),
            "not a valid label name (letters, digits and _, not starting with a digit or __)");
      } else if (RESERVED_LABELS.contains(key)) {
        n.problem(ConfigNode.join("labels", key), "is reserved: vecwatch sets this label itself");
      }
    }
    TargetSettings settings = null;
    if (!kindName.isEmpty()) {
      TargetKindLookup kinds = n.kinds();
      Optional<? extends TargetKindLookup.SettingsReader> kind = kinds.byName(kindName);
      if (kind.isEmpty()) {
        n.problem(
            "kind",
            "unknown kind "
                + ConfigNode.quote(kindName)
                + " (known: "
                + String.join(", ", kinds.names())
                + ")");
      } else {
        settings = kind.get().parse(n);
      }
    }
    // Without a known kind, nobody knows which other keys are valid: reporting them all would be
    // noise.
    if (settings != null) {
      n.finish();
    }
    return new TargetConfig(name, kindName, dataset, labels, settings);
  }

  private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

  /** Labels vecwatch puts on target series itself; a user label of the same name would clash. */
  private static final Set<String> RESERVED_LABELS =
      Set.of("target", "dataset", "kind", "k", "quantile", "outcome");
}
