package io.vecwatch.rules.template;

import java.util.Collections;
import java.util.Map;

/**
 * What an alert's label and annotation templates see: {@code $labels}, {@code $value}, {@code
 * $externalLabels}, {@code $externalURL} (and the same as {@code .Labels}, {@code .Value}, ...).
 */
public record TemplateData(
    Map<String, String> labels,
    double value,
    Map<String, String> externalLabels,
    String externalURL) {
  /**
   * The maps are used as given (not copied: this is built for every alert at every evaluation);
   * pass read-only maps.
   */
  public TemplateData {
    labels = Collections.unmodifiableMap(labels);
    externalLabels = Collections.unmodifiableMap(externalLabels);
  }
}
