package io.vecwatch.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/getting-started.md, "Without Docker", as written: the agent jar run with the unmodified
 * docs/deploy/demo.yml delivers the test alert to a real Alertmanager (Debian's, started by
 * .ci/peers.sh; its address through the {@code ALERTMANAGER_URL} variable the config reads).
 */
class GettingStartedIT {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private static String get(String url) {
    try {
      HttpResponse<String> r =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).GET().build(),
              HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 ? r.body() : "";
    } catch (IOException | InterruptedException e) {
      return "";
    }
  }

  @Test
  void theEmbeddedDemoDeliversTheTestAlertToAlertmanager(@TempDir Path dir) throws Exception {
    String alertmanager = System.getProperty("vecwatch.alertmanager.url");
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Path log = dir.resolve("agent.log");
    // the launcher the guide runs (it execs java, so destroying this process stops the JVM)
    ProcessBuilder pb =
        new ProcessBuilder(
                Repo.file("agent/target/bin/vecwatch").toString(),
                "run",
                "--config",
                Repo.file("docs/deploy/demo.yml").toString(),
                "--web.listen-address",
                "127.0.0.1:" + port)
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    pb.environment().put("ALERTMANAGER_URL", alertmanager);
    Process agent = pb.start();
    try {
      String filter =
          URLEncoder.encode("alertname=\"VecwatchGettingStarted\"", StandardCharsets.UTF_8);
      await()
          .atMost(Duration.ofSeconds(150))
          .pollInterval(Duration.ofSeconds(1))
          .untilAsserted(
              () -> {
                assertThat(agent.isAlive()).as("agent exited: %s", Files.readString(log)).isTrue();
                String alerts = get(alertmanager + "/api/v2/alerts?filter=" + filter);
                assertThat(alerts)
                    .contains("\"target\":\"demo-flat\"")
                    .contains("\"target\":\"demo-hnsw\"")
                    .contains("\"cluster\":\"demo\""); // external_labels from demo.yml
              });
    } finally {
      agent.destroy();
      if (!agent.waitFor(20, TimeUnit.SECONDS)) {
        agent.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }
}
