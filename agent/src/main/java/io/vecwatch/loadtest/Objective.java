package io.vecwatch.loadtest;

/**
 * What a step must hold to count as sustained: P99 at most {@code p99Seconds}, mean recall@{@code
 * recallK} at least {@code recall}, and errors plus timeouts at most {@code errorRatio} of the
 * requests. The defaults are the agent's production objectives (P99 &lt; 100 ms, recall@10 &gt; 95
 * %, error rate &lt; 0.1 %).
 */
public record Objective(double p99Seconds, int recallK, double recall, double errorRatio) {
  public static final Objective DEFAULT = new Objective(0.100, 10, 0.95, 0.001);

  public Objective {
    if (!(p99Seconds > 0)
        || recallK < 1
        || !(recall >= 0 && recall <= 1)
        || !(errorRatio >= 0 && errorRatio <= 1)) {
      throw new IllegalArgumentException(
          "objective out of range: p99 "
              + p99Seconds
              + " s, recall@"
              + recallK
              + " >= "
              + recall
              + ", error ratio <= "
              + errorRatio);
    }
  }

  /**
   * Whether {@code s}'s latency and errors hold (recall is a property of the search parameters,
   * checked apart).
   */
  public boolean latencyAndErrorsHold(StepResult s) {
    return s.requests() > 0
        && s.p99Seconds() <= p99Seconds
        && s.errorRatio() + s.timeoutRatio() <= errorRatio;
  }

  /**
   * Whether {@code s} meets the recall objective; true when the step measured no recall@{@link
   * #recallK}.
   */
  public boolean recallHolds(StepResult s) {
    Double r = s.recall().get(recallK);
    return r == null || r >= recall;
  }
}
