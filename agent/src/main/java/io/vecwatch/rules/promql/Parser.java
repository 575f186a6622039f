package io.vecwatch.rules.promql;

import io.vecwatch.promtext.Labels;
import io.vecwatch.time.Durations;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * A hand-written recursive-descent parser for the supported PromQL subset, with Prometheus'
 * operator precedence ({@code or} < {@code and unless} < comparisons < {@code + -} < {@code * / %}
 * < {@code ^}) and its type rules. Valid PromQL outside the subset fails with an {@linkplain
 * PromQLException#isUnsupported() unsupported} error naming the construct.
 *
 * <pre>{@code
 * Expr e = Parser.parse("avg_over_time(vecwatch_recall_ratio{k=\"10\"}[5m]) < 0.95");
 * }</pre>
 */
public final class Parser {
  private static final Set<String> KEYWORDS =
      Set.of(
          "and",
          "or",
          "unless",
          "by",
          "without",
          "on",
          "ignoring",
          "group_left",
          "group_right",
          "bool",
          "offset");

  /**
   * Deepest expression tree accepted: far beyond any rule, well within the evaluation thread's
   * stack.
   */
  public static final int MAX_DEPTH = 256;

  private final List<Token> tokens;
  private int i;

  /** Depth of the tree being built at the current token (nesting plus chained binary operators). */
  private int depth;

  private Parser(String input) {
    this.tokens = Lexer.lex(input);
  }

  /** Parses and type-checks an expression; throws {@link PromQLException}. */
  public static Expr parse(String input) {
    Parser p = new Parser(input);
    if (p.peek().is(Token.Kind.EOF)) {
      throw PromQLException.syntax(0, "no expression found in input");
    }
    Expr e = p.expr(0);
    Token t = p.peek();
    if (!t.is(Token.Kind.EOF)) {
      throw PromQLException.syntax(t.pos(), "unexpected " + describe(t));
    }
    return e;
  }

  /**
   * Parses an expression that a rule can evaluate: its type must be a scalar or an instant vector.
   */
  public static Expr parseRuleExpression(String input) {
    Expr e = parse(input);
    if (e.type() == ValueType.MATRIX) {
      throw PromQLException.unsupported(
          "range vector outside a range function (" + input.strip() + ")");
    }
    if (e.type() == ValueType.STRING) {
      throw PromQLException.type("expression must be a scalar or an instant vector, got a string");
    }
    return e;
  }

  /**
   * Parses a series in selector notation with equality matchers only, e.g. {@code up{job="a"}} or
   * {@code {__name__="up"}} (promtool's {@code exp_samples.labels} and {@code
   * input_series.series}).
   */
  public static Labels parseSeries(String input) {
    Parser p = new Parser(input);
    Labels.Builder b = Labels.builder();
    Token t = p.peek();
    if (t.is(Token.Kind.IDENT)) {
      p.next();
      b.set(Labels.NAME, t.text());
    }
    if (p.peek().is(Token.Kind.LBRACE)) {
      p.next();
      for (Matcher m : p.matchers()) {
        if (m.type() != Matcher.Type.EQ) {
          throw PromQLException.syntax(0, "only = matchers are allowed in a series, got " + m);
        }
        b.set(m.name(), m.value());
      }
    }
    if (!p.peek().is(Token.Kind.EOF)) {
      throw PromQLException.syntax(
          p.peek().pos(), "unexpected " + describe(p.peek()) + " in series");
    }
    return b.build();
  }

  private Token peek() {
    return tokens.get(i);
  }

  private Token peek(int ahead) {
    return tokens.get(Math.min(i + ahead, tokens.size() - 1));
  }

  private Token next() {
    return tokens.get(i++);
  }

  private Token expect(Token.Kind kind, String what) {
    Token t = peek();
    if (!t.is(kind)) {
      throw PromQLException.syntax(t.pos(), "unexpected " + describe(t) + ", expected " + what);
    }
    return next();
  }

  private static String describe(Token t) {
    return switch (t.kind()) {
      case EOF -> "end of input";
      case STRING -> "string \"" + t.text() + "\"";
      case IDENT ->
          KEYWORDS.contains(t.text().toLowerCase(Locale.ROOT))
              ? "keyword \"" + t.text() + "\""
              : "identifier \"" + t.text() + "\"";
      case NUMBER -> "number \"" + t.text() + "\"";
      case DURATION -> "duration \"" + t.text() + "\"";
      default -> "\"" + t.text() + "\"";
    };
  }

  private Expr expr(int minPrecedence) {
    int entry = depth;
    try {
      deeper();
      return chain(minPrecedence);
    } finally {
      depth = entry;
    }
  }

  private void deeper() {
    if (++depth > MAX_DEPTH) {
      throw PromQLException.syntax(
          peek().pos(), "expression nested more than " + MAX_DEPTH + " levels deep");
    }
  }

  private Expr chain(int minPrecedence) {
    Expr lhs = unary();
    while (true) {
      Token t = peek();
      BinaryOp op = BinaryOp.fromToken(t);
      if (op == null || op.precedence() < minPrecedence) {
        return lhs;
      }
      next();
      deeper(); // each chained operator adds a level above lhs
      boolean returnBool = false;
      if (peek().isKeyword("bool")) {
        next();
        returnBool = true;
      }
      Expr.VectorMatching matching = null;
      if (peek().isKeyword("on") || peek().isKeyword("ignoring")) {
        boolean on = next().isKeyword("on");
        matching = new Expr.VectorMatching(on, groupingLabels());
      }
      if (peek().isKeyword("group_left") || peek().isKeyword("group_right")) {
        throw PromQLException.unsupported(peek().text().toLowerCase(Locale.ROOT) + " modifier");
      }
      Expr rhs = expr(op == BinaryOp.POW ? op.precedence() : op.precedence() + 1);
      lhs = binary(op, lhs, rhs, returnBool, matching);
    }
  }

  private static Expr binary(
      BinaryOp op, Expr lhs, Expr rhs, boolean returnBool, Expr.VectorMatching matching) {
    for (Expr side : List.of(lhs, rhs)) {
      if (side.type() != ValueType.SCALAR && side.type() != ValueType.VECTOR) {
        if (side.type() == ValueType.MATRIX) {
          throw PromQLException.unsupported("range vector outside a range function");
        }
        throw PromQLException.type(
            "binary expression must contain only scalar and instant vector types");
      }
    }
    boolean scalars = lhs.type() == ValueType.SCALAR && rhs.type() == ValueType.SCALAR;
    if (returnBool && !op.isComparison()) {
      throw PromQLException.type("bool modifier can only be used on comparison operators");
    }
    if (op.isComparison() && scalars && !returnBool) {
      throw PromQLException.type("comparisons between scalars must use BOOL modifier");
    }
    if (op.isSetOperator() && (lhs.type() == ValueType.SCALAR || rhs.type() == ValueType.SCALAR)) {
      throw PromQLException.type(
          "set operator \"" + op.symbol() + "\" not allowed in binary scalar expression");
    }
    if (matching != null && (lhs.type() != ValueType.VECTOR || rhs.type() != ValueType.VECTOR)) {
      throw PromQLException.type("vector matching only allowed between instant vectors");
    }
    return new Expr.Binary(op, lhs, rhs, returnBool, matching);
  }

  private Expr unary() {
    Token t = peek();
    if (t.isOp("-") || t.isOp("+")) {
      next();
      Expr operand = expr(BinaryOp.POW.precedence());
      if (operand.type() != ValueType.SCALAR && operand.type() != ValueType.VECTOR) {
        throw PromQLException.type(
            "unary expression only allowed on expressions of type scalar or instant vector");
      }
      if (t.isOp("+")) {
        return operand;
      }
      if (operand instanceof Expr.NumberLiteral n) {
        return new Expr.NumberLiteral(-n.value());
      }
      return new Expr.Negation(operand);
    }
    return postfix(primary());
  }

  private Expr postfix(Expr e) {
    while (true) {
      Token t = peek();
      if (t.is(Token.Kind.LBRACKET)) {
        next();
        Token d = peek();
        if (d.is(Token.Kind.COLON) || peek(1).is(Token.Kind.COLON)) {
          throw PromQLException.unsupported("subquery");
        }
        expect(Token.Kind.DURATION, "a duration");
        if (peek().is(Token.Kind.COLON)) {
          throw PromQLException.unsupported("subquery");
        }
        expect(Token.Kind.RBRACKET, "\"]\"");
        if (!(e instanceof Expr.VectorSelector vs)) {
          throw PromQLException.syntax(t.pos(), "ranges only allowed for vector selectors");
        }
        e = new Expr.MatrixSelector(vs, duration(d));
      } else if (t.isKeyword("offset")) {
        throw PromQLException.unsupported("offset modifier");
      } else if (t.is(Token.Kind.AT)) {
        throw PromQLException.unsupported("@ modifier");
      } else {
        return e;
      }
    }
  }

  private static long duration(Token d) {
    long ms;
    try {
      ms = Durations.parse(d.text()).toMillis();
    } catch (IllegalArgumentException | ArithmeticException ex) {
      throw PromQLException.syntax(d.pos(), "invalid duration \"" + d.text() + "\"");
    }
    if (ms <= 0) {
      throw PromQLException.syntax(d.pos(), "duration must be greater than 0");
    }
    return ms;
  }

  private Expr primary() {
    Token t = peek();
    switch (t.kind()) {
      case NUMBER:
        next();
        return new Expr.NumberLiteral(number(t));
      case STRING:
        next();
        return new Expr.StringLiteral(t.text());
      case LPAREN:
        {
          next();
          Expr inner = expr(0);
          expect(Token.Kind.RPAREN, "\")\"");
          return new Expr.Paren(inner);
        }
      case LBRACE:
        next();
        return selector(null, matchers());
      case IDENT:
        return identifier();
      default:
        throw PromQLException.syntax(t.pos(), "unexpected " + describe(t));
    }
  }

  private Expr identifier() {
    Token t = next();
    String word = t.text();
    String lower = word.toLowerCase(Locale.ROOT);
    Optional<AggregationOp> agg = AggregationOp.byName(word);
    boolean aggregationSyntax =
        peek().is(Token.Kind.LPAREN) || peek().isKeyword("by") || peek().isKeyword("without");
    if (agg.isPresent()) {
      return aggregation(agg.get());
    }
    if (AggregationOp.UNSUPPORTED.contains(lower) && aggregationSyntax) {
      throw PromQLException.unsupported("aggregation " + lower);
    }
    if (KEYWORDS.contains(lower)) {
      throw PromQLException.syntax(t.pos(), "unexpected " + describe(t));
    }
    if (peek().is(Token.Kind.LPAREN)) {
      Optional<Function> f = Function.byName(word);
      if (f.isEmpty()) {
        if (Function.OTHER_PROMQL_FUNCTIONS.contains(word)) {
          throw PromQLException.unsupported("function " + word);
        }
        throw PromQLException.syntax(t.pos(), "unknown function with name \"" + word + "\"");
      }
      return call(f.get());
    }
    List<Matcher> matchers = List.of();
    if (peek().is(Token.Kind.LBRACE)) {
      next();
      matchers = matchers();
    }
    return selector(word, matchers);
  }

  private Expr aggregation(AggregationOp op) {
    Set<String> grouping = Set.of();
    boolean without = false;
    boolean modifierSeen = false;
    if (peek().isKeyword("by") || peek().isKeyword("without")) {
      without = next().isKeyword("without");
      grouping = groupingLabels();
      modifierSeen = true;
    }
    List<Expr> args = arguments();
    if (!modifierSeen && (peek().isKeyword("by") || peek().isKeyword("without"))) {
      without = next().isKeyword("without");
      grouping = groupingLabels();
    }
    if (args.size() != 1) {
      throw PromQLException.type(
          "wrong number of arguments for aggregate expression provided, expected 1, got "
              + args.size());
    }
    Expr arg = args.get(0);
    if (arg.type() != ValueType.VECTOR) {
      throw PromQLException.type(
          "expected type instant vector in aggregation expression, got " + arg.type());
    }
    return new Expr.Aggregation(op, arg, grouping, without);
  }

  private Expr call(Function f) {
    List<Expr> args = arguments();
    if (args.size() != f.argTypes().size()) {
      throw PromQLException.type(
          "expected "
              + f.argTypes().size()
              + " argument(s) in call to \""
              + f.promName()
              + "\", got "
              + args.size());
    }
    List<Expr> checked = new ArrayList<>();
    for (int a = 0; a < args.size(); a++) {
      Expr arg = args.get(a);
      ValueType want = f.argTypes().get(a);
      if (want == ValueType.MATRIX) {
        while (arg instanceof Expr.Paren p) {
          arg = p.expr();
        }
      }
      if (arg.type() != want) {
        throw PromQLException.type(
            "expected type "
                + want
                + " in call to function \""
                + f.promName()
                + "\", got "
                + arg.type());
      }
      checked.add(arg);
    }
    return new Expr.Call(f, checked);
  }

  private List<Expr> arguments() {
    expect(Token.Kind.LPAREN, "\"(\"");
    List<Expr> args = new ArrayList<>();
    if (peek().is(Token.Kind.RPAREN)) {
      next();
      return args;
    }
    while (true) {
      args.add(expr(0));
      Token t = next();
      if (t.is(Token.Kind.RPAREN)) {
        return args;
      }
      if (!t.is(Token.Kind.COMMA)) {
        throw PromQLException.syntax(
            t.pos(), "unexpected " + describe(t) + ", expected \",\" or \")\"");
      }
    }
  }

  private Set<String> groupingLabels() {
    expect(Token.Kind.LPAREN, "\"(\"");
    Set<String> labels = new LinkedHashSet<>();
    while (true) {
      Token t = next();
      if (t.is(Token.Kind.RPAREN)) {
        return labels;
      }
      if (!t.is(Token.Kind.IDENT) || !Labels.isValidLabelName(t.text())) {
        throw PromQLException.syntax(
            t.pos(), "unexpected " + describe(t) + " in grouping opts, expected label");
      }
      labels.add(t.text());
      Token sep = peek();
      if (sep.is(Token.Kind.COMMA)) {
        next();
      } else if (!sep.is(Token.Kind.RPAREN)) {
        throw PromQLException.syntax(
            sep.pos(),
            "unexpected " + describe(sep) + " in grouping opts, expected \",\" or \")\"");
      }
    }
  }

  /** Reads matchers after an opening brace up to and including the closing brace. */
  private List<Matcher> matchers() {
    List<Matcher> out = new ArrayList<>();
    while (true) {
      Token t = next();
      if (t.is(Token.Kind.RBRACE)) {
        return out;
      }
      if (!t.is(Token.Kind.IDENT) || !Labels.isValidLabelName(t.text())) {
        throw PromQLException.syntax(
            t.pos(), "unexpected " + describe(t) + " in label matching, expected label");
      }
      Token op = next();
      Matcher.Type type =
          switch (op.kind() == Token.Kind.OP ? op.text() : "") {
            case "=" -> Matcher.Type.EQ;
            case "!=" -> Matcher.Type.NEQ;
            case "=~" -> Matcher.Type.RE;
            case "!~" -> Matcher.Type.NRE;
            default ->
                throw PromQLException.syntax(
                    op.pos(),
                    "unexpected "
                        + describe(op)
                        + " in label matching, expected one of \"=\", \"!=\", \"=~\", \"!~\"");
          };
      Token v = next();
      if (!v.is(Token.Kind.STRING)) {
        throw PromQLException.syntax(
            v.pos(), "unexpected " + describe(v) + " in label matching, expected string");
      }
      out.add(Matcher.of(type, t.text(), v.text()));
      Token sep = peek();
      if (sep.is(Token.Kind.COMMA)) {
        next();
      } else if (!sep.is(Token.Kind.RBRACE)) {
        throw PromQLException.syntax(
            sep.pos(),
            "unexpected " + describe(sep) + " in label matching, expected \",\" or \"}\"");
      }
    }
  }

  private static Expr selector(String name, List<Matcher> matchers) {
    List<Matcher> all = new ArrayList<>();
    String metricName = name;
    if (name != null) {
      for (Matcher m : matchers) {
        if (m.name().equals(Labels.NAME)) {
          throw PromQLException.type(
              "metric name must not be set twice: \"" + name + "\" or \"" + m.value() + "\"");
        }
      }
      all.add(Matcher.of(Matcher.Type.EQ, Labels.NAME, name));
    } else {
      for (Matcher m : matchers) {
        if (m.name().equals(Labels.NAME) && m.type() == Matcher.Type.EQ) {
          metricName = m.value();
        }
      }
    }
    all.addAll(matchers);
    boolean nonEmpty = all.stream().anyMatch(m -> !m.matches(""));
    if (!nonEmpty) {
      throw PromQLException.type("vector selector must contain at least one non-empty matcher");
    }
    return new Expr.VectorSelector(metricName, all);
  }

  private static double number(Token t) {
    String s = t.text();
    String lower = s.toLowerCase(Locale.ROOT);
    if (lower.equals("inf")) {
      return Double.POSITIVE_INFINITY;
    }
    if (lower.equals("nan")) {
      return Double.NaN;
    }
    try {
      if (lower.startsWith("0x")) {
        return Long.parseLong(s.substring(2), 16);
      }
      if (s.length() > 1 && s.charAt(0) == '0' && s.chars().allMatch(Character::isDigit)) {
        return Long.parseLong(s, 8); // Go's ParseInt(s, 0, 64): a leading 0 means octal
      }
      return Double.parseDouble(s);
    } catch (NumberFormatException e) {
      throw PromQLException.syntax(t.pos(), "bad number syntax: \"" + s + "\"");
    }
  }
}
