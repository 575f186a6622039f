package io.vecwatch.rules.promql;

/** One lexical token of a PromQL expression; {@code pos} is its character offset. */
record Token(Kind kind, String text, int pos) {
  enum Kind {
    NUMBER,
    DURATION,
    STRING,
    IDENT,
    LPAREN,
    RPAREN,
    LBRACE,
    RBRACE,
    LBRACKET,
    RBRACKET,
    COMMA,
    COLON,
    AT,
    OP,
    EOF
  }

  boolean is(Kind k) {
    return kind == k;
  }

  boolean isOp(String op) {
    return kind == Kind.OP && text.equals(op);
  }

  /** Keywords are case-insensitive in PromQL. */
  boolean isKeyword(String kw) {
    return kind == Kind.IDENT && text.equalsIgnoreCase(kw);
  }
}
