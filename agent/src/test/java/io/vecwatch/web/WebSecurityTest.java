package io.vecwatch.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vecwatch.agent.Agent;
import io.vecwatch.config.ConfigLoader;
import io.vecwatch.config.VecwatchConfig;
import io.vecwatch.config.WebConfigFile;
import io.vecwatch.target.registry.TargetKinds;
import io.vecwatch.time.Clock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's endpoints behind a web config file, checked with real clients: {@code curl} for HTTP
 * and {@code openssl s_client} for TLS versions. Certificates come from {@link TestPki}; password
 * hashes from Apache's {@code htpasswd -B}.
 */
class WebSecurityTest {
  static final String CONFIG =
      """
      web:
        listen_address: "127.0.0.1:0"
      datasets:
        - name: d
          metric: l2
          generate: {count: 200, dim: 4, queries: 5, ground_truth_k: 10}
      targets:
        - name: a
          kind: flat
          dataset: d
      """;

  @TempDir static Path dir;
  static TestPki pki;
  static Path webFile;
  static String aliceHash;
  static WebSecurity security;
  static Agent agent;
  static String base;

  @BeforeAll
  static void start() throws Exception {
    pki = TestPki.create(dir);
    aliceHash = TestPki.htpasswd("alice", "s3cret", 5);
    webFile = dir.resolve("web.yml");
    writeWebConfig(aliceHash);
    VecwatchConfig config =
        new ConfigLoader(Map.of(), TargetKinds.lookup()).parse("t.yml", CONFIG, dir);
    security = WebSecurity.of(Optional.of(webFile), WebConfigFile.load(webFile), Clock.system());
    agent = Agent.builder(config).webSecurity(security).start();
    base = "https://127.0.0.1:" + agent.httpPort();
  }

  static void writeWebConfig(String hash) throws Exception {
    Files.writeString(
        webFile,
        """
        tls_server_config:
          cert_file: server.crt
          key_file: server.key
          client_auth_type: VerifyClientCertIfGiven
          client_ca_file: ca.crt
        http_server_config:
          headers:
            X-Content-Type-Options: nosniff
        basic_auth_users:
          alice: %s
        """
            .formatted(hash));
  }

  @AfterAll
  static void stop() {
    if (agent != null) {
      agent.close();
    }
  }

  static String curl(String... args) throws Exception {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "curl",
                "-sS",
                "--max-time",
                "10",
                "-o",
                "/dev/null",
                "-D",
                "-",
                "-w",
                "exit-http=%{http_code}\n"));
    cmd.addAll(List.of(args));
    return TestPki.run(cmd, -1);
  }

  @Test
  void withoutCredentialsEveryEndpointAnswers401WithAChallenge() throws Exception {
    for (String path : List.of("/metrics", "/-/healthy", "/-/ready", "/api/v1/targets", "/")) {
      String out = curl("--cacert", pki.caCert.toString(), base + path);
      assertThat(out)
          .as(path)
          .contains("exit-http=401")
          .containsIgnoringCase("www-authenticate: Basic");
    }
  }

  @Test
  void theRightPasswordFromHtpasswdIsLetIn() throws Exception {
    String out = curl("--cacert", pki.caCert.toString(), "-u", "alice:s3cret", base + "/-/healthy");
    assertThat(out)
        .contains("exit-http=200")
        .containsIgnoringCase("x-content-type-options: nosniff");
  }

  @Test
  void aWrongPasswordIs401() throws Exception {
    String out = curl("--cacert", pki.caCert.toString(), "-u", "alice:wrong", base + "/metrics");
    assertThat(out).contains("exit-http=401");
  }

  @Test
  void anUnknownUserIsComparedAgainstADummyHashLikeAKnownOne() throws Exception {
    int before = security.bcryptCompares();
    String out =
        curl(
            "--cacert",
            pki.caCert.toString(),
            "-u",
            "mallory-" + System.nanoTime() + ":x",
            base + "/metrics");
    assertThat(out).contains("exit-http=401");
    assertThat(security.bcryptCompares()).isEqualTo(before + 1);
  }

  @Test
  void plainHttpToTheTlsListenerFailsWithoutAnAnswerAndTheServerCarriesOn() throws Exception {
    String out = curl("-u", "alice:s3cret", "http://127.0.0.1:" + agent.httpPort() + "/metrics");
    assertThat(out).doesNotContain("exit-http=200").contains("exit-http=000");
    assertThat(curl("--cacert", pki.caCert.toString(), "-u", "alice:s3cret", base + "/-/healthy"))
        .contains("exit-http=200");
  }

  @Test
  void aClientTrustingAnotherCaRefusesTheServer() throws Exception {
    String out =
        curl("--cacert", pki.otherCaCert.toString(), "-u", "alice:s3cret", base + "/metrics");
    assertThat(out).contains("exit-http=000").containsIgnoringCase("certificate");
  }

  @Test
  void aClientCertificateFromAnUnknownCaIsRefused() throws Exception {
    String out =
        curl(
            "--cacert",
            pki.caCert.toString(),
            "--cert",
            pki.otherClientCert.toString(),
            "--key",
            pki.otherClientKey.toString(),
            "-u",
            "alice:s3cret",
            base + "/-/healthy");
    assertThat(out).contains("exit-http=000");
    String ok =
        curl(
            "--cacert",
            pki.caCert.toString(),
            "--cert",
            pki.clientCert.toString(),
            "--key",
            pki.clientKey.toString(),
            "-u",
            "alice:s3cret",
            base + "/-/healthy");
    assertThat(ok).contains("exit-http=200");
  }

  @Test
  void tls11IsRefusedAndTls12Accepted() throws Exception {
    String old =
        TestPki.run(
            List.of(
                "openssl",
                "s_client",
                "-connect",
                "127.0.0.1:" + agent.httpPort(),
                "-tls1_1",
                "-cipher",
                "DEFAULT:@SECLEVEL=0",
                "-CAfile",
                pki.caCert.toString()),
            -1);
    assertThat(old).contains("alert protocol version").contains("Cipher is (NONE)");
    String ok =
        TestPki.run(
            List.of(
                "openssl",
                "s_client",
                "-connect",
                "127.0.0.1:" + agent.httpPort(),
                "-tls1_2",
                "-CAfile",
                pki.caCert.toString()),
            -1);
    assertThat(ok).contains("Protocol  : TLSv1.2").contains("Verify return code: 0 (ok)");
  }

  @Test
  void metricsAreGzippedWhenTheClientAcceptsIt() throws Exception {
    String out =
        curl(
            "--cacert",
            pki.caCert.toString(),
            "-u",
            "alice:s3cret",
            "-H",
            "Accept-Encoding: gzip",
            base + "/metrics");
    assertThat(out).contains("exit-http=200").containsIgnoringCase("content-encoding: gzip");
  }

  @Test
  void aChangedFileIsPickedUpWithoutARestart() throws Exception {
    String bobHash = TestPki.htpasswd("alice", "n3w", 5);
    writeWebConfig(bobHash);
    Files.setLastModifiedTime(webFile, FileTime.from(Instant.now().plusSeconds(5)));
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(
                        curl(
                            "--cacert",
                            pki.caCert.toString(),
                            "-u",
                            "alice:n3w",
                            base + "/-/healthy"))
                    .contains("exit-http=200"));
    assertThat(curl("--cacert", pki.caCert.toString(), "-u", "alice:s3cret", base + "/-/healthy"))
        .contains("exit-http=401");
    writeWebConfig(aliceHash);
    Files.setLastModifiedTime(webFile, FileTime.from(Instant.now().plusSeconds(10)));
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(
                        curl(
                            "--cacert",
                            pki.caCert.toString(),
                            "-u",
                            "alice:s3cret",
                            base + "/-/healthy"))
                    .contains("exit-http=200"));
  }
}
