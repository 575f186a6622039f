package io.vecwatch.config;

import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Expands {@code ${NAME}} and {@code ${NAME:-default}} in config scalars; {@code $$} stands for a literal {@code $}. */
final class EnvSubstitution {
  private static final Pattern REF = Pattern.compile("\\$\\$|\\$\\{([A-Za-z_][A-Za-z0-9_]*)(:-([^}]*))?}");
  private final Function<String, String> env;

  EnvSubstitution(Function<String, String> env) {
    this.env = env;
  }

  static EnvSubstitution of(Map<String, String> env) {
    return new EnvSubstitution(env::get);
  }

  /** Returns the expanded text, or throws {@link IllegalArgumentException} naming the unset variable. */
  String expand(String text) {
    if (text.indexOf('$') < 0) {
      return text;
    }
    Matcher m = REF.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String replacement;
      if (m.group().equals("$$")) {
        replacement = "$";
      } else {
        String value = env.apply(m.group(1));
        if (value == null || (value.isEmpty() && m.group(2) != null)) {
          if (m.group(2) == null) {
            throw new IllegalArgumentException("environment variable " + m.group(1) + " is not set");
          }
          value = m.group(3);
        }
        replacement = value;
      }
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    return out.toString();
  }
}
