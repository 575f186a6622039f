package io.vecwatch.rules;

import io.vecwatch.notify.AlertSender;
import io.vecwatch.rules.promql.Evaluator;
import java.time.Duration;
import java.util.Map;

/**
 * What rules need while evaluating: the query evaluator, template data shared by all alerts, the
 * re-send delay and where alerts go.
 *
 * @param externalURL the agent's external URL; alerts' generatorURL points below it
 */
public record EvalContext(
    Evaluator evaluator,
    Map<String, String> externalLabels,
    String externalURL,
    Duration resendDelay,
    AlertSender sender) {
  public EvalContext {
    externalLabels = Map.copyOf(externalLabels);
  }
}
