package io.vecwatch.rules.promql;

import io.vecwatch.promtext.Sample;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The result of evaluating an expression at one instant. */
public sealed interface Value {
  /** A single number. */
  record Scalar(double value) implements Value {}

  /**
   * Samples with distinct label sets. An {@link ArrayList} passed in is taken over, not copied (the
   * evaluator builds one per result and never touches it again: copying every result cost a tenth
   * of an evaluation).
   */
  record Vector(List<Sample> samples) implements Value {
    public Vector {
      samples =
          samples instanceof ArrayList<Sample>
              ? Collections.unmodifiableList(samples)
              : List.copyOf(samples);
    }
  }
}
