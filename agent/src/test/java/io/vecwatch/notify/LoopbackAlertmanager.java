package io.vecwatch.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.IntSupplier;
import javax.net.ssl.SSLContext;

/**
 * A real HTTP server on loopback that accepts {@code POST /api/v2/alerts} the way Alertmanager's
 * API does and records what it received. Used where the test needs to control the response (errors,
 * stalls); the behaviour against the real Alertmanager is covered by the integration tests.
 */
final class LoopbackAlertmanager implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  record Received(String path, String contentType, String authorization, JsonNode body) {}

  final List<Received> received = new CopyOnWriteArrayList<>();
  private final HttpServer server;
  private volatile IntSupplier status = () -> 200;
  private volatile Runnable beforeResponse = () -> {};

  private LoopbackAlertmanager(HttpServer server) {
    this.server = server;
    server.createContext("/", this::handle);
    server.setExecutor(Executors.newFixedThreadPool(2));
    server.start();
  }

  static LoopbackAlertmanager http() throws IOException {
    return new LoopbackAlertmanager(HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0));
  }

  static LoopbackAlertmanager https(SSLContext ctx) throws IOException {
    HttpsServer s = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    s.setHttpsConfigurator(new HttpsConfigurator(ctx));
    return new LoopbackAlertmanager(s);
  }

  URI url() {
    String scheme = server instanceof HttpsServer ? "https" : "http";
    return URI.create(scheme + "://127.0.0.1:" + server.getAddress().getPort());
  }

  void respondWith(IntSupplier s) {
    this.status = s;
  }

  void beforeResponding(Runnable r) {
    this.beforeResponse = r;
  }

  int alertsReceived() {
    return received.stream().mapToInt(r -> r.body().size()).sum();
  }

  private void handle(HttpExchange ex) throws IOException {
    try (InputStream in = ex.getRequestBody()) {
      JsonNode body = JSON.readTree(in.readAllBytes());
      received.add(
          new Received(
              ex.getRequestURI().getPath(),
              ex.getRequestHeaders().getFirst("Content-Type"),
              ex.getRequestHeaders().getFirst("Authorization"),
              body));
      beforeResponse.run();
      int code = status.getAsInt();
      byte[] out = code == 200 ? new byte[0] : "{\"code\":400,\"message\":\"bad\"}".getBytes();
      ex.sendResponseHeaders(code, out.length == 0 ? -1 : out.length);
      if (out.length > 0) {
        ex.getResponseBody().write(out);
      }
    } finally {
      ex.close();
    }
  }

  @Override
  public void close() {
    server.stop(0);
    ((ExecutorService) server.getExecutor()).shutdownNow();
  }
}
