package io.vecwatch.target;

import io.vecwatch.config.ConfigNode;
import io.vecwatch.config.TargetConfig;
import io.vecwatch.dataset.Dataset;

/** Shared lookup for in-process kinds, which are built over a configured dataset's base vectors. */
final class InProcess {
  private InProcess() {}

  /** In-process kinds are built over a dataset, so config must name one. */
  static void requireDataset(ConfigNode node, String kind) {
    if (node.optionalString("dataset").isEmpty()) {
      node.problem("dataset", "must be set for kind " + kind);
    }
  }

  static Dataset dataset(TargetConfig config, TargetContext context) throws TargetException {
    String name =
        config
            .dataset()
            .orElseThrow(
                () ->
                    new TargetException(
                        "target "
                            + config.name()
                            + ": kind "
                            + config.kind()
                            + " needs a dataset"));
    Dataset d =
        context
            .dataset(name)
            .orElseThrow(
                () ->
                    new TargetException(
                        "target " + config.name() + ": dataset " + name + " is not loaded"));
    if (d.base().isEmpty()) {
      throw new TargetException(
          "target " + config.name() + ": dataset " + name + " has no base vectors");
    }
    return d;
  }
}
