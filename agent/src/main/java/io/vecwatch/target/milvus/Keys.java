package io.vecwatch.target.milvus;

import java.util.Collection;
import java.util.stream.Collectors;

/** Milvus filter expressions over key values (Int64 or VarChar), quoted safely. */
final class Keys {
  private Keys() {}

  /** {@code key} as an expression literal: a number as is, a string double-quoted with escapes. */
  static String literal(Object key) {
    if (key instanceof Number n) {
      return Long.toString(n.longValue());
    }
    String s = String.valueOf(key);
    return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }

  /** {@code field in [k1, k2, ...]}. */
  static String in(String field, Collection<?> keys) {
    return field
        + " in ["
        + keys.stream().map(Keys::literal).collect(Collectors.joining(", "))
        + "]";
  }

  /** {@code base and extra}, either possibly empty. */
  static String and(String base, String extra) {
    if (base == null || base.isBlank()) {
      return extra;
    }
    if (extra == null || extra.isBlank()) {
      return base;
    }
    return "(" + base + ") and (" + extra + ")";
  }

  /** A key as a long, for keys that are integers (Int64 primary keys, id_field values). */
  static long asLong(Object key) {
    if (key instanceof Number n) {
      return n.longValue();
    }
    throw new IllegalArgumentException("key " + key + " is not an integer");
  }
}
