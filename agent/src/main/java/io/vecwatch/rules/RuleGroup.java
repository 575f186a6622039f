package io.vecwatch.rules;

import io.vecwatch.promtext.Sample;
import io.vecwatch.rules.history.SeriesStore;
import io.vecwatch.rules.promql.EvalException;
import io.vecwatch.time.Clock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A group of rules evaluated in order at one interval (Prometheus' {@code rules.Group}). A failing
 * rule is marked unhealthy and the group carries on with the next rule.
 */
public final class RuleGroup {
  private static final Logger LOG = LoggerFactory.getLogger(RuleGroup.class);
  private final RuleGroupSpec spec;
  private final Duration interval;
  private final List<Rule> rules;
  private final long offsetMillis;
  private volatile long lastEvaluation = AlertSnapshot.NONE;

  /**
   * The scheduled evaluation does not run at slots before this (set when the group is installed).
   */
  private volatile long notBefore = Long.MIN_VALUE;

  private volatile long evaluationNanos;
  private final AtomicLong evaluations = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();

  /**
   * A group whose rules write their series into {@code store}; {@code defaultInterval} applies
   * without one.
   */
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
    this.offsetMillis = offset(spec, interval.toMillis(), defaultInterval.toMillis());
  }

  /**
   * The group's phase within its interval, from a hash of its file and name, as Prometheus spreads
   * groups; kept on the engine's own grid (a multiple of {@code baseMillis}) so groups at the
   * default interval all run at the same slots and share one sampling of the agent's metrics.
   */
  static long offset(RuleGroupSpec spec, long intervalMillis, long baseMillis) {
    if (intervalMillis <= baseMillis || baseMillis <= 0) {
      return 0;
    }
    long h = 0xcbf29ce484222325L; // FNV-1a 64
    for (byte b : (spec.file() + ";" + spec.name()).getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    long off = Long.remainderUnsigned(h, intervalMillis);
    return off - off % baseMillis;
  }

  /**
   * The latest evaluation slot at or before {@code now}: {@code offset + n × interval} (Prometheus'
   * {@code Group.EvalTimestamp}). Evaluating at slots, not at the moment a timer fired, keeps
   * {@code for} exact: an alert pending at one slot has been pending exactly {@code k × interval}
   * at a later one.
   */
  public long evalTimestamp(long now) {
    long interval = this.interval.toMillis();
    long adj = now - offsetMillis;
    return adj - Math.floorMod(adj, interval) + offsetMillis;
  }

  /**
   * The slot the scheduled evaluation should run at for a tick at {@code now}, or {@code NONE} if
   * not due.
   */
  long dueSlot(long now) {
    long slot = evalTimestamp(now);
    long last = lastEvaluation;
    if (slot < notBefore || (last != AlertSnapshot.NONE && slot <= last)) {
      return AlertSnapshot.NONE;
    }
    return slot;
  }

  /** The next slot after {@code now}. */
  long nextSlot(long now) {
    return evalTimestamp(now) + interval.toMillis();
  }

  /**
   * Scheduled evaluations start at the first slot after {@code t} (Prometheus waits for the next
   * slot too).
   */
  void startAfter(long t) {
    notBefore = t + 1;
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
        // A bug, not a bad rule: keep the cause visible, mark the rule unhealthy, carry on with the
        // group.
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
   * Takes over alert state and series bookkeeping from the same rules (by {@link
   * RuleSpec#identity()}) of a previous version of this group, as Prometheus' {@code
   * Group.CopyState}; rules of {@code from} with no counterpart here have their series marked
   * stale.
   */
  void copyState(RuleGroup from, long t) {
    lastEvaluation = from.lastEvaluation;
    notBefore = from.notBefore;
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
