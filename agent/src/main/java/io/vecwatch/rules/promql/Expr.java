package io.vecwatch.rules.promql;

import java.util.List;
import java.util.Set;

/** A parsed PromQL expression of the supported subset. Build with {@link Parser#parse(String)}. */
public sealed interface Expr {
  ValueType type();

  /** A number literal. */
  record NumberLiteral(double value) implements Expr {
    @Override
    public ValueType type() {
      return ValueType.SCALAR;
    }
  }

  /** A string literal (only meaningful as a function argument). */
  record StringLiteral(String value) implements Expr {
    @Override
    public ValueType type() {
      return ValueType.STRING;
    }
  }

  /**
   * An instant vector selector.
   *
   * @param metricName the name when a {@code __name__="..."} matcher (or a bare name) is present,
   *     else null
   */
  record VectorSelector(String metricName, List<Matcher> matchers) implements Expr {
    public VectorSelector {
      matchers = List.copyOf(matchers);
    }

    @Override
    public ValueType type() {
      return ValueType.VECTOR;
    }
  }

  /** A range vector selector {@code sel[range]}, allowed only as a range function's argument. */
  record MatrixSelector(VectorSelector selector, long rangeMillis) implements Expr {
    @Override
    public ValueType type() {
      return ValueType.MATRIX;
    }
  }

  /** A function call. */
  record Call(Function function, List<Expr> args) implements Expr {
    public Call {
      args = List.copyOf(args);
    }

    @Override
    public ValueType type() {
      return function.returnType();
    }
  }

  /** {@code sum|avg|min|max|count [by|without (labels)] (expr)}. */
  record Aggregation(AggregationOp op, Expr expr, Set<String> grouping, boolean without)
      implements Expr {
    public Aggregation {
      grouping = Set.copyOf(grouping);
    }

    @Override
    public ValueType type() {
      return ValueType.VECTOR;
    }
  }

  /**
   * A binary operation.
   *
   * @param matching on/ignoring labels; null when none was written
   */
  record Binary(BinaryOp op, Expr lhs, Expr rhs, boolean returnBool, VectorMatching matching)
      implements Expr {
    @Override
    public ValueType type() {
      return lhs.type() == ValueType.SCALAR && rhs.type() == ValueType.SCALAR
          ? ValueType.SCALAR
          : ValueType.VECTOR;
    }
  }

  /** {@code on(labels)} or {@code ignoring(labels)}. */
  record VectorMatching(boolean on, Set<String> labels) {
    public VectorMatching {
      labels = Set.copyOf(labels);
    }

    public static final VectorMatching DEFAULT = new VectorMatching(false, Set.of());
  }

  /** Unary minus (unary plus is dropped by the parser). */
  record Negation(Expr expr) implements Expr {
    @Override
    public ValueType type() {
      return expr.type();
    }
  }

  /** A parenthesised expression. */
  record Paren(Expr expr) implements Expr {
    @Override
    public ValueType type() {
      return expr.type();
    }
  }
}
