package io.vecwatch.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.vecwatch.time.Durations;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A cursor over one YAML mapping that reads typed values, applies defaults, expands {@code ${ENV}} and records
 * every problem with its path instead of throwing. Each typed config record has a {@code static parse(ConfigNode)}
 * that reads its keys and calls {@link #finish()}, which reports keys nobody read as unknown.
 *
 * <pre>{@code
 * Duration timeout = node.duration("timeout", Duration.ofSeconds(1));
 * int k = node.integer("k", 10, 1, 10_000);
 * node.finish();
 * }</pre>
 *
 * <p>Read methods return the default when the value is missing or invalid, so parsing carries on and every
 * problem of a file is reported at once.
 */
public final class ConfigNode {
  private final JsonNode node;
  private final String path;
  private final Context ctx;
  private final Set<String> seen = new LinkedHashSet<>();

  /** Shared by every node of one load. */
  record Context(Problems problems, EnvSubstitution env, Path baseDir) {}

  ConfigNode(JsonNode node, String path, Context ctx) {
    this.node = node;
    this.path = path;
    this.ctx = ctx;
  }

  /** A node over a mapping that is not part of a file (tests, embedded defaults). */
  public static ConfigNode detached(JsonNode node, Problems problems, Map<String, String> env, Path baseDir) {
    return new ConfigNode(node, "", new Context(problems, EnvSubstitution.of(env), baseDir));
  }

  public String path() {
    return path;
  }

  public String pathOf(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  public void problem(String key, String message) {
    ctx.problems().add(key == null ? path : pathOf(key), message);
  }

  public boolean has(String key) {
    JsonNode v = node.get(key);
    return v != null && !v.isNull();
  }

  /** The raw scalar text after env expansion, or empty when missing; records a problem for non-scalars. */
  private Optional<String> scalar(String key) {
    seen.add(key);
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) {
      return Optional.empty();
    }
    if (!v.isValueNode()) {
      problem(key, "must be a single value, not a " + (v.isArray() ? "list" : "mapping"));
      return Optional.empty();
    }
    try {
      return Optional.of(ctx.env().expand(v.asText()));
    } catch (IllegalArgumentException e) {
      problem(key, e.getMessage());
      return Optional.empty();
    }
  }

  public String string(String key, String def) {
    return scalar(key).orElse(def);
  }

  /** A string that must be present and non-empty; records "must be set" otherwise and returns "". */
  public String requiredString(String key) {
    Optional<String> v = scalar(key);
    if (v.isEmpty() || v.get().isBlank()) {
      problem(key, "must be set");
      return "";
    }
    return v.get();
  }

  public Optional<String> optionalString(String key) {
    return scalar(key).filter(s -> !s.isEmpty());
  }

  public int integer(String key, int def, int min, int max) {
    Optional<String> v = scalar(key);
    if (v.isEmpty()) {
      return def;
    }
    try {
      long n = Long.parseLong(v.get().trim());
      if (n < min || n > max) {
        problem(key, "must be between " + min + " and " + max + ", got " + n);
        return def;
      }
      return (int) n;
    } catch (NumberFormatException e) {
      problem(key, "must be an integer, got \"" + v.get() + "\"");
      return def;
    }
  }

  public long longValue(String key, long def, long min, long max) {
    Optional<String> v = scalar(key);
    if (v.isEmpty()) {
      return def;
    }
    try {
      long n = Long.parseLong(v.get().trim());
      if (n < min || n > max) {
        problem(key, "must be between " + min + " and " + max + ", got " + n);
        return def;
      }
      return n;
    } catch (NumberFormatException e) {
      problem(key, "must be an integer, got \"" + v.get() + "\"");
      return def;
    }
  }

  /** A finite number in [min, max]. */
  public double number(String key, double def, double min, double max) {
    Optional<String> v = scalar(key);
    if (v.isEmpty()) {
      return def;
    }
    try {
      double n = Double.parseDouble(v.get().trim());
      if (!Double.isFinite(n) || n < min || n > max) {
        problem(key, "must be between " + trim(min) + " and " + trim(max) + ", got " + v.get().trim());
        return def;
      }
      return n;
    } catch (NumberFormatException e) {
      problem(key, "must be a number, got \"" + v.get() + "\"");
      return def;
    }
  }

  private static String trim(double d) {
    return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
  }

  public boolean bool(String key, boolean def) {
    Optional<String> v = scalar(key);
    if (v.isEmpty()) {
      return def;
    }
    return switch (v.get().trim()) {
      case "true" -> true;
      case "false" -> false;
      default -> {
        problem(key, "must be true or false, got \"" + v.get() + "\"");
        yield def;
      }
    };
  }

  /** A Prometheus-style duration ({@code 500ms}, {@code 5m}, {@code 1h30m}) no shorter than {@code min}. */
  public Duration duration(String key, Duration def, Duration min) {
    Optional<String> v = scalar(key);
    if (v.isEmpty()) {
      return def;
    }
    try {
      Duration d = Durations.parse(v.get().trim());
      if (d.compareTo(min) < 0) {
        problem(key, "must be at least " + Durations.format(min) + ", got " + v.get().trim());
        return def;
      }
      return d;
    } catch (IllegalArgumentException | ArithmeticException e) {
      problem(key, e.getMessage() == null ? "not a valid duration" : e.getMessage());
      return def;
    }
  }

  /** One of {@code allowed} (case-sensitive, as written in docs); records the allowed values otherwise. */
  public String oneOf(String key, String def, List<String> allowed) {
    Optional<String> v = scalar(key);
    if (v.isEmpty()) {
      return def;
    }
    if (!allowed.contains(v.get())) {
      problem(key, "must be one of " + String.join(", ", allowed) + ", got \"" + v.get() + "\"");
      return def;
    }
    return v.get();
  }

  /** A path resolved against the config file's folder; not checked for existence here. */
  public Optional<Path> file(String key) {
    return optionalString(key).map(s -> ctx.baseDir().resolve(s).normalize());
  }

  /**
   * A secret given inline ({@code key}) or in a file ({@code key_file}); never both. Inline values usually
   * come from {@code ${ENV}}. The value never appears in any message.
   */
  public Optional<Secret> secret(String key) {
    Optional<String> inline = optionalString(key);
    Optional<Path> file = file(key + "_file");
    if (inline.isPresent() && file.isPresent()) {
      problem(key, "set either " + key + " or " + key + "_file, not both");
      return Optional.empty();
    }
    if (file.isPresent()) {
      try {
        return Optional.of(Secret.of(Files.readString(file.get(), StandardCharsets.UTF_8).strip()));
      } catch (IOException e) {
        problem(key + "_file", "cannot read " + file.get() + ": " + e.getClass().getSimpleName());
        return Optional.empty();
      }
    }
    return inline.map(Secret::of);
  }

  /** A nested mapping; absent gives an empty mapping so defaults apply. */
  public ConfigNode child(String key) {
    seen.add(key);
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) {
      return new ConfigNode(com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode(), pathOf(key), ctx);
    }
    if (!v.isObject()) {
      problem(key, "must be a mapping");
      return new ConfigNode(com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode(), pathOf(key), ctx);
    }
    return new ConfigNode(v, pathOf(key), ctx);
  }

  /** A list of mappings, each as a node with path {@code key[i]}. */
  public List<ConfigNode> list(String key) {
    seen.add(key);
    JsonNode v = node.get(key);
    List<ConfigNode> out = new ArrayList<>();
    if (v == null || v.isNull()) {
      return out;
    }
    if (!v.isArray()) {
      problem(key, "must be a list");
      return out;
    }
    for (int i = 0; i < v.size(); i++) {
      String p = pathOf(key) + "[" + i + "]";
      JsonNode e = v.get(i);
      if (!e.isObject()) {
        ctx.problems().add(p, "must be a mapping");
        continue;
      }
      out.add(new ConfigNode(e, p, ctx));
    }
    return out;
  }

  /** A list of scalars (a single scalar is accepted as a one-element list). */
  public List<String> stringList(String key) {
    seen.add(key);
    JsonNode v = node.get(key);
    List<String> out = new ArrayList<>();
    if (v == null || v.isNull()) {
      return out;
    }
    if (v.isValueNode()) {
      scalar(key).ifPresent(out::add);
      return out;
    }
    if (!v.isArray()) {
      problem(key, "must be a list");
      return out;
    }
    for (int i = 0; i < v.size(); i++) {
      JsonNode e = v.get(i);
      String p = pathOf(key) + "[" + i + "]";
      if (!e.isValueNode() || e.isNull()) {
        ctx.problems().add(p, "must be a single value");
        continue;
      }
      try {
        out.add(ctx.env().expand(e.asText()));
      } catch (IllegalArgumentException ex) {
        ctx.problems().add(p, ex.getMessage());
      }
    }
    return out;
  }

  /** A mapping of string to string (labels, search params), in document order. */
  public Map<String, String> stringMap(String key) {
    seen.add(key);
    JsonNode v = node.get(key);
    Map<String, String> out = new LinkedHashMap<>();
    if (v == null || v.isNull()) {
      return out;
    }
    if (!v.isObject()) {
      problem(key, "must be a mapping");
      return out;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String p = pathOf(key) + "." + e.getKey();
      if (!e.getValue().isValueNode() || e.getValue().isNull()) {
        ctx.problems().add(p, "must be a single value");
        continue;
      }
      try {
        out.put(e.getKey(), ctx.env().expand(e.getValue().asText()));
      } catch (IllegalArgumentException ex) {
        ctx.problems().add(p, ex.getMessage());
      }
    }
    return out;
  }

  /** Reports every key of this mapping that no read method asked for. Call last. */
  public void finish() {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!seen.contains(key)) {
        problem(key, "unknown key");
      }
    }
  }
}
