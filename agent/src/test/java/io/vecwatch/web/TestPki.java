package io.vecwatch.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Certificates made for one test run with the real {@code openssl}: a CA, a server certificate for
 * 127.0.0.1/localhost signed by it, a client certificate signed by it, and a second, unrelated CA
 * with its own client certificate. Nothing is committed; everything lives in the test's temporary
 * folder.
 */
public final class TestPki {
  public final Path dir;
  public final Path caCert;
  public final Path serverCert;
  public final Path serverKey;
  public final Path clientCert;
  public final Path clientKey;
  public final Path otherCaCert;
  public final Path otherClientCert;
  public final Path otherClientKey;

  private TestPki(Path dir) {
    this.dir = dir;
    caCert = dir.resolve("ca.crt");
    serverCert = dir.resolve("server.crt");
    serverKey = dir.resolve("server.key");
    clientCert = dir.resolve("client.crt");
    clientKey = dir.resolve("client.key");
    otherCaCert = dir.resolve("other-ca.crt");
    otherClientCert = dir.resolve("other-client.crt");
    otherClientKey = dir.resolve("other-client.key");
  }

  public static TestPki create(Path dir) throws IOException, InterruptedException {
    TestPki p = new TestPki(dir);
    p.ca("ca");
    p.ca("other-ca");
    Files.writeString(
        dir.resolve("server.ext"),
        "subjectAltName=IP:127.0.0.1,DNS:localhost\n" + "extendedKeyUsage=serverAuth\n");
    Files.writeString(
        dir.resolve("client.ext"),
        "subjectAltName=DNS:scraper.example\nextendedKeyUsage=clientAuth\n");
    p.leaf("server", "ca", "server.ext");
    p.leaf("client", "ca", "client.ext");
    p.leaf("other-client", "other-ca", "client.ext");
    return p;
  }

  private void ca(String name) throws IOException, InterruptedException {
    openssl(
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "2",
        "-subj",
        "/CN=vecwatch test " + name,
        "-keyout",
        dir.resolve(name + ".key").toString(),
        "-out",
        dir.resolve(name + ".crt").toString());
  }

  private void leaf(String name, String ca, String ext) throws IOException, InterruptedException {
    openssl(
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-subj",
        "/CN=" + name,
        "-keyout",
        dir.resolve(name + ".key").toString(),
        "-out",
        dir.resolve(name + ".csr").toString());
    openssl(
        "x509",
        "-req",
        "-in",
        dir.resolve(name + ".csr").toString(),
        "-CA",
        dir.resolve(ca + ".crt").toString(),
        "-CAkey",
        dir.resolve(ca + ".key").toString(),
        "-CAcreateserial",
        "-days",
        "2",
        "-extfile",
        dir.resolve(ext).toString(),
        "-out",
        dir.resolve(name + ".crt").toString());
  }

  /** Runs {@code openssl ARGS...} and fails with its output when it fails. */
  public static String openssl(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add("openssl");
    cmd.addAll(List.of(args));
    return run(cmd, 0);
  }

  /**
   * Runs a command, returns stdout+stderr; fails unless it exits with {@code expectedExit} (-1:
   * any).
   */
  public static String run(List<String> cmd, int expectedExit)
      throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
            .start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException("timed out: " + cmd);
    }
    String text = new String(out, StandardCharsets.UTF_8);
    if (expectedExit >= 0 && p.exitValue() != expectedExit) {
      throw new IOException(cmd + " exited " + p.exitValue() + ": " + text);
    }
    return text;
  }

  /**
   * A bcrypt hash of {@code password} made by Apache's {@code htpasswd -B} (a {@code $2y$} hash).
   */
  public static String htpasswd(String user, String password, int cost)
      throws IOException, InterruptedException {
    String out =
        run(List.of("htpasswd", "-nbB", "-C", Integer.toString(cost), user, password), 0).strip();
    return out.substring(out.indexOf(':') + 1);
  }
}
