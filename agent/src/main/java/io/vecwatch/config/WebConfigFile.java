package io.vecwatch.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The file {@code --web.config.file} names, in the web configuration format every Prometheus
 * exporter reads (exporter-toolkit): {@code tls_server_config}, {@code http_server_config}, {@code
 * basic_auth_users}, {@code rate_limit}. Same keys, same defaults (TLS 1.2 to 1.3, HTTP/2 on), same
 * error texts for bad values; relative paths resolve against the file's folder. Values are read as
 * written: no {@code ${VAR}} expansion.
 *
 * <pre>{@code
 * WebConfigFile web = WebConfigFile.load(Path.of("web.yml"));   // throws ConfigException, one line per problem
 * web.tls().ifPresent(tls -> ...);
 * }</pre>
 *
 * @param inputs every file this config was read from (itself, certificates, keys, CAs): a change to
 *     any of them is a change of the config
 */
public record WebConfigFile(
    Optional<Tls> tls,
    Map<String, Secret> users,
    Map<String, String> headers,
    boolean http2,
    Optional<RateLimit> rateLimit,
    List<Path> inputs) {

  /** Client certificate policies, named as in Go's {@code crypto/tls}. */
  public enum ClientAuth {
    NO_CLIENT_CERT,
    REQUEST_CLIENT_CERT,
    REQUIRE_ANY_CLIENT_CERT,
    VERIFY_CLIENT_CERT_IF_GIVEN,
    REQUIRE_AND_VERIFY_CLIENT_CERT
  }

  /**
   * {@code tls_server_config}, loaded: the key pair and client CAs are read and checked.
   *
   * @param clientCas the client CA certificates; empty with {@code clientCasGiven} false means none
   *     configured
   * @param protocols Java protocol names from {@code min_version} to {@code max_version}
   * @param cipherSuites TLS 1.2 suites to offer (TLS 1.3 suites are not configurable, as in Go);
   *     empty for the runtime's defaults
   * @param allowedSans when not empty, a client certificate must carry one of these SAN values
   */
  public record Tls(
      PemMaterial.KeyPair keyPair,
      ClientAuth clientAuth,
      List<X509Certificate> clientCas,
      boolean clientCasGiven,
      List<String> protocols,
      List<String> cipherSuites,
      List<String> curves,
      boolean preferServerCipherSuites,
      List<String> allowedSans) {
    public Tls {
      clientCas = List.copyOf(clientCas);
      protocols = List.copyOf(protocols);
      cipherSuites = List.copyOf(cipherSuites);
      curves = List.copyOf(curves);
      allowedSans = List.copyOf(allowedSans);
    }
  }

  /**
   * {@code rate_limit}: at most {@code burst} requests at once, refilled one per {@code interval}.
   */
  public record RateLimit(int burst, Duration interval) {}

  /** The TLS versions of the format, oldest first, with their Java names. */
  private static final Map<String, String> VERSIONS =
      Map.of("TLS10", "TLSv1", "TLS11", "TLSv1.1", "TLS12", "TLSv1.2", "TLS13", "TLSv1.3");

  private static final List<String> VERSION_ORDER = List.of("TLS10", "TLS11", "TLS12", "TLS13");

  /** Go's {@code tls.CipherSuites()}: the suites the format accepts by name. */
  private static final List<String> GO_CIPHERS =
      List.of(
          "TLS_AES_128_GCM_SHA256",
          "TLS_AES_256_GCM_SHA384",
          "TLS_CHACHA20_POLY1305_SHA256",
          "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA",
          "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA",
          "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
          "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
          "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
          "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
          "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
          "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
          "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
          "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256");

  private static final List<String> CURVES =
      List.of("CurveP256", "CurveP384", "CurveP521", "X25519");

  /**
   * Headers the format lets a user set, with the values allowed (null: any). As exporter-toolkit.
   */
  private static final Map<String, List<String>> HEADERS = allowedHeaders();

  public WebConfigFile {
    users = Map.copyOf(users);
    headers = Map.copyOf(headers);
    inputs = List.copyOf(inputs);
  }

  /** No TLS, no users, no headers: what runs without {@code --web.config.file}. */
  public static WebConfigFile none() {
    return new WebConfigFile(
        Optional.empty(), Map.of(), Map.of(), true, Optional.empty(), List.of());
  }

  /** Reads and checks {@code file}; every problem is one line {@code FILE: path: problem}. */
  public static WebConfigFile load(Path file) throws ConfigException {
    String source = file.toString();
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new ConfigException(source, List.of("open " + source + ": no such file or directory"));
    } catch (IOException e) {
      throw new ConfigException(source, List.of("cannot read: " + e.getClass().getSimpleName()));
    }
    YamlTree.Result tree;
    try {
      tree = YamlTree.parse(text);
    } catch (YamlTree.SyntaxError e) {
      throw new ConfigException(source, List.of(e.describe()));
    }
    JsonNode root =
        tree.root() == null || tree.root().isNull()
            ? JsonNodeFactory.instance.objectNode()
            : tree.root();
    if (!root.isObject()) {
      throw new ConfigException(
          source, List.of("the top level must be a mapping (key: value lines)"));
    }
    Problems problems = new Problems(tree.positions());
    for (YamlTree.Problem p : tree.problems()) {
      problems.add(p.path(), p.message());
    }
    Path dir = file.toAbsolutePath().getParent();
    // no target kinds in this file
    TargetKindLookup noKinds =
        new TargetKindLookup() {
          @Override
          public Optional<? extends SettingsReader> byName(String kind) {
            return Optional.empty();
          }

          @Override
          public List<String> names() {
            return List.of();
          }
        };
    ConfigNode node =
        new ConfigNode(
            root,
            "",
            new ConfigNode.Context(
                problems,
                EnvSubstitution.none(),
                dir == null ? Path.of("").toAbsolutePath() : dir,
                noKinds));
    List<Path> inputs = new ArrayList<>();
    inputs.add(file.toAbsolutePath());
    WebConfigFile parsed = parse(node, inputs);
    if (!problems.isEmpty()) {
      throw new ConfigException(source, problems.list());
    }
    return parsed;
  }

  private static WebConfigFile parse(ConfigNode root, List<Path> inputs) {
    Optional<Tls> tls = tls(root.child("tls_server_config"), inputs);
    ConfigNode http = root.child("http_server_config");
    boolean http2 = http.bool("http2", true);
    Map<String, String> headers = http.stringMap("headers");
    for (Map.Entry<String, String> h : headers.entrySet()) {
      checkHeader(http, h.getKey(), h.getValue());
    }
    http.finish();
    ConfigNode rl = root.child("rate_limit");
    int burst = rl.integer("burst", 0, 0, Integer.MAX_VALUE);
    Duration interval = rl.duration("interval", Duration.ZERO, Duration.ZERO);
    rl.finish();
    Map<String, Secret> users = new LinkedHashMap<>();
    ConfigNode usersNode = root.child("basic_auth_users");
    root.stringMap("basic_auth_users")
        .forEach(
            (user, hash) -> {
              BcryptHash.problem(hash).ifPresent(p -> usersNode.problem(user, p));
              users.put(user, Secret.of(hash));
            });
    root.finish();
    return new WebConfigFile(
        tls,
        users,
        headers,
        http2,
        interval.isZero() ? Optional.empty() : Optional.of(new RateLimit(burst, interval)),
        inputs);
  }

  private static Optional<Tls> tls(ConfigNode n, List<Path> inputs) {
    Optional<String> certText = n.optionalString("cert");
    Optional<String> keyText = n.optionalString("key");
    Optional<String> caText = n.optionalString("client_ca");
    Optional<Path> certFile = n.file("cert_file");
    Optional<Path> keyFile = n.file("key_file");
    Optional<Path> caFile = n.file("client_ca_file");
    String clientAuthName = n.string("client_auth_type", "");
    List<String> ciphers = n.stringList("cipher_suites");
    List<String> curves = n.stringList("curve_preferences");
    String min = n.string("min_version", "TLS12");
    String max = n.string("max_version", "TLS13");
    boolean prefer = n.bool("prefer_server_cipher_suites", true);
    List<String> sans = n.stringList("client_allowed_sans");
    n.finish();
    boolean enabled =
        certText.isPresent()
            || keyText.isPresent()
            || caText.isPresent()
            || certFile.isPresent()
            || keyFile.isPresent()
            || caFile.isPresent()
            || !clientAuthName.isEmpty();
    // Enumerations are checked even without TLS, as the YAML decoder does in exporter-toolkit.
    boolean ok = true;
    for (int i = 0; i < ciphers.size(); i++) {
      if (!GO_CIPHERS.contains(ciphers.get(i))) {
        n.problem("cipher_suites[" + i + "]", "unknown cipher: " + ciphers.get(i));
        ok = false;
      }
    }
    for (int i = 0; i < curves.size(); i++) {
      if (!CURVES.contains(curves.get(i))) {
        n.problem("curve_preferences[" + i + "]", "unknown curve: " + curves.get(i));
        ok = false;
      }
    }
    for (Map.Entry<String, String> v : Map.of("min_version", min, "max_version", max).entrySet()) {
      if (!VERSIONS.containsKey(v.getValue())) {
        n.problem(v.getKey(), "unknown TLS version: " + v.getValue());
        ok = false;
      }
    }
    if (!enabled) {
      return Optional.empty();
    }
    if (certFile.isEmpty() && certText.isEmpty()) {
      n.problem(null, "missing one of cert or cert_file");
      return Optional.empty();
    }
    if (keyFile.isEmpty() && keyText.isEmpty()) {
      n.problem(null, "missing one of key or key_file");
      return Optional.empty();
    }
    ClientAuth clientAuth =
        switch (clientAuthName) {
          case "", "NoClientCert" -> ClientAuth.NO_CLIENT_CERT;
          case "RequestClientCert" -> ClientAuth.REQUEST_CLIENT_CERT;
          case "RequireAnyClientCert", "RequireClientCert" -> ClientAuth.REQUIRE_ANY_CLIENT_CERT;
          case "VerifyClientCertIfGiven" -> ClientAuth.VERIFY_CLIENT_CERT_IF_GIVEN;
          case "RequireAndVerifyClientCert" -> ClientAuth.REQUIRE_AND_VERIFY_CLIENT_CERT;
          default -> {
            n.problem("client_auth_type", "invalid ClientAuth: " + clientAuthName);
            yield null;
          }
        };
    byte[] certPem =
        certFile.isPresent()
            ? read(n, "cert_file", certFile.get(), inputs)
            : certText.get().getBytes(StandardCharsets.UTF_8);
    byte[] keyPem =
        keyFile.isPresent()
            ? read(n, "key_file", keyFile.get(), inputs)
            : keyText.get().getBytes(StandardCharsets.UTF_8);
    if (certPem == null || keyPem == null) {
      return Optional.empty();
    }
    PemMaterial.KeyPair pair;
    try {
      pair = PemMaterial.keyPair(certPem, keyPem);
    } catch (GeneralSecurityException e) {
      n.problem(null, "failed to load X509KeyPair: " + e.getMessage());
      return Optional.empty();
    }
    List<X509Certificate> cas = List.of();
    boolean casGiven = caFile.isPresent() || caText.isPresent();
    if (caFile.isPresent()) {
      byte[] ca = readRaw(n, "client_ca_file", caFile.get(), inputs);
      if (ca == null) {
        return Optional.empty();
      }
      cas = PemMaterial.certificates(ca);
    } else if (caText.isPresent()) {
      cas = PemMaterial.certificates(caText.get().getBytes(StandardCharsets.UTF_8));
    }
    if (clientAuth == null || !ok) {
      return Optional.empty();
    }
    if (casGiven && clientAuth == ClientAuth.NO_CLIENT_CERT) {
      n.problem(null, "client CA's have been configured without a Client Auth Policy");
      return Optional.empty();
    }
    int lo = VERSION_ORDER.indexOf(min);
    int hi = VERSION_ORDER.indexOf(max);
    if (lo > hi) {
      n.problem(
          "min_version",
          "no supported versions satisfy MinVersion and MaxVersion (" + min + " > " + max + ")");
      return Optional.empty();
    }
    List<String> protocols = VERSION_ORDER.subList(lo, hi + 1).stream().map(VERSIONS::get).toList();
    // TLS 1.3 suites are fixed in Go; in Java, leaving them out would turn TLS 1.3 off.
    List<String> tls12 =
        ciphers.stream().filter(c -> c.startsWith("TLS_ECDHE_")).distinct().toList();
    return Optional.of(
        new Tls(pair, clientAuth, cas, casGiven, protocols, tls12, curves, prefer, sans));
  }

  private static byte[] read(ConfigNode n, String key, Path p, List<Path> inputs) {
    inputs.add(p);
    try {
      return Files.readAllBytes(p);
    } catch (NoSuchFileException e) {
      n.problem(
          key, "failed to read " + key + " (" + p + "): open " + p + ": no such file or directory");
    } catch (IOException e) {
      n.problem(key, "failed to read " + key + " (" + p + "): " + e.getClass().getSimpleName());
    }
    return null;
  }

  private static byte[] readRaw(ConfigNode n, String key, Path p, List<Path> inputs) {
    inputs.add(p);
    try {
      return Files.readAllBytes(p);
    } catch (NoSuchFileException e) {
      n.problem(key, "open " + p + ": no such file or directory");
    } catch (IOException e) {
      n.problem(key, "cannot read " + p + ": " + e.getClass().getSimpleName());
    }
    return null;
  }

  private static void checkHeader(ConfigNode http, String name, String value) {
    if (!HEADERS.containsKey(name)) {
      http.problem("headers." + name, "HTTP header \"" + name + "\" can not be configured");
      return;
    }
    List<String> allowed = HEADERS.get(name);
    if (!allowed.isEmpty() && !allowed.contains(value)) {
      http.problem(
          "headers." + name,
          "invalid value for "
              + name
              + ". Expected one of: "
              + allowed.stream().map(a -> "\"" + a + "\"").toList().toString().replace(",", "")
              + ", but got: \""
              + value
              + "\"");
    }
  }

  private static Map<String, List<String>> allowedHeaders() {
    Map<String, List<String>> m = new LinkedHashMap<>();
    m.put("Strict-Transport-Security", List.of());
    m.put("X-Content-Type-Options", List.of("nosniff"));
    m.put("X-Frame-Options", List.of("deny", "sameorigin"));
    m.put("X-XSS-Protection", List.of());
    m.put("Content-Security-Policy", List.of());
    return Map.copyOf(m);
  }
}
