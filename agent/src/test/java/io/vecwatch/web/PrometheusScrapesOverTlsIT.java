package io.vecwatch.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vecwatch.agent.Agent;
import io.vecwatch.config.ConfigLoader;
import io.vecwatch.config.VecwatchConfig;
import io.vecwatch.config.WebConfigFile;
import io.vecwatch.target.registry.TargetKinds;
import io.vecwatch.time.Clock;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
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
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus 2.42 (Debian's {@code prometheus}) scrapes the agent over TLS with basic auth,
 * configured as docs/deployment.md shows ({@code scheme: https}, {@code tls_config.ca_file}, {@code
 * basic_auth}); the target is read back from Prometheus' own API. A second job with a wrong
 * password must show the target down with 401.
 */
class PrometheusScrapesOverTlsIT {
  @TempDir Path dir;

  @Test
  void prometheusScrapesTheAgentOverTlsWithBasicAuth() throws Exception {
    TestPki pki = TestPki.create(dir);
    String hash = TestPki.htpasswd("prometheus", "scrape-pw", 6);
    Path webFile = dir.resolve("web.yml");
    Files.writeString(
        webFile,
        """
        tls_server_config:
          cert_file: server.crt
          key_file: server.key
        basic_auth_users:
          prometheus: %s
        """
            .formatted(hash));
    VecwatchConfig config =
        new ConfigLoader(Map.of(), TargetKinds.lookup())
            .parse("t.yml", WebSecurityTest.CONFIG, dir);
    WebSecurity security =
        WebSecurity.of(Optional.of(webFile), WebConfigFile.load(webFile), Clock.system());
    int promPort = freePort();
    try (Agent agent = Agent.builder(config).webSecurity(security).start()) {
      Files.writeString(dir.resolve("password"), "scrape-pw\n");
      Path promConfig = dir.resolve("prometheus.yml");
      Files.writeString(
          promConfig,
          """
          global:
            scrape_interval: 1s
            scrape_timeout: 1s
          scrape_configs:
            - job_name: vecwatch
              scheme: https
              tls_config:
                ca_file: %s
              basic_auth:
                username: prometheus
                password_file: %s
              static_configs:
                - targets: ['127.0.0.1:%d']
            - job_name: vecwatch-wrong-password
              scheme: https
              tls_config:
                ca_file: %s
              basic_auth:
                username: prometheus
                password: wrong
              static_configs:
                - targets: ['127.0.0.1:%d']
          """
              .formatted(
                  pki.caCert,
                  dir.resolve("password"),
                  agent.httpPort(),
                  pki.caCert,
                  agent.httpPort()));
      TestPki.run(List.of("promtool", "check", "config", promConfig.toString()), 0);
      Process prom =
          new ProcessBuilder(
                  "prometheus",
                  "--config.file=" + promConfig,
                  "--storage.tsdb.path=" + dir.resolve("tsdb"),
                  "--web.listen-address=127.0.0.1:" + promPort)
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("prometheus.log").toFile())
              .start();
      try {
        HttpClient http = HttpClient.newHttpClient();
        await()
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(500))
            .untilAsserted(
                () -> {
                  HttpResponse<String> r =
                      http.send(
                          HttpRequest.newBuilder(
                                  URI.create(
                                      "http://127.0.0.1:"
                                          + promPort
                                          + "/api/v1/targets?state=active"))
                              .build(),
                          HttpResponse.BodyHandlers.ofString());
                  JsonArray targets =
                      new JsonObject(r.body()).getJsonObject("data").getJsonArray("activeTargets");
                  JsonObject good = find(targets, "vecwatch");
                  JsonObject bad = find(targets, "vecwatch-wrong-password");
                  assertThat(good.getString("health")).as(good.encode()).isEqualTo("up");
                  assertThat(good.getString("scrapeUrl")).startsWith("https://");
                  assertThat(bad.getString("health")).isEqualTo("down");
                  assertThat(bad.getString("lastError")).contains("401");
                });
        // and the scraped series are there: up and one of the agent's own
        HttpResponse<String> q =
            HttpClient.newHttpClient()
                .send(
                    HttpRequest.newBuilder(
                            URI.create(
                                "http://127.0.0.1:"
                                    + promPort
                                    + "/api/v1/query?query=up%7Bjob%3D%22vecwatch%22%7D"))
                        .build(),
                    HttpResponse.BodyHandlers.ofString());
        JsonArray result = new JsonObject(q.body()).getJsonObject("data").getJsonArray("result");
        assertThat(result).hasSize(1);
        assertThat(result.getJsonObject(0).getJsonArray("value").getString(1)).isEqualTo("1");
      } finally {
        prom.destroy();
        prom.waitFor();
      }
    }
  }

  private static JsonObject find(JsonArray targets, String job) {
    for (int i = 0; i < targets.size(); i++) {
      JsonObject t = targets.getJsonObject(i);
      if (job.equals(t.getJsonObject("labels").getString("job"))) {
        return t;
      }
    }
    throw new AssertionError("no target of job " + job + " in " + targets.encode());
  }

  static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
