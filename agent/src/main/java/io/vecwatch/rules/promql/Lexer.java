package io.vecwatch.rules.promql;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a PromQL expression into tokens (PromQL's lexical rules: Go strings, durations, {@code #}
 * comments).
 */
final class Lexer {
  private final String in;
  private int pos;
  private final List<Token> out = new ArrayList<>();

  private Lexer(String in) {
    this.in = in;
  }

  static List<Token> lex(String input) {
    Lexer l = new Lexer(input);
    l.run();
    return l.out;
  }

  private void run() {
    int n = in.length();
    while (pos < n) {
      char c = in.charAt(pos);
      if (Character.isWhitespace(c)) {
        pos++;
        continue;
      }
      if (c == '#') {
        while (pos < n && in.charAt(pos) != '\n') {
          pos++;
        }
        continue;
      }
      int start = pos;
      switch (c) {
        case '(' -> add(Token.Kind.LPAREN, "(", 1);
        case ')' -> add(Token.Kind.RPAREN, ")", 1);
        case '{' -> add(Token.Kind.LBRACE, "{", 1);
        case '}' -> add(Token.Kind.RBRACE, "}", 1);
        case '[' -> add(Token.Kind.LBRACKET, "[", 1);
        case ']' -> add(Token.Kind.RBRACKET, "]", 1);
        case ',' -> add(Token.Kind.COMMA, ",", 1);
        case ':' -> add(Token.Kind.COLON, ":", 1);
        case '@' -> add(Token.Kind.AT, "@", 1);
        case '+', '-', '*', '/', '%', '^' -> add(Token.Kind.OP, String.valueOf(c), 1);
        case '=' -> {
          if (peek(1) == '=') {
            add(Token.Kind.OP, "==", 2);
          } else if (peek(1) == '~') {
            add(Token.Kind.OP, "=~", 2);
          } else {
            add(Token.Kind.OP, "=", 1);
          }
        }
        case '!' -> {
          if (peek(1) == '=') {
            add(Token.Kind.OP, "!=", 2);
          } else if (peek(1) == '~') {
            add(Token.Kind.OP, "!~", 2);
          } else {
            throw PromQLException.syntax(
                pos, "unexpected character after '!': " + describe(peek(1)));
          }
        }
        case '<', '>' -> {
          if (peek(1) == '=') {
            add(Token.Kind.OP, c + "=", 2);
          } else {
            add(Token.Kind.OP, String.valueOf(c), 1);
          }
        }
        case '"', '\'' -> out.add(new Token(Token.Kind.STRING, readString(c), start));
        case '`' -> out.add(new Token(Token.Kind.STRING, readRaw(), start));
        default -> {
          if (isDigit(c) || (c == '.' && isDigit(peek(1)))) {
            readNumberOrDuration();
          } else if (isIdentStart(c)) {
            readIdentifier();
          } else {
            throw PromQLException.syntax(pos, "unexpected character: " + describe(c));
          }
        }
      }
    }
    out.add(new Token(Token.Kind.EOF, "", in.length()));
  }

  private void add(Token.Kind kind, String text, int len) {
    out.add(new Token(kind, text, pos));
    pos += len;
  }

  private char peek(int ahead) {
    int p = pos + ahead;
    return p < in.length() ? in.charAt(p) : '\0';
  }

  private static String describe(char c) {
    return c == '\0' ? "end of input" : "'" + c + "'";
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isIdentStart(char c) {
    return c == '_' || c == ':' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  private static boolean isIdentPart(char c) {
    return isIdentStart(c) || isDigit(c);
  }

  private void readIdentifier() {
    int start = pos;
    while (pos < in.length() && isIdentPart(in.charAt(pos))) {
      pos++;
    }
    String word = in.substring(start, pos);
    if (word.equalsIgnoreCase("inf") || word.equalsIgnoreCase("nan")) {
      out.add(new Token(Token.Kind.NUMBER, word, start));
    } else {
      out.add(new Token(Token.Kind.IDENT, word, start));
    }
  }

  private void readNumberOrDuration() {
    int start = pos;
    int n = in.length();
    // A duration is digits followed by a unit, possibly repeated: 5m, 1h30m, 500ms.
    int p = pos;
    boolean duration = false;
    while (p < n && isDigit(in.charAt(p))) {
      int q = p;
      while (q < n && isDigit(in.charAt(q))) {
        q++;
      }
      int unitLen = unitLength(q);
      if (unitLen == 0) {
        break;
      }
      duration = true;
      p = q + unitLen;
    }
    if (duration && (p >= n || !isIdentPart(in.charAt(p)) || in.charAt(p) == ':')) {
      pos = p;
      out.add(new Token(Token.Kind.DURATION, in.substring(start, p), start));
      return;
    }
    if (in.startsWith("0x", pos) || in.startsWith("0X", pos)) {
      pos += 2;
      while (pos < n && Character.digit(in.charAt(pos), 16) >= 0) {
        pos++;
      }
    } else {
      while (pos < n && isDigit(in.charAt(pos))) {
        pos++;
      }
      if (pos < n && in.charAt(pos) == '.') {
        pos++;
        while (pos < n && isDigit(in.charAt(pos))) {
          pos++;
        }
      }
      if (pos < n && (in.charAt(pos) == 'e' || in.charAt(pos) == 'E')) {
        int save = pos;
        pos++;
        if (pos < n && (in.charAt(pos) == '+' || in.charAt(pos) == '-')) {
          pos++;
        }
        if (pos < n && isDigit(in.charAt(pos))) {
          while (pos < n && isDigit(in.charAt(pos))) {
            pos++;
          }
        } else {
          pos = save;
        }
      }
    }
    if (pos < n && isIdentPart(in.charAt(pos)) && in.charAt(pos) != ':') {
      throw PromQLException.syntax(
          start, "bad number or duration syntax: \"" + in.substring(start, pos + 1) + "\"");
    }
    out.add(new Token(Token.Kind.NUMBER, in.substring(start, pos), start));
  }

  /** Length of a duration unit at {@code p} (ms, s, m, h, d, w, y), or 0. */
  private int unitLength(int p) {
    if (p >= in.length()) {
      return 0;
    }
    char c = in.charAt(p);
    if (c == 'm' && p + 1 < in.length() && in.charAt(p + 1) == 's') {
      return 2;
    }
    return switch (c) {
      case 's', 'm', 'h', 'd', 'w', 'y' -> 1;
      default -> 0;
    };
  }

  private String readRaw() {
    int start = pos;
    pos++;
    int end = in.indexOf('`', pos);
    if (end < 0) {
      throw PromQLException.syntax(start, "unterminated raw string");
    }
    String s = in.substring(pos, end);
    pos = end + 1;
    return s;
  }

  private String readString(char quote) {
    int start = pos;
    pos++;
    StringBuilder sb = new StringBuilder();
    while (true) {
      if (pos >= in.length() || in.charAt(pos) == '\n') {
        throw PromQLException.syntax(start, "unterminated quoted string");
      }
      char c = in.charAt(pos++);
      if (c == quote) {
        return sb.toString();
      }
      if (c != '\\') {
        sb.append(c);
        continue;
      }
      if (pos >= in.length()) {
        throw PromQLException.syntax(start, "unterminated quoted string");
      }
      char e = in.charAt(pos++);
      switch (e) {
        case 'a' -> sb.append('\u0007');
        case 'b' -> sb.append('\b');
        case 'f' -> sb.append('\f');
        case 'n' -> sb.append('\n');
        case 'r' -> sb.append('\r');
        case 't' -> sb.append('\t');
        case 'v' -> sb.append('\u000b');
        case '\\' -> sb.append('\\');
        case '\'', '"' -> {
          if (e != quote) {
            throw PromQLException.syntax(pos - 2, "unknown escape sequence \\" + e);
          }
          sb.append(e);
        }
        case 'x' -> sb.append((char) hex(2));
        case 'u' -> sb.appendCodePoint(hex(4));
        case 'U' -> sb.appendCodePoint(hex(8));
        default -> {
          if (e >= '0' && e <= '7') {
            int v = e - '0';
            for (int i = 0; i < 2; i++) {
              char d = pos < in.length() ? in.charAt(pos) : '\0';
              if (d < '0' || d > '7') {
                throw PromQLException.syntax(pos, "invalid octal escape");
              }
              v = v * 8 + (d - '0');
              pos++;
            }
            sb.append((char) v);
          } else {
            throw PromQLException.syntax(pos - 2, "unknown escape sequence \\" + e);
          }
        }
      }
    }
  }

  private int hex(int digits) {
    if (pos + digits > in.length()) {
      throw PromQLException.syntax(pos, "invalid escape sequence");
    }
    try {
      int v = Integer.parseInt(in.substring(pos, pos + digits), 16);
      pos += digits;
      return v;
    } catch (NumberFormatException e) {
      throw PromQLException.syntax(pos, "invalid escape sequence");
    }
  }
}
