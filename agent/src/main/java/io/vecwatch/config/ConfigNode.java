package io.vecwatch.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.vecwatch.time.Durations;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * A cursor over one YAML mapping that reads typed values, applies defaults, expands {@code ${ENV}}
 * and records every problem with its path instead of throwing. Each typed config record has a
 * {@code static parse(ConfigNode)} that reads its keys and calls {@link #finish()}, which reports
 * keys nobody read as unknown.
 *
 * <pre>{@code
 * Duration timeout = node.duration("timeout", Duration.ofSeconds(1), Duration.ofMillis(1));
 * int k = node.integer("k", 10, 1, 10_000);
 * node.finish();
 * }</pre>
 *
 * <p>Read methods return the default when the value is missing or invalid, so parsing carries on
 * and every problem of a file is reported at once. A key may be read more than once; its problems
 * are recorded once.
 *
 * <p>Messages quote what the user wrote through {@link #quote(String)} (one line, bounded, URL
 * credentials hidden); a value read with {@link #secret(String)} never appears in any message.
 */
public final class ConfigNode {
  private static final Pattern INTEGER = Pattern.compile("[+-]?\\d+(_\\d+)*");
  private static final Pattern DECIMAL =
      Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");
  private static final Pattern URL_USERINFO = Pattern.compile("(?<=://)[^/@\\s]*@");
  private static final int MAX_QUOTED = 80;
  private static final long MAX_SECRET_FILE_BYTES = 64 * 1024;

  private final JsonNode node;
  private final String path;
  private final Context ctx;
  private final Set<String> seen = new LinkedHashSet<>();
  private final Map<String, Optional<String>> scalars = new HashMap<>();

  /**
   * Keys whose value could not be read; later checks would only repeat the problem in other words.
   */
  private final Set<String> unreadable = new HashSet<>();

  /** Shared by every node of one load. */
  record Context(Problems problems, EnvSubstitution env, Path baseDir, TargetKindLookup kinds) {}

  ConfigNode(JsonNode node, String path, Context ctx) {
    this.node = node;
    this.path = path;
    this.ctx = ctx;
  }

  /** A node over a mapping that is not part of a file (tests, embedded defaults). */
  public static ConfigNode detached(
      JsonNode node, Problems problems, Map<String, String> env, Path baseDir) {
    return new ConfigNode(
        node, "", new Context(problems, EnvSubstitution.of(env), baseDir, NO_KINDS));
  }

  /** For nodes outside a file: no target kinds. */
  static final TargetKindLookup NO_KINDS =
      new TargetKindLookup() {
        @Override
        public Optional<TargetKindLookup.SettingsReader> byName(String kind) {
          return Optional.empty();
        }

        @Override
        public List<String> names() {
          return List.of();
        }
      };

  /** The target kinds this load knows. */
  TargetKindLookup kinds() {
    return ctx.kinds();
  }

  /** This mapping's path in the document, e.g. {@code targets[1]}; empty at the top level. */
  public String path() {
    return path;
  }

  /** The path of {@code key} below this mapping, e.g. {@code targets[1].uri}. */
  public String pathOf(String key) {
    return join(path, key);
  }

  /**
   * Records a problem at {@code key} below this mapping ({@code key} may be a relative path such as
   * {@code recall_k[1]}), or at this mapping itself when {@code key} is null.
   */
  public void problem(String key, String message) {
    if (key != null && unreadable.contains(key)) {
      return;
    }
    ctx.problems().add(key == null ? path : pathOf(key), message);
  }

  /**
   * Whether {@code key} is present and not null (before env expansion). Does not count as reading
   * it.
   */
  public boolean has(String key) {
    JsonNode v = node.get(key);
    return v != null && !v.isNull();
  }

  /**
   * The raw scalar text after env expansion, or empty when missing; records a problem for
   * non-scalars.
   */
  private Optional<String> scalar(String key) {
    seen.add(key);
    Optional<String> cached = scalars.get(key);
    if (cached != null) {
      return cached;
    }
    Optional<String> v = readScalar(key);
    scalars.put(key, v);
    return v;
  }

  private Optional<String> readScalar(String key) {
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) {
      return Optional.empty();
    }
    if (!v.isValueNode()) {
      problem(key, "must be a single value, not " + describe(v));
      unreadable.add(key);
      return Optional.empty();
    }
    try {
      return Optional.of(ctx.env().expand(v.asText()));
    } catch (IllegalArgumentException e) {
      problem(key, e.getMessage());
      unreadable.add(key);
      return Optional.empty();
    }
  }

  /** The value, or {@code def} when missing (an empty value is returned as the empty string). */
  public String string(String key, String def) {
    return scalar(key).orElse(def);
  }

  /**
   * A string that must be present and non-blank; records "must be set" otherwise and returns "".
   */
  public String requiredString(String key) {
    Optional<String> v = scalar(key);
    if (v.isEmpty()) {
      if (!has(key)) {
        problem(key, "must be set"); // otherwise scalar() already said what is wrong
      }
      return "";
    }
    if (v.get().isBlank()) {
      problem(key, "must not be empty");
      return "";
    }
    return v.get();
  }

  /** The value when present and not empty. */
  public Optional<String> optionalString(String key) {
    return scalar(key).filter(s -> !s.isEmpty());
  }

  public int integer(String key, int def, int min, int max) {
    return (int) longValue(key, def, min, max);
  }

  /** A whole number in [min, max]; {@code _} may separate digits ({@code 20_000}). */
  public long longValue(String key, long def, long min, long max) {
    Optional<String> v = scalar(key);
    return v.isEmpty() ? def : parseLong(pathOf(key), v.get(), min, max).orElse(def);
  }

  private Optional<Long> parseLong(String at, String text, long min, long max) {
    String t = text.trim();
    if (!INTEGER.matcher(t).matches()) {
      ctx.problems().add(at, "must be an integer, got " + quote(text));
      return Optional.empty();
    }
    BigInteger n = new BigInteger(t.replace("_", ""));
    if (n.compareTo(BigInteger.valueOf(min)) < 0 || n.compareTo(BigInteger.valueOf(max)) > 0) {
      ctx.problems().add(at, "must be between " + min + " and " + max + ", got " + t);
      return Optional.empty();
    }
    return Optional.of(n.longValue());
  }

  /** A finite decimal number in [min, max] ({@code 0.5}, {@code 1e3}). */
  public double number(String key, double def, double min, double max) {
    Optional<String> v = scalar(key);
    if (v.isEmpty()) {
      return def;
    }
    String t = v.get().trim();
    if (!DECIMAL.matcher(t).matches()) {
      problem(key, "must be a number, got " + quote(v.get()));
      return def;
    }
    double n = Double.parseDouble(t);
    if (!Double.isFinite(n) || n < min || n > max) {
      problem(key, "must be between " + trim(min) + " and " + trim(max) + ", got " + t);
      return def;
    }
    return n;
  }

  private static String trim(double d) {
    return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
  }

  /**
   * {@code true} or {@code false} exactly (YAML 1.1's yes/no/on/off are rejected: they surprise
   * people).
   */
  public boolean bool(String key, boolean def) {
    Optional<String> v = scalar(key);
    if (v.isEmpty()) {
      return def;
    }
    return switch (v.get().trim()) {
      case "true" -> true;
      case "false" -> false;
      default -> {
        problem(key, "must be true or false, got " + quote(v.get()));
        yield def;
      }
    };
  }

  /**
   * A Prometheus-style duration ({@code 500ms}, {@code 5m}, {@code 1h30m}) no shorter than {@code
   * min}.
   */
  public Duration duration(String key, Duration def, Duration min) {
    return duration(key, def, min, null);
  }

  /** A Prometheus-style duration in [min, max]; {@code max} may be null for no upper bound. */
  public Duration duration(String key, Duration def, Duration min, Duration max) {
    Optional<String> v = scalar(key);
    if (v.isEmpty()) {
      return def;
    }
    String t = v.get().trim();
    if (!Durations.isWellFormed(t)) {
      problem(key, "must be a duration such as 500ms, 30s, 5m or 1h30m, got " + quote(v.get()));
      return def;
    }
    Duration d;
    try {
      d = Durations.parse(t);
    } catch (IllegalArgumentException e) {
      problem(key, "is too large, got " + quote(t));
      return def;
    }
    if (d.compareTo(min) < 0) {
      problem(key, "must be at least " + Durations.format(min) + ", got " + t);
      return def;
    }
    if (max != null && d.compareTo(max) > 0) {
      problem(key, "must be at most " + Durations.format(max) + ", got " + t);
      return def;
    }
    return d;
  }

  /**
   * One of {@code allowed} (case-sensitive, as written in docs); records the allowed values
   * otherwise.
   */
  public String oneOf(String key, String def, List<String> allowed) {
    Optional<String> v = scalar(key);
    if (v.isEmpty()) {
      return def;
    }
    if (!allowed.contains(v.get())) {
      problem(key, "must be one of " + String.join(", ", allowed) + ", got " + quote(v.get()));
      return def;
    }
    return v.get();
  }

  /**
   * A path resolved against the config file's folder; not checked (use {@link #existingFile} for
   * inputs).
   */
  public Optional<Path> file(String key) {
    return optionalString(key).map(s -> ctx.baseDir().resolve(s).toAbsolutePath().normalize());
  }

  /**
   * A path to a file that must exist and be readable now, resolved against the config file's
   * folder. Records {@code file does not exist: /abs/path} (or is a directory / not readable)
   * otherwise; the path is returned either way so no second "must be set" follows.
   */
  public Optional<Path> existingFile(String key) {
    Optional<Path> p = file(key);
    p.flatMap(ConfigNode::fileProblem).ifPresent(m -> problem(key, m));
    return p;
  }

  /** Why {@code p} cannot be read as a file, if it cannot. */
  static Optional<String> fileProblem(Path p) {
    String shown = clean(p.toString());
    if (!Files.exists(p)) {
      return Optional.of("file does not exist: " + shown);
    }
    if (Files.isDirectory(p)) {
      return Optional.of("is a directory, not a file: " + shown);
    }
    if (!Files.isReadable(p)) {
      return Optional.of("file is not readable: " + shown);
    }
    return Optional.empty();
  }

  /**
   * A secret given inline ({@code key}, usually as {@code ${ENV}}) or in a file ({@code key_file},
   * trailing newline stripped); never both. The value never appears in any message.
   */
  public Optional<Secret> secret(String key) {
    Optional<String> inline = optionalString(key);
    String fileKey = key + "_file";
    Optional<Path> file = file(fileKey);
    if (inline.isPresent() && file.isPresent()) {
      problem(key, "set either " + key + " or " + fileKey + ", not both");
      return Optional.empty();
    }
    if (file.isEmpty()) {
      return inline.map(Secret::of);
    }
    Path p = file.get();
    Optional<String> bad = fileProblem(p);
    if (bad.isPresent()) {
      // A path that came from ${VAR} may be the secret itself (token_file: ${TOKEN} by mistake):
      // show it as written.
      String written = node.get(fileKey).asText();
      problem(
          fileKey,
          written.contains("${")
              ? bad.get().substring(0, bad.get().indexOf(": "))
                  + ": "
                  + clean(written)
                  + " (substituted path not shown)"
              : bad.get());
      return Optional.empty();
    }
    try {
      if (Files.size(p) > MAX_SECRET_FILE_BYTES) {
        problem(
            fileKey,
            "file is larger than "
                + MAX_SECRET_FILE_BYTES / 1024
                + " KiB, not a secret: "
                + clean(p.toString()));
        return Optional.empty();
      }
      String value = Files.readString(p, StandardCharsets.UTF_8).strip();
      if (value.isEmpty()) {
        problem(fileKey, "file is empty: " + clean(p.toString()));
        return Optional.empty();
      }
      return Optional.of(Secret.of(value));
    } catch (IOException e) {
      // The exception text is left out: it could carry part of the content (malformed input).
      problem(fileKey, "cannot read file as UTF-8 text: " + clean(p.toString()));
      return Optional.empty();
    }
  }

  /** A nested mapping; absent gives an empty mapping so defaults apply. */
  public ConfigNode child(String key) {
    seen.add(key);
    JsonNode v = node.get(key);
    if (v != null && !v.isNull() && !v.isObject()) {
      problem(key, "must be a mapping, not " + describe(v));
    }
    JsonNode body = v != null && v.isObject() ? v : JsonNodeFactory.instance.objectNode();
    return new ConfigNode(body, pathOf(key), ctx);
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
      problem(key, "must be a list, not " + describe(v));
      return out;
    }
    for (int i = 0; i < v.size(); i++) {
      String p = index(pathOf(key), i);
      JsonNode e = v.get(i);
      if (!e.isObject()) {
        ctx.problems().add(p, "must be a mapping, not " + describe(e));
        continue;
      }
      out.add(new ConfigNode(e, p, ctx));
    }
    return out;
  }

  /** One scalar of a list (or the single scalar written instead of a list), with its path. */
  private record Item(String path, String text) {}

  /**
   * The scalars of a list; a single scalar counts as a one-element list with the key's own path.
   */
  private Optional<List<Item>> items(String key) {
    seen.add(key);
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) {
      return Optional.empty();
    }
    List<Item> out = new ArrayList<>();
    if (v.isValueNode()) {
      scalar(key).ifPresent(s -> out.add(new Item(pathOf(key), s)));
      return Optional.of(out);
    }
    if (!v.isArray()) {
      problem(key, "must be a list, not a mapping");
      return Optional.of(out);
    }
    for (int i = 0; i < v.size(); i++) {
      JsonNode e = v.get(i);
      String p = index(pathOf(key), i);
      if (!e.isValueNode() || e.isNull()) {
        ctx.problems().add(p, "must be a single value, not " + describe(e));
        continue;
      }
      try {
        out.add(new Item(p, ctx.env().expand(e.asText())));
      } catch (IllegalArgumentException ex) {
        ctx.problems().add(p, ex.getMessage());
      }
    }
    return Optional.of(out);
  }

  /**
   * A list of scalars, in order. Missing gives an empty list; a single scalar is accepted as a
   * one-element list ({@code recall_k: 10}); a null or nested element is a problem at {@code
   * key[i]}.
   */
  public List<String> stringList(String key) {
    return items(key).orElse(List.of()).stream().map(Item::text).toList();
  }

  /**
   * A non-empty list of whole numbers in [min, max] (or one number), sorted ascending with
   * duplicates removed; {@code def} when missing. Each bad element is reported at {@code key[i]}.
   */
  public List<Integer> intList(String key, List<Integer> def, int min, int max) {
    Optional<List<Item>> items = items(key);
    if (items.isEmpty()) {
      return def;
    }
    TreeSet<Integer> out = new TreeSet<>();
    for (Item it : items.get()) {
      parseLong(it.path(), it.text(), min, max).ifPresent(n -> out.add(n.intValue()));
    }
    if (items.get().isEmpty() && node.get(key).isArray() && node.get(key).isEmpty()) {
      problem(key, "must not be empty");
    }
    return out.isEmpty() ? def : List.copyOf(out);
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
      problem(key, "must be a mapping, not " + describe(v));
      return out;
    }
    for (Map.Entry<String, JsonNode> e : v.properties()) {
      String p = join(pathOf(key), e.getKey());
      if (!e.getValue().isValueNode() || e.getValue().isNull()) {
        ctx.problems().add(p, "must be a single value, not " + describe(e.getValue()));
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

  /**
   * Reports every key of this mapping that no read method asked for, suggesting a known key when
   * one is close ({@code ef_serach}, {@code efSearch} -> {@code ef_search}). Call last.
   */
  public void finish() {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!seen.contains(key)) {
        problem(
            key, "unknown key" + suggestion(key).map(s -> " (did you mean " + s + "?)").orElse(""));
      }
    }
  }

  private Optional<String> suggestion(String unknown) {
    String u = normalize(unknown);
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String known : seen) {
      if (node.has(known)) {
        continue; // a key that is present is not what the user meant to write
      }
      int d = u.equals(normalize(known)) ? 0 : editDistance(unknown, known);
      if (d < bestDistance) {
        bestDistance = d;
        best = known;
      }
    }
    int allowed = Math.min(2, Math.max(1, unknown.length() / 4));
    return bestDistance <= allowed ? Optional.of(best) : Optional.empty();
  }

  private static String normalize(String key) {
    return key.replace("_", "").replace("-", "").toLowerCase(Locale.ROOT);
  }

  /** Edit distance counting a swap of two neighbours as one edit (optimal string alignment). */
  private static int editDistance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(d[i - 1][j - 1] + cost, Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1));
        if (i > 1
            && j > 1
            && a.charAt(i - 1) == b.charAt(j - 2)
            && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }

  /**
   * A value written by the user, fit for a one-line message: in double quotes, control characters
   * escaped, cut after 80 characters, and credentials in a URL ({@code scheme://user:pass@host})
   * replaced by {@code ***}. Kinds use it for every echoed value; secrets are never echoed at all.
   */
  public static String quote(String value) {
    String v = URL_USERINFO.matcher(value).replaceAll("***@");
    if (v.length() > MAX_QUOTED) {
      v = v.substring(0, MAX_QUOTED - 3) + "...";
    }
    return "\"" + clean(v).replace("\"", "\\\"") + "\"";
  }

  /** Escapes backslashes and control characters so a message stays on one line. */
  static String clean(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        case '\\' -> b.append("\\\\");
        default -> {
          if (Character.isISOControl(c)) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.toString();
  }

  private static String describe(JsonNode v) {
    if (v == null || v.isNull()) {
      return "empty";
    }
    return v.isArray() ? "a list" : v.isObject() ? "a mapping" : "a single value";
  }

  /**
   * {@code parent.key}, or {@code key} at the top level. Keys are shown as written, control chars
   * escaped.
   */
  static String join(String parent, String key) {
    String k = clean(key);
    return parent.isEmpty() ? k : parent + "." + k;
  }

  /** {@code parent[i]}. */
  static String index(String parent, int i) {
    return parent + "[" + i + "]";
  }

  /** The path one level up: {@code a.b[2]} -> {@code a.b} -> {@code a} -> "". */
  static String parentOf(String path) {
    int cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
    return cut < 0 ? "" : path.substring(0, cut);
  }
}
