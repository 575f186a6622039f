package io.vecwatch.rules.promql;

import io.vecwatch.promtext.Sample;
import java.util.List;

/** The result of evaluating an expression at one instant. */
public sealed interface Value {
  /** A single number. */
  record Scalar(double value) implements Value {}

  /** Samples with distinct label sets. */
  record Vector(List<Sample> samples) implements Value {
    public Vector {
      samples = List.copyOf(samples);
    }
  }
}
