package io.vecwatch.rules.promql;

import java.util.Locale;

/**
 * Binary operators with PromQL's precedence (higher binds tighter); {@code ^} is right-associative.
 */
public enum BinaryOp {
  OR("or", 1),
  AND("and", 2),
  UNLESS("unless", 2),
  EQ("==", 3),
  NEQ("!=", 3),
  LT("<", 3),
  LTE("<=", 3),
  GT(">", 3),
  GTE(">=", 3),
  ADD("+", 4),
  SUB("-", 4),
  MUL("*", 5),
  DIV("/", 5),
  MOD("%", 5),
  POW("^", 6);

  private final String symbol;
  private final int precedence;

  BinaryOp(String symbol, int precedence) {
    this.symbol = symbol;
    this.precedence = precedence;
  }

  public String symbol() {
    return symbol;
  }

  int precedence() {
    return precedence;
  }

  public boolean isComparison() {
    return precedence == 3;
  }

  public boolean isSetOperator() {
    return this == OR || this == AND || this == UNLESS;
  }

  /** Arithmetic results lose the metric name; comparisons and set operators keep it. */
  public boolean dropsMetricName() {
    return precedence >= 4;
  }

  static BinaryOp fromToken(Token t) {
    if (t.kind() == Token.Kind.OP) {
      for (BinaryOp op : values()) {
        if (op.precedence > 2 && op.symbol.equals(t.text())) {
          return op;
        }
      }
      return null;
    }
    if (t.kind() == Token.Kind.IDENT) {
      String w = t.text().toLowerCase(Locale.ROOT);
      return switch (w) {
        case "or" -> OR;
        case "and" -> AND;
        case "unless" -> UNLESS;
        default -> null;
      };
    }
    return null;
  }
}
