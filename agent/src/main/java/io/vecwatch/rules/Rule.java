package io.vecwatch.rules;

import io.vecwatch.promtext.Labels;
import io.vecwatch.promtext.Sample;
import io.vecwatch.rules.history.SeriesStore;
import io.vecwatch.rules.promql.Value;
import java.util.List;

/**
 * A rule of a group: its spec, its health and the writer its output series go through (so series it
 * stops producing get staleness markers). Subclasses hold the rule-kind specific state.
 */
public abstract sealed class Rule permits AlertingRule, RecordingRule {
  private final RuleSpec spec;
  private volatile RuleHealth health = RuleHealth.UNKNOWN;
  private volatile String lastError = "";
  private volatile long lastEvaluation = Alert.NONE;
  private volatile long evaluationNanos;
  SeriesStore.Writer writer;

  Rule(RuleSpec spec) {
    this.spec = spec;
  }

  public RuleSpec spec() {
    return spec;
  }

  public String name() {
    return spec.name();
  }

  public RuleHealth health() {
    return health;
  }

  /** The last evaluation error, or "" when the last evaluation worked. */
  public String lastError() {
    return lastError;
  }

  /** Epoch millis of the last evaluation, {@link AlertSnapshot#NONE} before the first. */
  public long lastEvaluation() {
    return lastEvaluation;
  }

  public double evaluationSeconds() {
    return evaluationNanos / 1e9;
  }

  void recordSuccess(long t, long nanos) {
    health = RuleHealth.OK;
    lastError = "";
    lastEvaluation = t;
    evaluationNanos = nanos;
  }

  void recordFailure(long t, long nanos, String error) {
    health = RuleHealth.ERR;
    lastError = error;
    lastEvaluation = t;
    evaluationNanos = nanos;
  }

  /** Evaluates at {@code t} and returns the series to store; throws on a failing query. */
  abstract List<Sample> eval(long t, EvalContext ctx, int limit);

  /**
   * The query result as samples; a scalar becomes one sample without labels, as in Prometheus' rule
   * engine.
   */
  static List<Sample> query(EvalContext ctx, RuleSpec spec, long t) {
    Value v = ctx.evaluator().eval(spec.expr(), t);
    if (v instanceof Value.Scalar s) {
      return List.of(new Sample(Labels.EMPTY, s.value()));
    }
    return ((Value.Vector) v).samples();
  }
}
