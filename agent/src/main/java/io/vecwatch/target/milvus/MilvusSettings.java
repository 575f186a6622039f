package io.vecwatch.target.milvus;

import io.vecwatch.config.ConfigNode;
import io.vecwatch.config.Secret;
import io.vecwatch.config.TargetSettings;
import io.vecwatch.dataset.Metric;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The settings of a {@code kind: milvus} target, validated when the config is loaded. Secrets are
 * held as {@link Secret}, so {@link #toString()} never shows them.
 *
 * <pre>{@code
 * - name: prod
 *   kind: milvus
 *   dataset: prod-queries
 *   uri: https://milvus.internal:19530
 *   user: vecwatch
 *   password_file: /run/secrets/milvus-password
 *   tls: {ca_file: /etc/vecwatch/ca.pem}
 *   collection: docs
 *   vector_field: embedding
 *   search_params: {ef: 64}
 * }</pre>
 *
 * @param uri {@code http://host:port} or {@code https://host:port}
 * @param database Milvus database; empty means the server's default
 * @param auth how the agent authenticates
 * @param tls TLS files; empty for plain text (or the JVM trust store with an {@code https} uri)
 * @param connectTimeout deadline of one connection attempt
 * @param callTimeout deadline of every other call (search, health, count, ...)
 * @param reconnect backoff between connection attempts
 * @param collection the collection probed; never written to
 * @param vectorField the vector field searched; empty means the collection's only vector field
 * @param metric the metric searched with; empty means the index's metric
 * @param searchParams index search parameters ({@code ef}, {@code nprobe}, ...), numbers already
 *     typed
 * @param consistencyLevel {@code strong|session|bounded|eventually}; empty means the collection's
 *     default
 * @param filter boolean expression every canary search and self-recall sample is restricted to
 * @param partitions partitions searched; empty means all
 * @param idField an Int64 field whose value is reported as the key instead of the primary key
 * @param expectedEntities the entity count the collection should hold, when known
 * @param selfRecall self-recall sampling
 */
public record MilvusSettings(
    String uri,
    Optional<String> database,
    Auth auth,
    Optional<Tls> tls,
    Duration connectTimeout,
    Duration callTimeout,
    Reconnect reconnect,
    String collection,
    Optional<String> vectorField,
    Optional<Metric> metric,
    Map<String, Object> searchParams,
    Optional<String> consistencyLevel,
    Optional<String> filter,
    List<String> partitions,
    Optional<String> idField,
    OptionalLong expectedEntities,
    SelfRecall selfRecall)
    implements TargetSettings {

  /** The same settings searching with {@code search_params.<name> = value}. */
  public MilvusSettings withSearchParam(String name, Object value) {
    Map<String, Object> params = new LinkedHashMap<>(searchParams);
    params.put(name, value);
    return new MilvusSettings(
        uri,
        database,
        auth,
        tls,
        connectTimeout,
        callTimeout,
        reconnect,
        collection,
        vectorField,
        metric,
        params,
        consistencyLevel,
        filter,
        partitions,
        idField,
        expectedEntities,
        selfRecall);
  }

  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
  public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(5);
  public static final List<String> CONSISTENCY_LEVELS =
      List.of("strong", "session", "bounded", "eventually");

  public MilvusSettings {
    searchParams = Collections.unmodifiableMap(new LinkedHashMap<>(searchParams));
    partitions = List.copyOf(partitions);
  }

  /** How the agent authenticates. */
  public sealed interface Auth permits NoAuth, Token, UserPassword {}

  /** No credentials (Milvus with authorization disabled, Milvus Lite). */
  public record NoAuth() implements Auth {}

  /** An API key or {@code user:password} token (Zilliz Cloud). */
  public record Token(Secret token) implements Auth {}

  /** A Milvus user and password. */
  public record UserPassword(String user, Secret password) implements Auth {}

  /**
   * TLS files. With only {@code caFile} the server is verified (one-way TLS); with the client pair
   * too the agent also proves itself (mutual TLS).
   */
  public record Tls(
      Optional<Path> caFile,
      Optional<Path> clientCertFile,
      Optional<Path> clientKeyFile,
      Optional<String> serverName) {
    public boolean mutual() {
      return clientCertFile.isPresent();
    }
  }

  /** Backoff between connection attempts. */
  public record Reconnect(Duration initialBackoff, Duration maxBackoff) {}

  /**
   * @param sampleSize stored vectors searched per health check; 0 turns self-recall off
   * @param window how many recent samples the ratio is computed over
   */
  public record SelfRecall(int sampleSize, int window) {
    public boolean enabled() {
      return sampleSize > 0;
    }
  }

  /**
   * Reads a {@code kind: milvus} target's keys; every problem is recorded on {@code n} with its
   * path.
   */
  public static MilvusSettings parse(ConfigNode n) {
    String uri = n.requiredString("uri");
    if (!uri.isEmpty()) {
      uriProblem(uri).ifPresent(p -> n.problem("uri", p));
    }
    Optional<String> database = n.optionalString("database");

    Optional<Secret> token = n.secret("token");
    Optional<String> user = n.optionalString("user");
    Optional<Secret> password = n.secret("password");
    Auth auth = new NoAuth();
    if (token.isPresent() && (user.isPresent() || password.isPresent())) {
      n.problem("token", "set either token or user and password, not both");
    } else if (token.isPresent()) {
      auth = new Token(token.get());
    } else if (user.isPresent() && password.isEmpty()) {
      n.problem("password", "must be set when user is set (password or password_file)");
    } else if (password.isPresent() && user.isEmpty()) {
      n.problem("user", "must be set when password is set");
    } else if (user.isPresent()) {
      auth = new UserPassword(user.get(), password.get());
    }

    Optional<Tls> tls = Optional.empty();
    if (n.has("tls")) {
      tls = Optional.of(parseTls(n.child("tls")));
      if (!uri.isEmpty() && !uri.startsWith("https://")) {
        n.problem("uri", "must start with https:// when tls is set, got \"" + uri + "\"");
      }
    }

    Duration connectTimeout =
        n.duration("connect_timeout", DEFAULT_CONNECT_TIMEOUT, Duration.ofMillis(100));
    Duration callTimeout = n.duration("call_timeout", DEFAULT_CALL_TIMEOUT, Duration.ofMillis(10));
    Reconnect reconnect = parseReconnect(n.child("reconnect"));

    String collection = n.requiredString("collection");
    Optional<String> vectorField = n.optionalString("vector_field");
    Optional<Metric> metric = Optional.empty();
    Optional<String> metricText = n.optionalString("metric_type");
    if (metricText.isPresent()) {
      metric = Metric.parse(metricText.get());
      if (metric.isEmpty()) {
        n.problem("metric_type", "must be one of L2, IP, COSINE, got \"" + metricText.get() + "\"");
      }
    }
    Map<String, Object> searchParams = new LinkedHashMap<>();
    n.stringMap("search_params").forEach((k, v) -> searchParams.put(k, typed(v)));
    Optional<String> consistency =
        n.optionalString("consistency_level").map(s -> s.toLowerCase(Locale.ROOT));
    if (consistency.isPresent() && !CONSISTENCY_LEVELS.contains(consistency.get())) {
      n.problem(
          "consistency_level",
          "must be one of "
              + String.join(", ", CONSISTENCY_LEVELS)
              + ", got \""
              + consistency.get()
              + "\"");
      consistency = Optional.empty();
    }
    Optional<String> filter = n.optionalString("filter");
    List<String> partitions = n.stringList("partitions");
    for (int i = 0; i < partitions.size(); i++) {
      if (partitions.get(i).isBlank()) {
        n.problem("partitions[" + i + "]", "must not be empty");
      }
    }
    Optional<String> idField = n.optionalString("id_field");
    long expected = n.longValue("expected_entities", -1, 0, Long.MAX_VALUE);
    SelfRecall selfRecall = parseSelfRecall(n.child("self_recall"));

    return new MilvusSettings(
        uri,
        database,
        auth,
        tls,
        connectTimeout,
        callTimeout,
        reconnect,
        collection,
        vectorField,
        metric,
        searchParams,
        consistency,
        filter,
        partitions,
        idField,
        expected < 0 ? OptionalLong.empty() : OptionalLong.of(expected),
        selfRecall);
  }

  /** Why {@code uri} is not usable, if it is not (never echoes credentials). */
  public static Optional<String> uriProblem(String uri) {
    String expected = "must be http://HOST:PORT or https://HOST:PORT";
    URI u;
    try {
      u = new URI(uri);
    } catch (URISyntaxException e) {
      return Optional.of(expected + ", got \"" + uri + "\"");
    }
    if (u.getRawUserInfo() != null) {
      // never echo the value: it holds a credential
      return Optional.of("must not contain credentials; use token or user and password");
    }
    if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme())) {
      return Optional.of(expected + ", got \"" + uri + "\"");
    }
    if (u.getHost() == null || u.getHost().isEmpty()) {
      return Optional.of(expected + ", got \"" + uri + "\"");
    }
    if (u.getPort() < 0) {
      return Optional.of(
          "must name a port (Milvus listens on 19530 by default), got \"" + uri + "\"");
    }
    String path = u.getRawPath();
    if ((path != null && !path.isEmpty() && !path.equals("/")) || u.getRawQuery() != null) {
      return Optional.of(
          "must not have a path or query (use database to pick a database), got \"" + uri + "\"");
    }
    return Optional.empty();
  }

  private static Tls parseTls(ConfigNode t) {
    Optional<Path> ca = t.existingFile("ca_file");
    Optional<Path> cert = t.existingFile("client_cert_file");
    Optional<Path> key = t.existingFile("client_key_file");
    Optional<String> serverName = t.optionalString("server_name");
    if (cert.isPresent() != key.isPresent()) {
      t.problem(
          cert.isPresent() ? "client_key_file" : "client_cert_file",
          "client_cert_file and client_key_file must be set together");
    }
    if (cert.isPresent() && ca.isEmpty()) {
      t.problem("ca_file", "must be set for mutual TLS (client_cert_file is set)");
    }
    if (ca.isEmpty() && cert.isEmpty()) {
      t.problem(
          null,
          "set ca_file (and client_cert_file/client_key_file for mutual TLS), or remove tls "
              + "and use an https:// uri to trust the JVM's default certificates");
    }
    t.finish();
    return new Tls(ca, cert, key, serverName);
  }

  private static Reconnect parseReconnect(ConfigNode r) {
    Duration initial = r.duration("initial_backoff", Duration.ofSeconds(1), Duration.ofMillis(10));
    Duration max = r.duration("max_backoff", Duration.ofMinutes(1), Duration.ofMillis(10));
    if (max.compareTo(initial) < 0) {
      r.problem("max_backoff", "must not be shorter than initial_backoff");
      max = initial;
    }
    r.finish();
    return new Reconnect(initial, max);
  }

  private static SelfRecall parseSelfRecall(ConfigNode s) {
    SelfRecall r =
        new SelfRecall(s.integer("sample_size", 4, 0, 1000), s.integer("window", 200, 1, 100_000));
    s.finish();
    return r;
  }

  /** Search parameters go to Milvus as JSON: send numbers as numbers and booleans as booleans. */
  static Object typed(String v) {
    String t = v.trim();
    if (t.equals("true") || t.equals("false")) {
      return Boolean.parseBoolean(t);
    }
    try {
      long l = Long.parseLong(t);
      return l >= Integer.MIN_VALUE && l <= Integer.MAX_VALUE ? (Object) (int) l : (Object) l;
    } catch (NumberFormatException e) {
      // not an integer
    }
    try {
      double d = Double.parseDouble(t);
      if (Double.isFinite(d)) {
        return d;
      }
    } catch (NumberFormatException e) {
      // not a number
    }
    return v;
  }
}
