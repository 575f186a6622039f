package io.vecwatch.config;

import java.util.Map;
import java.util.function.Function;

/**
 * Expands environment references in one config scalar, with shell / Docker Compose semantics:
 *
 * <ul>
 *   <li>{@code ${NAME}}: the variable's value (may be empty); an error when it is not set;
 *   <li>{@code ${NAME:-default}}: the value when set and not empty, else {@code default};
 *   <li>{@code ${NAME-default}}: the value when set (even empty), else {@code default};
 *   <li>{@code $$}: a literal {@code $}. Any other {@code $} is kept as written ({@code ^a$},
 *       {@code pa$s}).
 * </ul>
 *
 * <p>Defaults are expanded too ({@code ${A:-${B:-x}}}); values are not (a value containing {@code
 * ${X}} stays literal, so the environment cannot inject references). Error messages name the
 * variable or the position of a malformed reference but never repeat the scalar's text, which may
 * be a secret.
 */
final class EnvSubstitution {
  private final Function<String, String> env;
  private final boolean literal;

  EnvSubstitution(Function<String, String> env) {
    this(env, false);
  }

  private EnvSubstitution(Function<String, String> env, boolean literal) {
    this.env = env;
    this.literal = literal;
  }

  static EnvSubstitution of(Map<String, String> env) {
    return new EnvSubstitution(env::get);
  }

  /**
   * No expansion at all: files in formats shared with other tools (the web config file) are read as
   * written.
   */
  static EnvSubstitution none() {
    return new EnvSubstitution(name -> null, true);
  }

  /**
   * Returns the expanded text, or throws {@link IllegalArgumentException} with a message fit for a
   * user.
   */
  String expand(String text) {
    if (literal || text.indexOf('$') < 0) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length());
    int end = expandInto(text, 0, -1, out);
    if (end != text.length()) {
      throw new IllegalStateException(
          "scanner stopped early"); // unreachable: top level runs to the end
    }
    return out.toString();
  }

  /**
   * Expands {@code text} from {@code pos} into {@code out}. Inside the default of the reference
   * starting at {@code refStart} it stops at the brace that closes that reference and returns its
   * index; at top level ({@code refStart < 0}) it returns the length.
   */
  private int expandInto(String text, int pos, int refStart, StringBuilder out) {
    boolean nested = refStart >= 0;
    int i = pos;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (nested && c == '}') {
        return i;
      }
      if (c != '$' || i + 1 >= text.length()) {
        out.append(c);
        i++;
        continue;
      }
      char next = text.charAt(i + 1);
      if (next == '$') {
        out.append('$');
        i += 2;
      } else if (next == '{') {
        i = reference(text, i, out);
      } else {
        out.append(c);
        i++;
      }
    }
    if (nested) {
      throw unterminated(refStart);
    }
    return i;
  }

  /**
   * Expands the reference starting at {@code start} (the {@code $}); returns the index after its
   * brace.
   */
  private int reference(String text, int start, StringBuilder out) {
    int i = start + 2;
    int nameStart = i;
    while (i < text.length() && isNameChar(text.charAt(i), i == nameStart)) {
      i++;
    }
    String name = text.substring(nameStart, i);
    if (i >= text.length()) {
      throw unterminated(start);
    }
    if (name.isEmpty()) {
      throw new IllegalArgumentException(
          "invalid variable reference at character "
              + (start + 1)
              + ": expected a name after \"${\" (write $$ for a literal $)");
    }
    String value = env.apply(name);
    char c = text.charAt(i);
    if (c == '}') {
      if (value == null) {
        throw new IllegalArgumentException("environment variable " + name + " is not set");
      }
      out.append(value);
      return i + 1;
    }
    boolean colon = c == ':' && i + 1 < text.length() && text.charAt(i + 1) == '-';
    if (!colon && c != '-') {
      throw new IllegalArgumentException(
          "invalid variable reference at character "
              + (start + 1)
              + ": use ${"
              + name
              + "}, ${"
              + name
              + ":-default} or ${"
              + name
              + "-default}");
    }
    int defaultStart = i + (colon ? 2 : 1);
    boolean useDefault = value == null || (colon && value.isEmpty());
    // The default is always scanned (to find its end and report mistakes in it) but only kept when
    // used.
    StringBuilder dflt = new StringBuilder();
    int close = expandDefault(text, defaultStart, start, dflt, useDefault);
    out.append(useDefault ? dflt : value);
    return close + 1;
  }

  private int expandDefault(String text, int from, int refStart, StringBuilder out, boolean used) {
    if (used) {
      return expandInto(text, from, refStart, out);
    }
    // An unused default may name unset variables; skip it without resolving them.
    int depth = 0;
    for (int i = from; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '$' && i + 1 < text.length() && text.charAt(i + 1) == '$') {
        i++;
      } else if (c == '$' && i + 1 < text.length() && text.charAt(i + 1) == '{') {
        depth++;
        i++;
      } else if (c == '}') {
        if (depth == 0) {
          return i;
        }
        depth--;
      }
    }
    throw unterminated(refStart);
  }

  private static boolean isNameChar(char c, boolean first) {
    return c == '_'
        || (c >= 'A' && c <= 'Z')
        || (c >= 'a' && c <= 'z')
        || (!first && c >= '0' && c <= '9');
  }

  private static IllegalArgumentException unterminated(int start) {
    return new IllegalArgumentException(
        "unterminated variable reference at character " + (start + 1) + ": missing \"}\"");
  }
}
