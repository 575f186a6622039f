package io.vecwatch.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code alerting:} where alerts are sent: a static list of Alertmanagers ({@code
 * alertmanagers[]}), each with one or more URLs sharing timeout, auth, TLS and queue settings.
 */
public record AlertingConfig(List<AlertmanagerConfig> alertmanagers) {
  public AlertingConfig {
    alertmanagers = List.copyOf(alertmanagers);
  }

  public static AlertingConfig none() {
    return new AlertingConfig(List.of());
  }

  static AlertingConfig parse(ConfigNode n) {
    List<AlertmanagerConfig> out = new ArrayList<>();
    for (ConfigNode am : n.list("alertmanagers")) {
      out.add(AlertmanagerConfig.parse(am));
    }
    n.finish();
    return new AlertingConfig(out);
  }

  /**
   * One {@code alertmanagers[i]} entry.
   *
   * @param urls base URLs; alerts are posted to {@code URL/api/v2/alerts}, each URL gets its own
   *     queue
   * @param timeout per request
   * @param queueCapacity alerts queued per URL; when full the oldest are dropped and counted
   * @param maxRetries further attempts of a failed batch before it is dropped (firing alerts are
   *     re-sent anyway)
   */
  public record AlertmanagerConfig(
      List<URI> urls,
      Duration timeout,
      Optional<BasicAuth> basicAuth,
      Optional<Secret> bearerToken,
      Tls tls,
      int queueCapacity,
      int maxRetries,
      Duration minBackoff,
      Duration maxBackoff) {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    public static final int DEFAULT_QUEUE_CAPACITY = 10_000;
    public static final int DEFAULT_MAX_RETRIES = 3;
    public static final Duration DEFAULT_MIN_BACKOFF = Duration.ofMillis(500);
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(30);

    public AlertmanagerConfig {
      urls = List.copyOf(urls);
    }

    /** An Alertmanager at {@code url} with every default (tests, examples). */
    public static AlertmanagerConfig of(URI url) {
      return new AlertmanagerConfig(
          List.of(url),
          DEFAULT_TIMEOUT,
          Optional.empty(),
          Optional.empty(),
          Tls.NONE,
          DEFAULT_QUEUE_CAPACITY,
          DEFAULT_MAX_RETRIES,
          DEFAULT_MIN_BACKOFF,
          DEFAULT_MAX_BACKOFF);
    }

    static AlertmanagerConfig parse(ConfigNode n) {
      List<String> texts = new ArrayList<>(n.stringList("urls"));
      n.optionalString("url").ifPresent(u -> texts.add(0, u));
      if (texts.isEmpty()) {
        n.problem("url", "must be set (url or urls)");
      }
      List<URI> urls = new ArrayList<>();
      for (String t : texts) {
        try {
          URI u = new URI(t);
          if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme()))
              || u.getHost() == null) {
            n.problem(
                "url",
                "must be an http:// or https:// URL with a host, got " + ConfigNode.quote(t));
          } else if (u.getUserInfo() != null) {
            n.problem(
                "url", "must not contain credentials; use basic_auth, got " + ConfigNode.quote(t));
          } else {
            urls.add(u);
          }
        } catch (URISyntaxException e) {
          n.problem("url", "not a valid URL: " + ConfigNode.quote(t));
        }
      }
      Duration timeout = n.duration("timeout", DEFAULT_TIMEOUT, Duration.ofMillis(1));
      Optional<BasicAuth> basic = Optional.empty();
      if (n.has("basic_auth")) {
        ConfigNode b = n.child("basic_auth");
        String user = b.requiredString("username");
        Optional<Secret> pw = b.secret("password");
        b.finish();
        basic = Optional.of(new BasicAuth(user, pw.orElse(Secret.of(""))));
      }
      Optional<Secret> bearer = n.secret("bearer_token");
      if (basic.isPresent() && bearer.isPresent()) {
        n.problem("bearer_token", "set either basic_auth or bearer_token, not both");
      }
      Tls tls = n.has("tls") ? Tls.parse(n.child("tls")) : Tls.NONE;
      if (tls.isSet() && urls.stream().anyMatch(u -> "http".equals(u.getScheme()))) {
        n.problem("tls", "is set but a url uses http://");
      }
      int capacity = n.integer("queue_capacity", DEFAULT_QUEUE_CAPACITY, 1, 10_000_000);
      int retries = n.integer("max_retries", DEFAULT_MAX_RETRIES, 0, 100);
      Duration minBackoff = n.duration("min_backoff", DEFAULT_MIN_BACKOFF, Duration.ofMillis(1));
      Duration maxBackoff = n.duration("max_backoff", DEFAULT_MAX_BACKOFF, Duration.ofMillis(1));
      if (maxBackoff.compareTo(minBackoff) < 0) {
        n.problem("max_backoff", "must not be shorter than min_backoff");
      }
      n.finish();
      return new AlertmanagerConfig(
          urls, timeout, basic, bearer, tls, capacity, retries, minBackoff, maxBackoff);
    }
  }

  /** HTTP basic auth; the password is a {@link Secret}. */
  public record BasicAuth(String username, Secret password) {}

  /**
   * Client TLS: a CA bundle to verify the server, a client certificate and key (PEM) for mutual
   * TLS, or no verification at all ({@code insecure_skip_verify}, tests only).
   */
  public record Tls(
      Optional<Path> caFile,
      Optional<Path> certFile,
      Optional<Path> keyFile,
      boolean insecureSkipVerify) {
    public static final Tls NONE =
        new Tls(Optional.empty(), Optional.empty(), Optional.empty(), false);

    public boolean isSet() {
      return !equals(NONE);
    }

    static Tls parse(ConfigNode t) {
      Optional<Path> ca = t.existingFile("ca_file");
      Optional<Path> cert = t.existingFile("cert_file");
      Optional<Path> key = t.existingFile("key_file");
      boolean insecure = t.bool("insecure_skip_verify", false);
      if (cert.isPresent() != key.isPresent()) {
        t.problem(
            cert.isPresent() ? "key_file" : "cert_file",
            "cert_file and key_file must be set together");
      }
      t.finish();
      return new Tls(ca, cert, key, insecure);
    }
  }
}
