package io.vecwatch.rules.promql;

import io.vecwatch.promtext.Labels;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A label matcher: {@code =}, {@code !=}, {@code =~}, {@code !~}. Regular expressions are fully
 * anchored, as in Prometheus, and run on {@link java.util.regex} (RE2 syntax is mostly a subset;
 * see docs/rules.md).
 */
public record Matcher(Type type, String name, String value, Pattern pattern) {

  /** The matcher operators. */
  public enum Type {
    EQ("="),
    NEQ("!="),
    RE("=~"),
    NRE("!~");

    private final String op;

    Type(String op) {
      this.op = op;
    }

    public String op() {
      return op;
    }
  }

  public static Matcher of(Type type, String name, String value) {
    Pattern p = null;
    if (type == Type.RE || type == Type.NRE) {
      try {
        p = Pattern.compile("^(?:" + value + ")$");
      } catch (PatternSyntaxException e) {
        throw PromQLException.type(
            "invalid regular expression \""
                + value
                + "\" for label "
                + name
                + ": "
                + e.getDescription());
      }
    }
    return new Matcher(type, name, value, p);
  }

  /** Whether a label value (empty when the label is missing) matches. */
  public boolean matches(String v) {
    return switch (type) {
      case EQ -> v.equals(value);
      case NEQ -> !v.equals(value);
      case RE -> pattern.matcher(v).matches();
      case NRE -> !pattern.matcher(v).matches();
    };
  }

  public boolean matches(Labels l) {
    return matches(l.get(name));
  }

  /** Equal when type, name and value are: the compiled pattern follows from them. */
  @Override
  public boolean equals(Object o) {
    return o instanceof Matcher m && m.type == type && m.name.equals(name) && m.value.equals(value);
  }

  @Override
  public int hashCode() {
    return Objects.hash(type, name, value);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(name).append(type.op);
    Labels.quote(sb, value);
    return sb.toString();
  }
}
