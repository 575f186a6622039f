package io.vecwatch.export;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Addresses of the real peers .ci/peers.sh starts (failsafe passes them as system properties). */
final class Peers {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private Peers() {}

  static String jaegerOtlp() {
    return System.getProperty("vecwatch.jaeger.otlp", "http://127.0.0.1:14318");
  }

  static String jaegerQuery() {
    return System.getProperty("vecwatch.jaeger.query", "http://127.0.0.1:16687");
  }

  static String jaegerMetrics() {
    return System.getProperty("vecwatch.jaeger.metrics", "http://127.0.0.1:19464/metrics");
  }

  static String victoriaLogs() {
    return System.getProperty("vecwatch.victorialogs.url", "http://127.0.0.1:19428");
  }

  static String get(String url) {
    try {
      HttpResponse<String> r =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new IllegalStateException(
            "GET " + url + ": HTTP " + r.statusCode() + ": " + r.body());
      }
      return r.body();
    } catch (IOException e) {
      throw new IllegalStateException("GET " + url + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
