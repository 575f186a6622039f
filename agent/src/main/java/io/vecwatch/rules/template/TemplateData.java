package io.vecwatch.rules.template;

import java.util.Map;

/**
 * What an alert's label and annotation templates see: {@code $labels}, {@code $value}, {@code $externalLabels},
 * {@code $externalURL} (and the same as {@code .Labels}, {@code .Value}, ...).
 */
public record TemplateData(Map<String, String> labels, double value, Map<String, String> externalLabels,
    String externalURL) {
  public TemplateData {
    labels = Map.copyOf(labels);
    externalLabels = Map.copyOf(externalLabels);
  }
}
