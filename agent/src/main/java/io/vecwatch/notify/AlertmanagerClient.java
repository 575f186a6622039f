package io.vecwatch.notify;

import io.vecwatch.config.AlertingConfig.AlertmanagerConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Base64;

/**
 * Posts alert batches to one Alertmanager's {@code /api/v2/alerts} with the configured auth, TLS
 * and timeout. Blocking: called from a send loop's own thread, never from an event loop.
 * Credentials never appear in messages.
 */
final class AlertmanagerClient {
  private final URI endpoint;
  private final HttpClient http;
  private final Duration timeout;
  private final String authorization;

  private AlertmanagerClient(
      URI endpoint, HttpClient http, Duration timeout, String authorization) {
    this.endpoint = endpoint;
    this.http = http;
    this.timeout = timeout;
    this.authorization = authorization;
  }

  static AlertmanagerClient create(URI base, AlertmanagerConfig cfg)
      throws IOException, GeneralSecurityException {
    HttpClient.Builder b =
        HttpClient.newBuilder().connectTimeout(cfg.timeout()).version(HttpClient.Version.HTTP_1_1);
    if (cfg.tls().isSet()) {
      b.sslContext(PemTls.context(cfg.tls()));
    }
    String auth = null;
    if (cfg.basicAuth().isPresent()) {
      String up =
          cfg.basicAuth().get().username() + ":" + cfg.basicAuth().get().password().reveal();
      auth = "Basic " + Base64.getEncoder().encodeToString(up.getBytes(StandardCharsets.UTF_8));
    } else if (cfg.bearerToken().isPresent()) {
      auth = "Bearer " + cfg.bearerToken().get().reveal();
    }
    return new AlertmanagerClient(endpoint(base), b.build(), cfg.timeout(), auth);
  }

  /** {@code base/api/v2/alerts}, keeping any path prefix of the base URL. */
  static URI endpoint(URI base) {
    String s = base.toString().replaceAll("/+$", "");
    return URI.create(s + "/api/v2/alerts");
  }

  /** The outcome of one POST. */
  record Outcome(int status, String error) {
    boolean ok() {
      return status >= 200 && status < 300;
    }

    /** Worth another attempt: network trouble, 5xx or 429; not 4xx (the payload is wrong). */
    boolean retryable() {
      return status == 0 || status >= 500 || status == 429;
    }
  }

  Outcome post(byte[] body) throws InterruptedException {
    HttpRequest.Builder rb =
        HttpRequest.newBuilder(endpoint)
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .header("User-Agent", "vecwatch")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (authorization != null) {
      rb.header("Authorization", authorization);
    }
    try {
      HttpResponse<String> r = http.send(rb.build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() / 100 == 2) {
        return new Outcome(r.statusCode(), "");
      }
      String msg = r.body() == null ? "" : r.body().strip();
      if (msg.length() > 200) {
        msg = msg.substring(0, 200) + "...";
      }
      return new Outcome(
          r.statusCode(), "HTTP " + r.statusCode() + (msg.isEmpty() ? "" : ": " + msg));
    } catch (IOException e) {
      return new Outcome(
          0, e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
    }
  }

  URI endpoint() {
    return endpoint;
  }
}
