package io.vecwatch.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.vecwatch.web.TestPki;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The web config file as exporter-toolkit reads it: one fixture per validation rule in {@code
 * src/test/resources/webconfig/invalid-*.yml}, each with its exact {@code # expect:} lines
 * (exporter-toolkit's texts after the path). Fixtures run in a folder where the test made
 * certificates with openssl.
 */
class WebConfigFileTest {
  @TempDir static Path dir;
  static TestPki pki;

  @BeforeAll
  static void certificates() throws Exception {
    pki = TestPki.create(dir);
  }

  static Stream<String> invalidFixtures() throws IOException, URISyntaxException {
    Path src = Path.of(WebConfigFileTest.class.getResource("/webconfig").toURI());
    try (Stream<Path> s = Files.list(src)) {
      return s
          .map(p -> p.getFileName().toString())
          .filter(n -> n.startsWith("invalid-"))
          .sorted()
          .toList()
          .stream();
    }
  }

  private static Path copy(String name) throws Exception {
    Path target = dir.resolve(name);
    Files.copy(
        Path.of(WebConfigFileTest.class.getResource("/webconfig/" + name).toURI()),
        target,
        StandardCopyOption.REPLACE_EXISTING);
    return target;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidFixtures")
  void reportsExactlyTheExpectedProblem(String name) throws Exception {
    Path f = copy(name);
    List<String> expected =
        Files.readAllLines(f).stream()
            .filter(l -> l.startsWith("# expect: "))
            .map(
                l -> f + ": " + l.substring("# expect: ".length()).replace("<dir>", dir.toString()))
            .toList();
    assertThat(expected).isNotEmpty();
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> WebConfigFile.load(f));
    assertThat(e).as(name).isNotNull();
    assertThat(e.problems()).containsExactlyElementsOf(expected);
  }

  @Test
  void aMissingFileIsReportedAsGoWouldOpenIt() {
    Path f = dir.resolve("absent.yml");
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> WebConfigFile.load(f));
    assertThat(e.problems()).containsExactly(f + ": open " + f + ": no such file or directory");
  }

  @Test
  void anEmptyFileMeansNoTlsAndNoUsers() throws Exception {
    Path f = dir.resolve("empty.yml");
    Files.writeString(f, "");
    WebConfigFile w = WebConfigFile.load(f);
    assertThat(w.tls()).isEmpty();
    assertThat(w.users()).isEmpty();
    assertThat(w.http2()).isTrue();
  }

  @Test
  void aFullFileIsReadWithExporterToolkitDefaults() throws Exception {
    String hash = TestPki.htpasswd("alice", "pw", 5);
    Path f = dir.resolve("full.yml");
    Files.writeString(
        f,
        """
        tls_server_config:
          cert_file: server.crt
          key_file: server.key
          client_auth_type: RequireAndVerifyClientCert
          client_ca_file: ca.crt
          cipher_suites: [TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256]
        http_server_config:
          http2: false
          headers:
            Strict-Transport-Security: max-age=31536000
        basic_auth_users:
          alice: %s
        rate_limit:
          burst: 5
          interval: 1s
        """
            .formatted(hash));
    WebConfigFile w = WebConfigFile.load(f);
    WebConfigFile.Tls tls = w.tls().orElseThrow();
    assertThat(tls.protocols()).containsExactly("TLSv1.2", "TLSv1.3");
    assertThat(tls.clientAuth()).isEqualTo(WebConfigFile.ClientAuth.REQUIRE_AND_VERIFY_CLIENT_CERT);
    assertThat(tls.clientCas()).hasSize(1);
    assertThat(tls.cipherSuites()).containsExactly("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
    assertThat(w.http2()).isFalse();
    assertThat(w.headers()).containsEntry("Strict-Transport-Security", "max-age=31536000");
    assertThat(w.users().get("alice").reveal()).isEqualTo(hash).startsWith("$2y$05$");
    assertThat(w.rateLimit()).contains(new WebConfigFile.RateLimit(5, Duration.ofSeconds(1)));
    assertThat(w.inputs()).contains(pki.serverCert.toAbsolutePath(), pki.caCert.toAbsolutePath());
  }

  @Test
  void pkcs1AndSec1KeysAreReadAsGoReadsThem() throws Exception {
    Path rsa1 = dir.resolve("server-pkcs1.key");
    TestPki.openssl(
        "rsa", "-in", pki.serverKey.toString(), "-traditional", "-out", rsa1.toString());
    assertThat(Files.readString(rsa1)).contains("BEGIN RSA PRIVATE KEY");
    Path ecKey = dir.resolve("ec.key");
    Path ecCert = dir.resolve("ec.crt");
    TestPki.openssl(
        "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", ecKey.toString());
    TestPki.openssl(
        "req",
        "-new",
        "-x509",
        "-key",
        ecKey.toString(),
        "-subj",
        "/CN=ec",
        "-days",
        "1",
        "-out",
        ecCert.toString());
    assertThat(Files.readString(ecKey)).contains("BEGIN EC PRIVATE KEY");
    assertThat(
            PemMaterial.keyPair(Files.readAllBytes(pki.serverCert), Files.readAllBytes(rsa1))
                .key()
                .getAlgorithm())
        .isEqualTo("RSA");
    assertThat(
            PemMaterial.keyPair(Files.readAllBytes(ecCert), Files.readAllBytes(ecKey))
                .key()
                .getAlgorithm())
        .isEqualTo("EC");
  }

  @Test
  void valuesAreReadAsWrittenWithoutEnvironmentExpansion() throws Exception {
    Path f = dir.resolve("literal.yml");
    String hash = TestPki.htpasswd("u", "pw", 4);
    Files.writeString(f, "basic_auth_users:\n  u: '" + hash + "'\n");
    assertThat(WebConfigFile.load(f).users().get("u").reveal()).isEqualTo(hash);
  }
}
