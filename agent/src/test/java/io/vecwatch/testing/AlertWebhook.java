package io.vecwatch.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An Alertmanager webhook receiver on a free loopback port: keeps every notification Alertmanager
 * posts (its JSON body, with the time it arrived), so a test reads back what a pager would have
 * received.
 */
public final class AlertWebhook implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One notification: {@code status} is {@code firing} or {@code resolved}. */
  public record Notification(long receivedNanos, String status, JsonNode body) {
    /** Values of {@code label} over the notification's alerts. */
    public List<String> labelValues(String label) {
      List<String> out = new ArrayList<>();
      for (JsonNode a : body.path("alerts")) {
        out.add(a.path("labels").path(label).asText());
      }
      return out;
    }
  }

  private final HttpServer server;
  private final List<Notification> received = new CopyOnWriteArrayList<>();

  public AlertWebhook() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/hook",
        ex -> {
          JsonNode body = JSON.readTree(ex.getRequestBody().readAllBytes());
          received.add(new Notification(System.nanoTime(), body.path("status").asText(), body));
          ex.sendResponseHeaders(200, -1);
          ex.close();
        });
    server.start();
  }

  public URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hook");
  }

  public List<Notification> notifications() {
    return List.copyOf(received);
  }

  /** Notifications with this status whose alerts include {@code alertname}. */
  public List<Notification> notifications(String status, String alertname) {
    return received.stream()
        .filter(n -> n.status().equals(status))
        .filter(n -> n.labelValues("alertname").contains(alertname))
        .toList();
  }

  /**
   * Writes an Alertmanager configuration routing everything here, grouped by alert name and target,
   * with waits of one second (so a test sees notifications within seconds) and resolved
   * notifications on.
   */
  public Path writeAlertmanagerConfig(Path file) throws IOException {
    Files.writeString(
        file,
        """
        route:
          receiver: hook
          group_by: [alertname, target]
          group_wait: 1s
          group_interval: 1s
          repeat_interval: 1h
        receivers:
          - name: hook
            webhook_configs:
              - url: %s
                send_resolved: true
        """
            .formatted(url()));
    return file;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
