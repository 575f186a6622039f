package io.vecwatch.target;

import java.util.List;

/** What a target says about its own health. */
public record Health(boolean healthy, List<String> reasons) {
  public Health {
    reasons = List.copyOf(reasons);
  }

  public static Health up() {
    return new Health(true, List.of());
  }

  public static Health down(String reason) {
    return new Health(false, List.of(reason));
  }
}
