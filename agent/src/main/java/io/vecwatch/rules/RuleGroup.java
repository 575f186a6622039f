package io.vecwatch.rules;

import io.vecwatch.promtext.Sample;
import io.vecwatch.rules.history.SeriesStore;
import io.vecwatch.rules.promql.EvalException;
import io.vecwatch.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A group of rules evaluated in order at one interval (Prometheus' {@code rules.Group}). A failing rule is marked
 * unhealthy and the group carries on with the next rule.
 */
public final class RuleGroup {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RuleGroup.class);
  private final RuleGroupSpec spec;
  private final Duration interval;
  private final List<Rule> rules;
  private volatile long lastEvaluation = AlertSnapshot.NONE;
  private volatile long evaluationNanos;
  private final java.util.concurrent.atomic.AtomicLong evaluations = new java.util.concurrent.atomic.AtomicLong();
  private final java.util.concurrent.atomic.AtomicLong failures = new java.util.concurrent.atomic.AtomicLong();

  /** A group whose rules write their series into {@code store}; {@code defaultInterval} applies without one. */
  public static RuleGroup create(RuleGroupSpec spec, Duration defaultInterval, SeriesStore store) {
    return new RuleGroup(spec, defaultInterval, store);
  }

  private RuleGroup(RuleGroupSpec spec, Duration defaultInterval, SeriesStore store) {
    this.spec = spec;
    this.interval = spec.interval().orElse(defaultInterval);
    List<Rule> rs = new ArrayList<>();
    for (RuleSpec r : spec.rules()) {
      Rule rule = r.alerting() ? new AlertingRule(r) : new RecordingRule(r);
      rule.writer = store.writer();
      rs.add(rule);
    }
    this.rules = List.copyOf(rs);
  }

  public String name() {
    return spec.name();
  }

  public RuleGroupSpec spec() {
    return spec;
  }

  public Duration interval() {
    return interval;
  }

  public List<Rule> rules() {
    return rules;
  }

  public long lastEvaluation() {
    return lastEvaluation;
  }

  public double evaluationSeconds() {
    return evaluationNanos / 1e9;
  }

  /** Rule evaluations so far (one per rule per group evaluation). */
  public long evaluations() {
    return evaluations.get();
  }

  /** Rule evaluations that failed so far. */
  public long failures() {
    return failures.get();
  }

  /** Evaluates every rule at {@code t}, writes their series, and sends what needs sending. */
  public void eval(long t, EvalContext ctx, Clock clock) {
    long groupStart = clock.monotonicNanos();
    for (Rule rule : rules) {
      long start = clock.monotonicNanos();
      List<Sample> out;
      evaluations.incrementAndGet();
      try {
        out = rule.eval(t, ctx, spec.limit());
      } catch (EvalException e) {
        failures.incrementAndGet();
        rule.recordFailure(t, clock.monotonicNanos() - start, e.getMessage());
        continue;
      } catch (RuntimeException e) {
        // A bug, not a bad rule: keep the cause visible, mark the rule unhealthy, carry on with the group.
        failures.incrementAndGet();
        LOG.warn("evaluating rule {} of group {} failed", rule.name(), spec.name(), e);
        rule.recordFailure(t, clock.monotonicNanos() - start, e.toString());
        continue;
      }
      rule.recordSuccess(t, clock.monotonicNanos() - start);
      if (rule instanceof AlertingRule ar) {
        ar.sendAlerts(t, interval.toMillis(), ctx);
      }
      rule.writer.write(t, out);
    }
    lastEvaluation = t;
    evaluationNanos = clock.monotonicNanos() - groupStart;
  }

  /**
   * Takes over alert state and series bookkeeping from the same rules (by {@link RuleSpec#identity()}) of a
   * previous version of this group, as Prometheus' {@code Group.CopyState}; rules of {@code from} with no
   * counterpart here have their series marked stale.
   */
  void copyState(RuleGroup from, long t) {
    lastEvaluation = from.lastEvaluation;
    evaluations.set(from.evaluations.get());
    failures.set(from.failures.get());
    Map<String, List<Rule>> old = new HashMap<>();
    for (Rule r : from.rules) {
      old.computeIfAbsent(r.spec().identity(), k -> new ArrayList<>()).add(r);
    }
    for (Rule r : rules) {
      List<Rule> candidates = old.get(r.spec().identity());
      if (candidates == null || candidates.isEmpty()) {
        continue;
      }
      Rule o = candidates.remove(0);
      r.writer.inherit(o.writer);
      if (r instanceof AlertingRule ar && o instanceof AlertingRule oa) {
        ar.restore(oa.alerts());
      }
    }
    for (List<Rule> left : old.values()) {
      for (Rule o : left) {
        o.writer.markAllStale(t);
      }
    }
  }

  /** Marks all series of this group's rules stale (the group was removed). */
  void markAllStale(long t) {
    for (Rule r : rules) {
      r.writer.markAllStale(t);
    }
  }
}
