package io.vecwatch.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vecwatch.config.AlertingConfig;
import io.vecwatch.config.AlertingConfig.AlertmanagerConfig;
import io.vecwatch.config.Secret;
import io.vecwatch.promtext.Labels;
import io.vecwatch.time.Clock;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AlertmanagerNotifierTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final List<AutoCloseable> closeables = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (int i = closeables.size() - 1; i >= 0; i--) {
      closeables.get(i).close();
    }
  }

  private LoopbackAlertmanager server() throws Exception {
    LoopbackAlertmanager s = LoopbackAlertmanager.http();
    closeables.add(s);
    return s;
  }

  private AlertmanagerNotifier notifier(AlertmanagerConfig am, Map<String, String> external)
      throws Exception {
    AlertmanagerNotifier n =
        AlertmanagerNotifier.start(
            new AlertingConfig(List.of(am)), external, registry, Clock.system());
    closeables.add(n);
    return n;
  }

  private static AlertmanagerConfig config(URI url, int capacity, int retries) {
    return new AlertmanagerConfig(
        List.of(url),
        Duration.ofSeconds(5),
        Optional.empty(),
        Optional.empty(),
        AlertingConfig.Tls.NONE,
        capacity,
        retries,
        Duration.ofMillis(1),
        Duration.ofMillis(5));
  }

  private static PostableAlert alert(int i) {
    return new PostableAlert(
        Labels.of("alertname", "A", "i", Integer.toString(i)),
        Map.of("summary", "s" + i),
        Instant.parse("2026-01-02T03:04:05.678Z"),
        Instant.parse("2026-01-02T03:08:05Z"),
        "http://agent/graph");
  }

  private double counter(String name, URI url) {
    return registry.get(name).tag("alertmanager", url.toString()).counter().count();
  }

  @Test
  void postsBatchesOfAtMost256WithExternalLabels() throws Exception {
    LoopbackAlertmanager am = server();
    AlertmanagerNotifier n =
        notifier(config(am.url(), 10_000, 0), Map.of("cluster", "eu-1", "i", "ignored"));
    List<PostableAlert> alerts = new ArrayList<>();
    for (int i = 0; i < 600; i++) {
      alerts.add(alert(i));
    }
    n.send(alerts);
    await().atMost(10, TimeUnit.SECONDS).until(() -> am.alertsReceived() == 600);
    assertThat(am.received)
        .allSatisfy(
            r -> {
              assertThat(r.path()).isEqualTo("/api/v2/alerts");
              assertThat(r.contentType()).isEqualTo("application/json");
              assertThat(r.body().size()).isBetween(1, 256);
            });
    JsonNode first = am.received.get(0).body().get(0);
    assertThat(first.get("labels").get("cluster").asText())
        .as("external label added")
        .isEqualTo("eu-1");
    assertThat(first.get("labels").get("i").asText()).as("alert's own label wins").isEqualTo("0");
    assertThat(first.get("annotations").get("summary").asText()).isEqualTo("s0");
    assertThat(first.get("startsAt").asText()).isEqualTo("2026-01-02T03:04:05.678Z");
    assertThat(first.get("endsAt").asText()).isEqualTo("2026-01-02T03:08:05.000Z");
    assertThat(first.get("generatorURL").asText()).isEqualTo("http://agent/graph");
    await()
        .untilAsserted(
            () -> assertThat(counter("vecwatch.notifications.sent", am.url())).isEqualTo(600));
    assertThat(
            registry
                .get("vecwatch.notifications.latency")
                .tag("alertmanager", am.url().toString())
                .timer()
                .count())
        .isEqualTo(am.received.size());
  }

  @Test
  void retriesServerErrorsWithBackoffThenDelivers() throws Exception {
    LoopbackAlertmanager am = server();
    AtomicInteger calls = new AtomicInteger();
    am.respondWith(() -> calls.incrementAndGet() <= 2 ? 503 : 200);
    AlertmanagerNotifier n = notifier(config(am.url(), 100, 3), Map.of());
    n.send(List.of(alert(1), alert(2)));
    await()
        .atMost(10, TimeUnit.SECONDS)
        .until(() -> counter("vecwatch.notifications.sent", am.url()) == 2);
    assertThat(am.received).hasSize(3);
    assertThat(counter("vecwatch.notifications.errors", am.url())).isEqualTo(4);
    assertThat(counter("vecwatch.notifications.dropped", am.url())).isZero();
  }

  @Test
  void clientErrorsAreNotRetriedAndTheBatchIsDropped() throws Exception {
    LoopbackAlertmanager am = server();
    am.respondWith(() -> 400);
    AlertmanagerNotifier n = notifier(config(am.url(), 100, 3), Map.of());
    n.send(List.of(alert(1)));
    await()
        .atMost(10, TimeUnit.SECONDS)
        .until(() -> counter("vecwatch.notifications.dropped", am.url()) == 1);
    assertThat(am.received).hasSize(1);
    assertThat(counter("vecwatch.notifications.errors", am.url())).isEqualTo(1);
  }

  @Test
  void aFullQueueDropsTheOldestAlertsAndCountsThem() throws Exception {
    LoopbackAlertmanager am = server();
    CountDownLatch inFlight = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    am.beforeResponding(
        () -> {
          inFlight.countDown();
          try {
            release.await(10, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    AlertmanagerNotifier n = notifier(config(am.url(), 5, 0), Map.of());
    n.send(List.of(alert(0)));
    assertThat(inFlight.await(10, TimeUnit.SECONDS))
        .isTrue(); // alert 0 is being posted, the queue is empty
    List<PostableAlert> more = new ArrayList<>();
    for (int i = 1; i <= 10; i++) {
      more.add(alert(i));
    }
    n.send(more);
    assertThat(
            registry
                .get("vecwatch.notifications.queue.length")
                .tag("alertmanager", am.url().toString())
                .gauge()
                .value())
        .isEqualTo(5);
    assertThat(counter("vecwatch.notifications.dropped", am.url())).isEqualTo(5);
    release.countDown();
    await().atMost(10, TimeUnit.SECONDS).until(() -> am.alertsReceived() == 6);
    List<String> ids = new ArrayList<>();
    am.received.forEach(r -> r.body().forEach(a -> ids.add(a.get("labels").get("i").asText())));
    assertThat(ids).containsExactly("0", "6", "7", "8", "9", "10");
  }

  @Test
  void sendsBasicAuthOrBearerCredentials() throws Exception {
    LoopbackAlertmanager am = server();
    AlertmanagerConfig basic =
        new AlertmanagerConfig(
            List.of(am.url()),
            Duration.ofSeconds(5),
            Optional.of(new AlertingConfig.BasicAuth("vecwatch", Secret.of("pa:ss"))),
            Optional.empty(),
            AlertingConfig.Tls.NONE,
            10,
            0,
            Duration.ofMillis(1),
            Duration.ofMillis(1));
    notifier(basic, Map.of()).send(List.of(alert(1)));
    await().atMost(10, TimeUnit.SECONDS).until(() -> am.received.size() == 1);
    String expected = "Basic " + Base64.getEncoder().encodeToString("vecwatch:pa:ss".getBytes());
    assertThat(am.received.get(0).authorization()).isEqualTo(expected);
    assertThat(basic.toString()).doesNotContain("pa:ss");

    AlertmanagerConfig bearer =
        new AlertmanagerConfig(
            List.of(am.url()),
            Duration.ofSeconds(5),
            Optional.empty(),
            Optional.of(Secret.of("t0ken")),
            AlertingConfig.Tls.NONE,
            10,
            0,
            Duration.ofMillis(1),
            Duration.ofMillis(1));
    notifier(bearer, Map.of()).send(List.of(alert(2)));
    await().atMost(10, TimeUnit.SECONDS).until(() -> am.received.size() == 2);
    assertThat(am.received.get(1).authorization()).isEqualTo("Bearer t0ken");
  }

  @Test
  void anUnreachableAlertmanagerIsRetriedThenDroppedWithoutBlockingSend() throws Exception {
    URI closed;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = URI.create("http://127.0.0.1:" + s.getLocalPort());
    }
    AlertmanagerNotifier n = notifier(config(closed, 10, 2), Map.of());
    long start = System.nanoTime();
    n.send(List.of(alert(1)));
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start))
        .as("send only queues")
        .isLessThan(1000);
    await()
        .atMost(20, TimeUnit.SECONDS)
        .until(() -> counter("vecwatch.notifications.dropped", closed) == 1);
    assertThat(counter("vecwatch.notifications.errors", closed)).isEqualTo(3);
  }
}
