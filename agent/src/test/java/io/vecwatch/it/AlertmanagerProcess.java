package io.vecwatch.it;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Alertmanager ({@code prometheus-alertmanager}, Debian 0.25) this test owns: on a free
 * loopback port, gossip off, its own storage, so it can be stopped and started again mid-test.
 */
public final class AlertmanagerProcess implements AutoCloseable {
  private final Path config;
  private final Path storage;
  private final Path log;
  private final int port;
  private Process process;

  AlertmanagerProcess(Path repo, Path workDir) throws IOException {
    this(
        repo.resolve(".ci/alertmanager-test.yml"),
        workDir.resolve("am-data"),
        workDir.resolve("alertmanager.log"));
  }

  /**
   * An Alertmanager reading {@code config} (for example one with a webhook receiver the test
   * listens on).
   */
  public static AlertmanagerProcess withConfig(Path config, Path workDir) throws IOException {
    return new AlertmanagerProcess(
        config, workDir.resolve("am-data"), workDir.resolve("alertmanager.log"));
  }

  private AlertmanagerProcess(Path config, Path storage, Path log) throws IOException {
    this.config = config;
    this.storage = Files.createDirectories(storage);
    this.log = log;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      this.port = s.getLocalPort();
    }
  }

  public URI url() {
    return URI.create("http://127.0.0.1:" + port);
  }

  public AlertmanagerProcess start() throws IOException {
    process =
        new ProcessBuilder(
                List.of(
                    "prometheus-alertmanager",
                    "--config.file=" + config,
                    "--storage.path=" + storage,
                    "--web.listen-address=127.0.0.1:" + port,
                    "--cluster.listen-address="))
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    HttpClient http = HttpClient.newHttpClient();
    await()
        .atMost(30, TimeUnit.SECONDS)
        .pollInterval(Duration.ofMillis(100))
        .ignoreExceptions()
        .until(
            () ->
                http.send(
                            HttpRequest.newBuilder(url().resolve("/-/ready")).build(),
                            HttpResponse.BodyHandlers.discarding())
                        .statusCode()
                    == 200);
    return this;
  }

  public void stop() throws InterruptedException {
    if (process != null) {
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
      process = null;
    }
  }

  @Override
  public void close() throws InterruptedException {
    stop();
  }
}
