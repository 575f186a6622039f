package io.vecwatch.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vecwatch.config.AlertingConfig;
import io.vecwatch.config.AlertingConfig.AlertmanagerConfig;
import io.vecwatch.promtext.Labels;
import io.vecwatch.time.Clock;
import java.io.FileInputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Client TLS against a real HTTPS server on loopback, with certificates made by the {@code openssl}
 * command (a CA, a server certificate for 127.0.0.1, a client certificate whose key is PKCS#1).
 */
class TlsTest {
  @TempDir static Path dir;

  private static void openssl(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("openssl"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).as(String.join(" ", cmd) + "\n" + out).isZero();
  }

  @BeforeAll
  static void certificates() throws Exception {
    assumeThat(Files.isExecutable(Path.of("/usr/bin/openssl"))).as("openssl is installed").isTrue();
    openssl(
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
        "-days",
        "2",
        "-subj",
        "/CN=vecwatch test CA");
    Files.writeString(dir.resolve("san.ext"), "subjectAltName=IP:127.0.0.1\n");
    openssl(
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "server.key",
        "-out",
        "server.csr",
        "-subj",
        "/CN=127.0.0.1");
    openssl(
        "x509",
        "-req",
        "-in",
        "server.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        "server.pem",
        "-days",
        "2",
        "-extfile",
        "san.ext");
    openssl(
        "pkcs12",
        "-export",
        "-in",
        "server.pem",
        "-inkey",
        "server.key",
        "-out",
        "server.p12",
        "-passout",
        "pass:pw");
    openssl(
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "client8.key",
        "-out",
        "client.csr",
        "-subj",
        "/CN=vecwatch");
    openssl(
        "x509",
        "-req",
        "-in",
        "client.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        "client.pem",
        "-days",
        "2");
    openssl("rsa", "-in", "client8.key", "-out", "client1.key", "-traditional");
    assertThat(Files.readString(dir.resolve("client1.key"))).contains("BEGIN RSA PRIVATE KEY");
  }

  private static HttpsServer server(boolean needClientAuth, AtomicInteger hits) throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (FileInputStream in = new FileInputStream(dir.resolve("server.p12").toFile())) {
      ks.load(in, "pw".toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, "pw".toCharArray());
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    try (FileInputStream in = new FileInputStream(dir.resolve("ca.pem").toFile())) {
      trust.setCertificateEntry(
          "ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    HttpsServer s = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    s.setHttpsConfigurator(
        new HttpsConfigurator(ctx) {
          @Override
          public void configure(HttpsParameters params) {
            SSLParameters p = ctx.getDefaultSSLParameters();
            p.setNeedClientAuth(needClientAuth);
            params.setSSLParameters(p);
          }
        });
    s.createContext(
        "/api/v2/alerts",
        ex -> {
          ex.getRequestBody().readAllBytes();
          hits.incrementAndGet();
          ex.sendResponseHeaders(200, -1);
          ex.close();
        });
    s.start();
    return s;
  }

  private static double deliver(HttpsServer s, AlertingConfig.Tls tls) throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    URI url = URI.create("https://127.0.0.1:" + s.getAddress().getPort());
    AlertmanagerConfig am =
        new AlertmanagerConfig(
            List.of(url),
            Duration.ofSeconds(5),
            Optional.empty(),
            Optional.empty(),
            tls,
            10,
            0,
            Duration.ofMillis(1),
            Duration.ofMillis(1));
    try (AlertmanagerNotifier n =
        AlertmanagerNotifier.start(
            new AlertingConfig(List.of(am)), Map.of(), registry, Clock.system())) {
      n.send(
          List.of(
              new PostableAlert(
                  Labels.of("alertname", "T"), Map.of(), Instant.EPOCH, Instant.EPOCH, "")));
      await()
          .atMost(15, TimeUnit.SECONDS)
          .until(
              () ->
                  registry.get("vecwatch.notifications.sent").counter().count()
                          + registry.get("vecwatch.notifications.dropped").counter().count()
                      >= 1);
      return registry.get("vecwatch.notifications.sent").counter().count();
    }
  }

  @Test
  void verifiesTheServerAgainstTheConfiguredCa() throws Exception {
    AtomicInteger hits = new AtomicInteger();
    HttpsServer s = server(false, hits);
    try {
      AlertingConfig.Tls withCa =
          new AlertingConfig.Tls(
              Optional.of(dir.resolve("ca.pem")), Optional.empty(), Optional.empty(), false);
      assertThat(deliver(s, withCa)).isEqualTo(1);
      AlertingConfig.Tls systemTrust =
          new AlertingConfig.Tls(Optional.empty(), Optional.empty(), Optional.empty(), false);
      assertThat(deliver(s, systemTrust)).as("an unknown CA is refused").isZero();
      AlertingConfig.Tls insecure =
          new AlertingConfig.Tls(Optional.empty(), Optional.empty(), Optional.empty(), true);
      assertThat(deliver(s, insecure)).as("insecure_skip_verify").isEqualTo(1);
      assertThat(hits.get()).isEqualTo(2);
    } finally {
      s.stop(0);
    }
  }

  @Test
  void presentsAClientCertificateWithAPkcs1OrPkcs8Key() throws Exception {
    AtomicInteger hits = new AtomicInteger();
    HttpsServer s = server(true, hits);
    try {
      for (String key : List.of("client1.key", "client8.key")) {
        AlertingConfig.Tls mtls =
            new AlertingConfig.Tls(
                Optional.of(dir.resolve("ca.pem")),
                Optional.of(dir.resolve("client.pem")),
                Optional.of(dir.resolve(key)),
                false);
        assertThat(deliver(s, mtls)).as(key).isEqualTo(1);
      }
      AlertingConfig.Tls noCert =
          new AlertingConfig.Tls(
              Optional.of(dir.resolve("ca.pem")), Optional.empty(), Optional.empty(), false);
      assertThat(deliver(s, noCert)).as("the server requires a client certificate").isZero();
    } finally {
      s.stop(0);
    }
  }
}
