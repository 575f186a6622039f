package io.vecwatch.rules;

import io.vecwatch.rules.history.Retention;
import io.vecwatch.rules.promql.Expr;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Computes how long the history must keep each metric name for a set of rules. */
final class Retentions {
  private Retentions() {}

  /**
   * Names read by range selectors keep {@code range + lookback + slack}; everything else keeps
   * {@code lookback + slack}. A range selector without a fixed name makes its range apply to every
   * name.
   */
  static Retention of(List<RuleGroupSpec> groups, long lookbackMillis, long slackMillis) {
    Map<String, Long> byName = new HashMap<>();
    long[] unnamed = {0};
    for (RuleGroupSpec g : groups) {
      for (RuleSpec r : g.rules()) {
        walk(r.expr(), byName, unnamed);
      }
    }
    long base = lookbackMillis + slackMillis;
    long def = base + unnamed[0];
    Map<String, Long> out = new HashMap<>();
    byName.forEach((k, v) -> out.put(k, Math.max(def, base + v)));
    return new Retention(out, def);
  }

  /** The longest range any expression reads, for documentation and checks. */
  static long maxRangeMillis(List<RuleGroupSpec> groups) {
    Map<String, Long> byName = new HashMap<>();
    long[] unnamed = {0};
    for (RuleGroupSpec g : groups) {
      for (RuleSpec r : g.rules()) {
        walk(r.expr(), byName, unnamed);
      }
    }
    long max = unnamed[0];
    for (long v : byName.values()) {
      max = Math.max(max, v);
    }
    return max;
  }

  private static void walk(Expr e, Map<String, Long> byName, long[] unnamed) {
    if (e instanceof Expr.MatrixSelector m) {
      String name = m.selector().metricName();
      if (name == null) {
        unnamed[0] = Math.max(unnamed[0], m.rangeMillis());
      } else {
        byName.merge(name, m.rangeMillis(), Math::max);
      }
    } else if (e instanceof Expr.Call c) {
      c.args().forEach(a -> walk(a, byName, unnamed));
    } else if (e instanceof Expr.Aggregation a) {
      walk(a.expr(), byName, unnamed);
    } else if (e instanceof Expr.Binary b) {
      walk(b.lhs(), byName, unnamed);
      walk(b.rhs(), byName, unnamed);
    } else if (e instanceof Expr.Negation n) {
      walk(n.expr(), byName, unnamed);
    } else if (e instanceof Expr.Paren p) {
      walk(p.expr(), byName, unnamed);
    }
  }
}
