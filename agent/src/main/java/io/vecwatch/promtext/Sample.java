package io.vecwatch.promtext;

import java.util.Objects;

/** One value of one series; {@code labels} include the metric name as {@code __name__}. */
public record Sample(Labels labels, double value) {
  public Sample {
    Objects.requireNonNull(labels, "labels");
  }
}
