package io.vecwatch.web;

import at.favre.lib.crypto.bcrypt.BCrypt;
import at.favre.lib.crypto.bcrypt.LongPasswordStrategies;
import io.vecwatch.config.BcryptHash;
import io.vecwatch.config.ConfigException;
import io.vecwatch.config.Secret;
import io.vecwatch.config.WebConfigFile;
import io.vecwatch.time.Clock;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.ServerSSLOptions;
import io.vertx.core.net.TrustOptions;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TLS, basic auth, extra headers and rate limiting of the agent's own HTTP endpoints, from a {@link
 * WebConfigFile} as Prometheus exporters apply it (exporter-toolkit): every endpoint is protected;
 * a request without valid credentials gets 401 with {@code WWW-Authenticate: Basic}; an unknown
 * user is checked against a dummy hash so the answer takes as long as for a known one; verified
 * credentials are cached (by a digest, never in clear). The file is re-read when it or a file it
 * names changes (checked at each TLS handshake and each request) and on {@link #reload()}; a file
 * that became invalid is logged and the last good one stays in force.
 */
public final class WebSecurity {
  private static final Logger LOG = LoggerFactory.getLogger(WebSecurity.class);
  private static final int CACHE_SIZE = 100;
  private static final int MAX_PENDING_CHECKS = 64;

  private final Optional<Path> file;
  private final Clock clock;
  private final DynamicKeyManager keyManager = new DynamicKeyManager();
  private final DynamicTrustManager trustManager = new DynamicTrustManager();
  private final Map<String, Boolean> cache =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> e) {
          return size() > CACHE_SIZE;
        }
      };
  private final AtomicInteger pending = new AtomicInteger();
  private final AtomicInteger bcryptCompares = new AtomicInteger();
  private volatile State state;
  private volatile Runnable onTlsChange = () -> {};
  private volatile WorkerExecutor bcryptWorker;
  private long bucketNanos;
  private double tokens;

  /** One loaded config and what was built from it. */
  private record State(
      WebConfigFile config,
      Map<Path, String> stamps,
      String dummyHash,
      X509ExtendedKeyManager keys,
      X509TrustManager verifier) {}

  private WebSecurity(Optional<Path> file, WebConfigFile config, Clock clock)
      throws GeneralSecurityException {
    this.file = file;
    this.clock = clock;
    this.state = build(config, null);
  }

  /**
   * Security from {@code file} (already loaded as {@code config}), or none when the file is empty.
   */
  public static WebSecurity of(Optional<Path> file, WebConfigFile config, Clock clock)
      throws GeneralSecurityException {
    return new WebSecurity(Objects.requireNonNull(file), config, clock);
  }

  /** No TLS, no auth: the agent without {@code --web.config.file}. */
  public static WebSecurity none() {
    try {
      return new WebSecurity(Optional.empty(), WebConfigFile.none(), Clock.system());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The web config file, when one was given. */
  public Optional<Path> file() {
    return file;
  }

  public WebConfigFile config() {
    return state.config();
  }

  public boolean tlsEnabled() {
    return state.config().tls().isPresent();
  }

  /** {@code https} with TLS, {@code http} without. */
  public String scheme() {
    return tlsEnabled() ? "https" : "http";
  }

  /** How many bcrypt comparisons ran (cache misses), for tests and the timing guarantee. */
  int bcryptCompares() {
    return bcryptCompares.get();
  }

  /**
   * Called (on some thread) when the TLS policy changed and the server must take new SSL options.
   */
  void onTlsChange(Runnable r) {
    this.onTlsChange = r;
  }

  /**
   * Re-reads the file now. Throws {@link ConfigException} (one line per problem) and keeps the
   * current config when the file became invalid; turning TLS on or off needs a restart and is
   * refused.
   */
  public synchronized void reload() throws ConfigException {
    if (file.isEmpty()) {
      return;
    }
    WebConfigFile fresh = WebConfigFile.load(file.get());
    if (fresh.tls().isPresent() != tlsEnabled()) {
      throw new ConfigException(
          file.get().toString(),
          List.of(
              "tls_server_config: turning TLS "
                  + (fresh.tls().isPresent() ? "on" : "off")
                  + " needs a restart; keeping the current web config"));
    }
    apply(fresh);
  }

  /**
   * Re-reads the file when it or a file it names changed since it was read; problems are logged.
   */
  void refreshIfChanged() {
    if (file.isEmpty() || stamps(state.config().inputs()).equals(state.stamps())) {
      return;
    }
    synchronized (this) {
      if (stamps(state.config().inputs()).equals(state.stamps())) {
        return;
      }
      try {
        reload();
        LOG.info("web config {} changed: reloaded", file.get());
      } catch (ConfigException e) {
        // remember the stamps so a broken file is reported once, not at every request
        State s = state;
        state =
            new State(
                s.config(), stamps(s.config().inputs()), s.dummyHash(), s.keys(), s.verifier());
        LOG.error(
            "web config {} changed but is invalid, keeping the previous one: {}",
            file.get(),
            String.join("; ", e.problems()));
      } catch (RuntimeException e) {
        LOG.error("web config {} could not be applied: {}", file.get(), e.toString());
      }
    }
  }

  private void apply(WebConfigFile fresh) throws ConfigException {
    State old = state;
    try {
      state = build(fresh, old);
    } catch (GeneralSecurityException e) {
      throw new ConfigException(
          file.map(Path::toString).orElse("web config"),
          List.of("tls_server_config: " + e.getMessage()));
    }
    synchronized (cache) {
      cache.clear();
    }
    Optional<WebConfigFile.Tls> a = old.config().tls();
    Optional<WebConfigFile.Tls> b = fresh.tls();
    if (a.isPresent() && b.isPresent() && !policy(a.get()).equals(policy(b.get()))) {
      onTlsChange.run();
    }
  }

  private State build(WebConfigFile c, State old) throws GeneralSecurityException {
    String dummy = old != null && sameCosts(old.config(), c) ? old.dummyHash() : dummyHash(c);
    X509ExtendedKeyManager keys = null;
    X509TrustManager verifier = null;
    if (c.tls().isPresent()) {
      WebConfigFile.Tls t = c.tls().get();
      KeyStore ks = KeyStore.getInstance("PKCS12");
      try {
        ks.load(null, null);
      } catch (IOException e) {
        throw new GeneralSecurityException(e);
      }
      char[] pw = "vecwatch".toCharArray();
      ks.setKeyEntry(
          "server", t.keyPair().key(), pw, t.keyPair().chain().toArray(X509Certificate[]::new));
      KeyManagerFactory kmf =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(ks, pw);
      keys = (X509ExtendedKeyManager) kmf.getKeyManagers()[0];
      verifier = verifier(t);
    }
    return new State(c, stamps(c.inputs()), dummy, keys, verifier);
  }

  private static X509TrustManager verifier(WebConfigFile.Tls t) throws GeneralSecurityException {
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    if (t.clientCasGiven()) {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      try {
        ks.load(null, null);
      } catch (IOException e) {
        throw new GeneralSecurityException(e);
      }
      int i = 0;
      for (X509Certificate ca : t.clientCas()) {
        ks.setCertificateEntry("ca" + i++, ca);
      }
      tmf.init(ks);
    } else {
      tmf.init((KeyStore) null); // the system roots, as Go uses them when no client CA is given
    }
    for (TrustManager tm : tmf.getTrustManagers()) {
      if (tm instanceof X509TrustManager x) {
        return x;
      }
    }
    throw new GeneralSecurityException("no X.509 trust manager available");
  }

  private static boolean sameCosts(WebConfigFile a, WebConfigFile b) {
    return typicalCost(a) == typicalCost(b);
  }

  /** The cost most users' hashes have, so a dummy comparison takes as long as a real one. */
  private static int typicalCost(WebConfigFile c) {
    Map<Integer, Integer> counts = new HashMap<>();
    for (Secret s : c.users().values()) {
      counts.merge(BcryptHash.cost(s.reveal()), 1, Integer::sum);
    }
    return counts.entrySet().stream()
        .max(Map.Entry.comparingByValue())
        .map(Map.Entry::getKey)
        .orElse(10);
  }

  private static String dummyHash(WebConfigFile c) {
    if (c.users().isEmpty()) {
      return "";
    }
    byte[] random = new byte[16];
    new SecureRandom().nextBytes(random);
    return BCrypt.with(BCrypt.Version.VERSION_2Y)
        .hashToString(typicalCost(c), HexFormat.of().formatHex(random).toCharArray());
  }

  /** Modification time and size of each input; a missing file stamps as "missing". */
  private static Map<Path, String> stamps(List<Path> inputs) {
    Map<Path, String> m = new HashMap<>();
    for (Path p : inputs) {
      try {
        BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
        m.put(p, a.lastModifiedTime().toMillis() + "/" + a.size());
      } catch (IOException e) {
        m.put(p, "missing");
      }
    }
    return m;
  }

  /**
   * What the server's SSL options are made of (certificates and CAs are served live, without new
   * options).
   */
  private static List<Object> policy(WebConfigFile.Tls t) {
    return List.of(t.protocols(), t.cipherSuites(), t.clientAuth());
  }

  /** The server's SSL options for the current config (TLS must be enabled). */
  public ServerSSLOptions sslOptions() {
    return sslOptions(state.config().tls().orElseThrow());
  }

  private ServerSSLOptions sslOptions(WebConfigFile.Tls t) {
    ServerSSLOptions o =
        new ServerSSLOptions()
            .setKeyCertOptions(KeyCertOptions.wrap(keyManager))
            .setTrustOptions(TrustOptions.wrap(trustManager))
            .setEnabledSecureTransportProtocols(new LinkedHashSet<>(t.protocols()))
            .setClientAuth(
                switch (t.clientAuth()) {
                  case NO_CLIENT_CERT -> ClientAuth.NONE;
                  case REQUEST_CLIENT_CERT, VERIFY_CLIENT_CERT_IF_GIVEN -> ClientAuth.REQUEST;
                  case REQUIRE_ANY_CLIENT_CERT, REQUIRE_AND_VERIFY_CLIENT_CERT ->
                      ClientAuth.REQUIRED;
                });
    if (!t.cipherSuites().isEmpty()) {
      // TLS 1.3 suites stay on (Go does not let a config choose them; Java would turn TLS 1.3 off
      // without them)
      for (String s :
          List.of(
              "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256")) {
        o.addEnabledCipherSuite(s);
      }
      t.cipherSuites().forEach(o::addEnabledCipherSuite);
    }
    return o;
  }

  /**
   * The handler to put first on every route: headers, rate limit, then basic auth. Passes the
   * request on with {@code ctx.next()} when it may proceed.
   */
  public void handle(RoutingContext ctx) {
    refreshIfChanged();
    WebConfigFile c = state.config();
    c.headers().forEach((k, v) -> ctx.response().putHeader(k, v));
    if (c.rateLimit().isPresent() && !allow(c.rateLimit().get())) {
      ctx.response()
          .setStatusCode(429)
          .putHeader("Content-Type", "text/plain; charset=utf-8")
          .end("Too Many Requests\n");
      return;
    }
    if (c.users().isEmpty()) {
      ctx.next();
      return;
    }
    Optional<String[]> creds = basicCredentials(ctx.request().getHeader("Authorization"));
    if (creds.isEmpty()) {
      unauthorized(ctx);
      return;
    }
    String user = creds.get()[0];
    String password = creds.get()[1];
    State s = state;
    Secret hash = s.config().users().get(user);
    boolean known = hash != null;
    String h = known ? hash.reveal() : s.dummyHash();
    String key = cacheKey(user, h, password);
    Boolean cached;
    synchronized (cache) {
      cached = cache.get(key);
    }
    if (cached != null) {
      finish(ctx, cached && known);
      return;
    }
    if (pending.incrementAndGet() > MAX_PENDING_CHECKS) {
      pending.decrementAndGet();
      ctx.response()
          .setStatusCode(429)
          .putHeader("Content-Type", "text/plain; charset=utf-8")
          .end("Too Many Requests\n");
      return;
    }
    // bcrypt is slow on purpose: one check at a time, off the event loop (as exporter-toolkit
    // serialises them)
    worker(ctx.vertx())
        .executeBlocking(
            () -> {
              boolean ok = compare(h, password) && known;
              synchronized (cache) {
                cache.put(key, ok);
              }
              return ok;
            },
            true)
        .onComplete(
            ar -> {
              pending.decrementAndGet();
              finish(ctx, ar.succeeded() && ar.result());
            });
  }

  private WorkerExecutor worker(Vertx vertx) {
    WorkerExecutor w = bcryptWorker;
    if (w == null) {
      synchronized (this) {
        if (bcryptWorker == null) {
          bcryptWorker = vertx.createSharedWorkerExecutor("vecwatch-auth", 1);
        }
        w = bcryptWorker;
      }
    }
    return w;
  }

  private boolean compare(String hash, String password) {
    bcryptCompares.incrementAndGet();
    return matches(hash, password);
  }

  /** Whether {@code password} matches a {@code $2a$}, {@code $2b$} or {@code $2y$} bcrypt hash. */
  static boolean matches(String hash, String password) {
    try {
      return BCrypt.verifyer(null, LongPasswordStrategies.truncate(BCrypt.Version.VERSION_2A))
          .verify(password.getBytes(StandardCharsets.UTF_8), hash.getBytes(StandardCharsets.UTF_8))
          .verified;
    } catch (RuntimeException e) {
      return false; // a hash of a variant the library does not know: no match
    }
  }

  private static void finish(RoutingContext ctx, boolean ok) {
    if (ok) {
      ctx.next();
    } else {
      unauthorized(ctx);
    }
  }

  private static void unauthorized(RoutingContext ctx) {
    ctx.response()
        .setStatusCode(401)
        .putHeader("WWW-Authenticate", "Basic")
        .putHeader("Content-Type", "text/plain; charset=utf-8")
        .end("Unauthorized\n");
  }

  private synchronized boolean allow(WebConfigFile.RateLimit rl) {
    long now = clock.monotonicNanos();
    if (bucketNanos == 0) {
      bucketNanos = now;
      tokens = rl.burst();
    }
    tokens = Math.min(rl.burst(), tokens + (double) (now - bucketNanos) / rl.interval().toNanos());
    bucketNanos = now;
    if (tokens >= 1) {
      tokens -= 1;
      return true;
    }
    return false;
  }

  static Optional<String[]> basicCredentials(String header) {
    if (header == null || header.length() < 6 || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
      return Optional.empty();
    }
    String decoded;
    try {
      decoded =
          new String(
              Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    int colon = decoded.indexOf(':');
    if (colon < 0) {
      return Optional.empty();
    }
    return Optional.of(new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)});
  }

  private static String cacheKey(String user, String hash, String password) {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      for (String s : List.of(user, hash, password)) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        d.update(HexFormat.of().formatHex(b).getBytes(StandardCharsets.US_ASCII));
        d.update((byte) ':');
      }
      return HexFormat.of().formatHex(d.digest());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  public void close() {
    WorkerExecutor w = bcryptWorker;
    if (w != null) {
      w.close();
    }
  }

  /**
   * Serves the current key pair; a handshake first looks for a changed file, as exporter-toolkit
   * does.
   */
  private final class DynamicKeyManager extends X509ExtendedKeyManager {
    private X509ExtendedKeyManager keys() {
      return state.keys();
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
      refreshIfChanged();
      return keys() == null ? null : keys().chooseEngineServerAlias(keyType, issuers, engine);
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
      refreshIfChanged();
      return keys() == null ? null : keys().chooseServerAlias(keyType, issuers, socket);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
      return keys() == null ? null : keys().getServerAliases(keyType, issuers);
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
      return null;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
      return null;
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
      return keys() == null ? null : keys().getCertificateChain(alias);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
      return keys() == null ? null : keys().getPrivateKey(alias);
    }
  }

  /** Checks client certificates by the current {@code client_auth_type}, CAs and allowed SANs. */
  private final class DynamicTrustManager extends X509ExtendedTrustManager {
    private void check(X509Certificate[] chain, String authType) throws CertificateException {
      State s = state;
      WebConfigFile.Tls t = s.config().tls().orElse(null);
      if (t == null) {
        throw new CertificateException("TLS is not configured");
      }
      boolean verify =
          t.clientAuth() == WebConfigFile.ClientAuth.VERIFY_CLIENT_CERT_IF_GIVEN
              || t.clientAuth() == WebConfigFile.ClientAuth.REQUIRE_AND_VERIFY_CLIENT_CERT;
      if (verify) {
        s.verifier().checkClientTrusted(chain, authType);
      }
      if (!t.allowedSans().isEmpty()) {
        List<String> sans = sans(chain[0]);
        if (sans.stream().noneMatch(t.allowedSans()::contains)) {
          throw new CertificateException(
              "could not find allowed SANs in client cert, found: " + t.allowedSans());
        }
      }
    }

    private List<String> sans(X509Certificate c) throws CertificateParsingException {
      List<String> out = new ArrayList<>();
      if (c.getSubjectAlternativeNames() != null) {
        for (List<?> san : c.getSubjectAlternativeNames()) {
          out.add(String.valueOf(san.get(1)));
        }
      }
      return out;
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      check(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      check(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      check(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      throw new CertificateException("server certificates are not checked here");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      throw new CertificateException("server certificates are not checked here");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      throw new CertificateException("server certificates are not checked here");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      State s = state;
      WebConfigFile.Tls t = s.config().tls().orElse(null);
      if (t == null || !t.clientCasGiven()) {
        return new X509Certificate[0];
      }
      return t.clientCas().toArray(X509Certificate[]::new);
    }
  }
}
