package io.vecwatch.rules.promql;

import io.vecwatch.promtext.Labels;
import io.vecwatch.promtext.Sample;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.DoubleUnaryOperator;

/**
 * Evaluates an expression at one instant over a {@link Queryable}, with the semantics of Prometheus
 * 2.42's engine (the promtool version CI checks against): instant selectors take the newest sample
 * within the lookback delta unless it is a staleness marker; range selectors take the samples in
 * {@code [t - range, t]} without staleness markers; {@code rate}/{@code increase} extrapolate like
 * {@code extrapolatedRate}.
 *
 * <pre>{@code
 * Value v = new Evaluator(store, Evaluator.DEFAULT_LOOKBACK_MS).eval(Parser.parse("up == 0"), nowMillis);
 * }</pre>
 */
public final class Evaluator {
  /** Prometheus' default {@code --query.lookback-delta}. */
  public static final long DEFAULT_LOOKBACK_MS = 5 * 60 * 1000L;

  private final Queryable queryable;
  private final long lookbackMillis;

  /**
   * Range-function results of the current evaluation time, reused by later rules with the same
   * subexpression (packs repeat {@code rate(x[5m])}) while no sample of the series they read has
   * been added.
   */
  private final Map<Expr.Call, Memo> memo = new HashMap<>();

  private long memoTime = Long.MIN_VALUE;

  private record Memo(long version, Value value) {}

  public Evaluator(Queryable queryable, long lookbackMillis) {
    this.queryable = queryable;
    this.lookbackMillis = lookbackMillis;
  }

  /**
   * Evaluates at {@code t} (ms since the epoch); throws {@link EvalException} on run-time errors.
   */
  public Value eval(Expr e, long t) {
    if (e instanceof Expr.NumberLiteral n) {
      return new Value.Scalar(n.value());
    }
    if (e instanceof Expr.Paren p) {
      return eval(p.expr(), t);
    }
    if (e instanceof Expr.VectorSelector vs) {
      return new Value.Vector(select(vs, t));
    }
    if (e instanceof Expr.Negation n) {
      Value v = eval(n.expr(), t);
      if (v instanceof Value.Scalar s) {
        return new Value.Scalar(-s.value());
      }
      List<Sample> out = new ArrayList<>();
      for (Sample s : ((Value.Vector) v).samples()) {
        out.add(new Sample(s.labels().withoutName(), -s.value()));
      }
      return checked(out);
    }
    if (e instanceof Expr.Call c) {
      return call(c, t);
    }
    if (e instanceof Expr.Aggregation a) {
      return aggregate(a, vector(a.expr(), t));
    }
    if (e instanceof Expr.Binary b) {
      return binary(b, t);
    }
    throw new EvalException("cannot evaluate " + e.getClass().getSimpleName() + " on its own");
  }

  private List<Sample> vector(Expr e, long t) {
    return ((Value.Vector) eval(e, t)).samples();
  }

  private double scalar(Expr e, long t) {
    return ((Value.Scalar) eval(e, t)).value();
  }

  private static Value.Vector checked(List<Sample> out) {
    if (out.size() > 1) {
      Set<Labels> seen = new HashSet<>(out.size() * 2);
      for (Sample s : out) {
        if (!seen.add(s.labels())) {
          throw new EvalException("vector cannot contain metrics with the same labelset");
        }
      }
    }
    return new Value.Vector(out);
  }

  private static boolean matches(Series s, List<Matcher> matchers) {
    Labels l = s.labels();
    for (Matcher m : matchers) {
      if (!m.matches(l)) {
        return false;
      }
    }
    return true;
  }

  private List<Sample> select(Expr.VectorSelector vs, long t) {
    List<Sample> out = new ArrayList<>();
    long min = t - lookbackMillis;
    for (Series s : queryable.candidates(vs.metricName())) {
      if (!matches(s, vs.matchers())) {
        continue;
      }
      int idx = s.indexAtOrBefore(t);
      if (idx < 0 || s.timeAt(idx) < min) {
        continue;
      }
      double v = s.valueAt(idx);
      if (StaleNaN.is(v)) {
        continue;
      }
      out.add(new Sample(s.labels(), v));
    }
    return out;
  }

  // ---- functions ----

  private Value call(Expr.Call c, long t) {
    Function f = c.function();
    int mi = f.matrixArgIndex();
    if (mi >= 0) {
      Expr.MatrixSelector ms = (Expr.MatrixSelector) c.args().get(mi);
      if (t != memoTime) {
        memo.clear();
        memoTime = t;
      }
      boolean cacheable =
          c.args().stream().allMatch(a -> a == ms || a instanceof Expr.NumberLiteral);
      if (!cacheable) {
        return rangeFunction(c, ms, t);
      }
      long version = queryable.version(ms.selector().metricName());
      Memo m = memo.get(c);
      if (m != null && m.version() == version && version >= 0) {
        return m.value();
      }
      Value v = rangeFunction(c, ms, t);
      memo.put(c, new Memo(version, v));
      return v;
    }
    switch (f) {
      case TIME:
        return new Value.Scalar(t / 1000.0);
      case VECTOR:
        return new Value.Vector(List.of(new Sample(Labels.EMPTY, scalar(c.args().get(0), t))));
      case SCALAR:
        {
          List<Sample> v = vector(c.args().get(0), t);
          return new Value.Scalar(v.size() == 1 ? v.get(0).value() : Double.NaN);
        }
      case ABSENT:
        {
          if (!vector(c.args().get(0), t).isEmpty()) {
            return new Value.Vector(List.of());
          }
          return new Value.Vector(List.of(new Sample(absentLabels(c.args().get(0)), 1)));
        }
      case ABS:
        return simple(vector(c.args().get(0), t), Math::abs);
      case CLAMP_MIN:
        {
          double min = scalar(c.args().get(1), t);
          return simple(vector(c.args().get(0), t), v -> Math.max(min, v));
        }
      case CLAMP_MAX:
        {
          double max = scalar(c.args().get(1), t);
          return simple(vector(c.args().get(0), t), v -> Math.min(max, v));
        }
      case CLAMP:
        {
          double min = scalar(c.args().get(1), t);
          double max = scalar(c.args().get(2), t);
          if (max < min) {
            return new Value.Vector(List.of());
          }
          return simple(vector(c.args().get(0), t), v -> Math.max(min, Math.min(max, v)));
        }
      default:
        throw new EvalException("function " + f + " not implemented");
    }
  }

  private static Value simple(List<Sample> in, DoubleUnaryOperator f) {
    List<Sample> out = new ArrayList<>(in.size());
    for (Sample s : in) {
      out.add(new Sample(s.labels().withoutName(), f.applyAsDouble(s.value())));
    }
    return checked(out);
  }

  /**
   * Prometheus' createLabelsForAbsentFunction: equality matchers become labels, repeated names are
   * removed.
   */
  private static Labels absentLabels(Expr arg) {
    if (!(arg instanceof Expr.VectorSelector vs)) {
      return Labels.EMPTY;
    }
    Labels.Builder b = Labels.builder();
    Set<String> has = new HashSet<>();
    for (Matcher m : vs.matchers()) {
      if (m.name().equals(Labels.NAME)) {
        continue;
      }
      if (m.type() == Matcher.Type.EQ && !has.contains(m.name())) {
        b.set(m.name(), m.value());
        has.add(m.name());
      } else {
        b.delete(m.name());
      }
    }
    return b.build();
  }

  private Value rangeFunction(Expr.Call c, Expr.MatrixSelector ms, long t) {
    Function f = c.function();
    double q = f == Function.QUANTILE_OVER_TIME ? scalar(c.args().get(0), t) : 0;
    long maxt = t;
    long mint = t - ms.rangeMillis();
    Iterable<? extends Series> candidates = queryable.candidates(ms.selector().metricName());
    // sized for every candidate: growing the list was a visible share of a tick's time
    List<Sample> out =
        new ArrayList<>(candidates instanceof Collection<?> all ? Math.max(all.size(), 1) : 64);
    long[] ts = new long[16];
    double[] vs = new double[16];
    for (Series s : candidates) {
      if (!matches(s, ms.selector().matchers())) {
        continue;
      }
      int hi = s.indexAtOrBefore(maxt);
      if (hi < 0) {
        continue;
      }
      int lo = s.indexAtOrBefore(mint - 1) + 1;
      if (lo > hi) {
        continue;
      }
      long[] tArr;
      double[] vArr;
      int from;
      int n;
      int off = s.directOffset();
      if (off >= 0) { // no staleness markers: read the series' own arrays, no copy
        tArr = s.timesArray();
        vArr = s.valuesArray();
        from = off + lo;
        n = hi - lo + 1;
      } else {
        if (ts.length < hi - lo + 1) {
          ts = new long[hi - lo + 1];
          vs = new double[hi - lo + 1];
        }
        n = s.copyNonStale(lo, hi, ts, vs);
        tArr = ts;
        vArr = vs;
        from = 0;
      }
      if (n == 0) {
        continue;
      }
      double result;
      switch (f) {
        case RATE, INCREASE -> {
          if (n < 2) {
            continue;
          }
          result =
              RangeFunctions.extrapolatedRate(
                  tArr, vArr, from, n, mint, maxt, ms.rangeMillis(), f == Function.RATE);
        }
        case AVG_OVER_TIME -> result = RangeFunctions.avg(vArr, from, n);
        case SUM_OVER_TIME -> result = RangeFunctions.sum(vArr, from, n);
        case MIN_OVER_TIME -> result = RangeFunctions.min(vArr, from, n);
        case MAX_OVER_TIME -> result = RangeFunctions.max(vArr, from, n);
        case COUNT_OVER_TIME -> result = n;
        case LAST_OVER_TIME -> result = vArr[from + n - 1];
        case QUANTILE_OVER_TIME ->
            result = RangeFunctions.quantile(q, Arrays.copyOfRange(vArr, from, from + n));
        default -> throw new EvalException("function " + f + " not implemented");
      }
      Labels labels = f == Function.LAST_OVER_TIME ? s.labels() : s.labels().withoutName();
      out.add(new Sample(labels, result));
    }
    // Series of one metric name differ in other labels, so dropping the name cannot make two alike.
    return ms.selector().metricName() != null ? new Value.Vector(out) : checked(out);
  }

  // ---- aggregation ----

  private static final class Group {
    final Labels labels;
    double value;
    double mean;
    int count;

    Group(Labels labels, double v) {
      this.labels = labels;
      this.value = v;
      this.mean = v;
      this.count = 1;
    }
  }

  private static Value aggregate(Expr.Aggregation a, List<Sample> in) {
    Map<String, Group> groups = new LinkedHashMap<>();
    for (Sample s : in) {
      Labels l = s.labels();
      String key =
          a.without()
              ? l.signature(false, a.grouping())
              : a.grouping().isEmpty() ? "" : l.signature(true, a.grouping());
      Group g = groups.get(key);
      double v = s.value();
      if (g == null) {
        Labels gl =
            a.without()
                ? l.toBuilder().delete(Labels.NAME).build().drop(a.grouping())
                : a.grouping().isEmpty() ? Labels.EMPTY : l.keep(a.grouping());
        groups.put(key, new Group(gl, v));
        continue;
      }
      switch (a.op()) {
        case SUM -> g.value += v;
        case AVG -> {
          g.count++;
          if (Double.isInfinite(g.mean)) {
            if (Double.isInfinite(v) && (g.mean > 0) == (v > 0)) {
              break;
            }
            if (!Double.isInfinite(v) && !Double.isNaN(v)) {
              break;
            }
          }
          g.mean += v / g.count - g.mean / g.count;
        }
        case MAX -> {
          if (g.value < v || Double.isNaN(g.value)) {
            g.value = v;
          }
        }
        case MIN -> {
          if (g.value > v || Double.isNaN(g.value)) {
            g.value = v;
          }
        }
        case COUNT -> g.count++;
        default -> throw new EvalException("aggregation " + a.op() + " not implemented");
      }
    }
    List<Sample> out = new ArrayList<>(groups.size());
    for (Group g : groups.values()) {
      double v =
          switch (a.op()) {
            case AVG -> g.mean;
            case COUNT -> g.count;
            default -> g.value;
          };
      out.add(new Sample(g.labels, v));
    }
    return checked(out);
  }

  // ---- binary operators ----

  private Value binary(Expr.Binary b, long t) {
    Value l = eval(b.lhs(), t);
    Value r = eval(b.rhs(), t);
    BinaryOp op = b.op();
    if (l instanceof Value.Scalar ls && r instanceof Value.Scalar rs) {
      return new Value.Scalar(scalarBinop(op, ls.value(), rs.value()));
    }
    if (l instanceof Value.Vector lv && r instanceof Value.Scalar rs) {
      return vectorScalar(op, lv.samples(), rs.value(), false, b.returnBool());
    }
    if (l instanceof Value.Scalar ls && r instanceof Value.Vector rv) {
      return vectorScalar(op, rv.samples(), ls.value(), true, b.returnBool());
    }
    List<Sample> lhs = ((Value.Vector) l).samples();
    List<Sample> rhs = ((Value.Vector) r).samples();
    Expr.VectorMatching m = b.matching() == null ? Expr.VectorMatching.DEFAULT : b.matching();
    return switch (op) {
      case AND -> checked(and(lhs, rhs, m));
      case OR -> checked(or(lhs, rhs, m));
      case UNLESS -> checked(unless(lhs, rhs, m));
      default -> checked(vectorBinop(op, lhs, rhs, m, b.returnBool()));
    };
  }

  private static double scalarBinop(BinaryOp op, double l, double r) {
    return switch (op) {
      case ADD -> l + r;
      case SUB -> l - r;
      case MUL -> l * r;
      case DIV -> l / r;
      case POW -> Math.pow(l, r);
      case MOD -> l % r;
      case EQ -> l == r ? 1 : 0;
      case NEQ -> l != r ? 1 : 0;
      case GT -> l > r ? 1 : 0;
      case LT -> l < r ? 1 : 0;
      case GTE -> l >= r ? 1 : 0;
      case LTE -> l <= r ? 1 : 0;
      default ->
          throw new EvalException("operator " + op.symbol() + " not allowed for scalar operations");
    };
  }

  /** Applies {@code op}; returns NaN-tagged "drop" through {@code keep[0]}. */
  private static double elemBinop(BinaryOp op, double l, double r, boolean[] keep) {
    keep[0] = true;
    return switch (op) {
      case ADD -> l + r;
      case SUB -> l - r;
      case MUL -> l * r;
      case DIV -> l / r;
      case POW -> Math.pow(l, r);
      case MOD -> l % r;
      case EQ -> {
        keep[0] = l == r;
        yield l;
      }
      case NEQ -> {
        keep[0] = l != r;
        yield l;
      }
      case GT -> {
        keep[0] = l > r;
        yield l;
      }
      case LT -> {
        keep[0] = l < r;
        yield l;
      }
      case GTE -> {
        keep[0] = l >= r;
        yield l;
      }
      case LTE -> {
        keep[0] = l <= r;
        yield l;
      }
      default ->
          throw new EvalException(
              "operator " + op.symbol() + " not allowed for operations between vectors");
    };
  }

  private static Value vectorScalar(
      BinaryOp op, List<Sample> vec, double scalar, boolean swap, boolean returnBool) {
    List<Sample> out = new ArrayList<>(vec.size());
    boolean[] keep = new boolean[1];
    for (Sample s : vec) {
      double lv = s.value();
      double rv = scalar;
      if (swap) {
        lv = scalar;
        rv = s.value();
      }
      double value = elemBinop(op, lv, rv, keep);
      if (op.isComparison() && swap) {
        value = rv; // keep the vector element's value when the scalar is on the left
      }
      boolean k = keep[0];
      if (returnBool) {
        value = k ? 1 : 0;
        k = true;
      }
      if (k) {
        Labels labels = op.dropsMetricName() || returnBool ? s.labels().withoutName() : s.labels();
        out.add(new Sample(labels, value));
      }
    }
    return checked(out);
  }

  private static List<Sample> and(List<Sample> lhs, List<Sample> rhs, Expr.VectorMatching m) {
    if (lhs.isEmpty() || rhs.isEmpty()) {
      return List.of();
    }
    Set<String> right = new HashSet<>();
    for (Sample s : rhs) {
      right.add(s.labels().signature(m.on(), m.labels()));
    }
    List<Sample> out = new ArrayList<>();
    for (Sample s : lhs) {
      if (right.contains(s.labels().signature(m.on(), m.labels()))) {
        out.add(s);
      }
    }
    return out;
  }

  private static List<Sample> or(List<Sample> lhs, List<Sample> rhs, Expr.VectorMatching m) {
    if (lhs.isEmpty()) {
      return rhs;
    }
    if (rhs.isEmpty()) {
      return lhs;
    }
    Set<String> left = new HashSet<>();
    List<Sample> out = new ArrayList<>(lhs);
    for (Sample s : lhs) {
      left.add(s.labels().signature(m.on(), m.labels()));
    }
    for (Sample s : rhs) {
      if (!left.contains(s.labels().signature(m.on(), m.labels()))) {
        out.add(s);
      }
    }
    return out;
  }

  private static List<Sample> unless(List<Sample> lhs, List<Sample> rhs, Expr.VectorMatching m) {
    if (lhs.isEmpty() || rhs.isEmpty()) {
      return lhs;
    }
    Set<String> right = new HashSet<>();
    for (Sample s : rhs) {
      right.add(s.labels().signature(m.on(), m.labels()));
    }
    List<Sample> out = new ArrayList<>();
    for (Sample s : lhs) {
      if (!right.contains(s.labels().signature(m.on(), m.labels()))) {
        out.add(s);
      }
    }
    return out;
  }

  private static List<Sample> vectorBinop(
      BinaryOp op, List<Sample> lhs, List<Sample> rhs, Expr.VectorMatching m, boolean returnBool) {
    if (lhs.isEmpty() || rhs.isEmpty()) {
      return List.of();
    }
    Map<String, Sample> right = new HashMap<>(rhs.size() * 2);
    for (Sample s : rhs) {
      String sig = s.labels().signature(m.on(), m.labels());
      Sample dup = right.putIfAbsent(sig, s);
      if (dup != null) {
        Labels matched =
            m.on() ? s.labels().keep(m.labels()) : s.labels().withoutName().drop(m.labels());
        throw new EvalException(
            "found duplicate series for the match group "
                + matched
                + " on the right hand-side of the operation: ["
                + s.labels()
                + ", "
                + dup.labels()
                + "];many-to-many matching not allowed: matching labels must be unique on one side");
      }
    }
    Set<String> matched = new HashSet<>();
    List<Sample> out = new ArrayList<>();
    boolean[] keep = new boolean[1];
    for (Sample ls : lhs) {
      String sig = ls.labels().signature(m.on(), m.labels());
      Sample rs = right.get(sig);
      if (rs == null) {
        continue;
      }
      double value = elemBinop(op, ls.value(), rs.value(), keep);
      if (returnBool) {
        value = keep[0] ? 1 : 0;
      } else if (!keep[0]) {
        continue;
      }
      Labels.Builder lb = ls.labels().toBuilder();
      if (op.dropsMetricName() || returnBool) {
        lb.delete(Labels.NAME);
      }
      if (m.on()) {
        lb.keep(m.labels());
      } else {
        for (String n : m.labels()) {
          lb.delete(n);
        }
      }
      if (!matched.add(sig)) {
        throw new EvalException(
            "multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)");
      }
      out.add(new Sample(lb.build(), value));
    }
    return out;
  }
}
