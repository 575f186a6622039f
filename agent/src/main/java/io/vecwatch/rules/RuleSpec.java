package io.vecwatch.rules;

import io.vecwatch.rules.promql.Expr;
import io.vecwatch.rules.template.Template;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One validated rule as written in a rule file: an alerting rule ({@code alert}) or a recording
 * rule ({@code record}). Label and annotation values are parsed templates.
 */
public record RuleSpec(
    boolean alerting,
    String name,
    String exprText,
    Expr expr,
    Duration holdDuration,
    Duration keepFiringFor,
    Map<String, Template> labels,
    Map<String, Template> annotations) {

  public RuleSpec {
    Objects.requireNonNull(name);
    Objects.requireNonNull(expr);
    labels = Collections.unmodifiableMap(new LinkedHashMap<>(labels));
    annotations = Collections.unmodifiableMap(new LinkedHashMap<>(annotations));
  }

  /** The rule's labels as written (templates unexpanded), for identity and the API. */
  public Map<String, String> labelTexts() {
    Map<String, String> m = new LinkedHashMap<>();
    labels.forEach((k, v) -> m.put(k, v.text()));
    return m;
  }

  public Map<String, String> annotationTexts() {
    Map<String, String> m = new LinkedHashMap<>();
    annotations.forEach((k, v) -> m.put(k, v.text()));
    return m;
  }

  /** Identity used to carry state across reloads and restarts: name, labels and expression. */
  public String identity() {
    return (alerting ? "alert:" : "record:")
        + name
        + "\u0000"
        + new TreeMap<>(labelTexts())
        + "\u0000"
        + exprText.strip();
  }
}
