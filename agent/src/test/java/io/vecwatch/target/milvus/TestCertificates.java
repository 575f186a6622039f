package io.vecwatch.target.milvus;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away CA, a server certificate for 127.0.0.1/localhost and a client certificate, made with
 * openssl.
 */
final class TestCertificates {
  private TestCertificates() {}

  static Path create(Path dir) throws IOException, InterruptedException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("san.ext"), "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
    run(
        dir,
        "openssl",
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
        "/CN=vecwatch-test-ca");
    for (String who : List.of("server", "client")) {
      run(
          dir,
          "openssl",
          "req",
          "-newkey",
          "rsa:2048",
          "-nodes",
          "-keyout",
          who + ".key",
          "-out",
          who + ".csr",
          "-subj",
          "/CN=" + (who.equals("server") ? "localhost" : "vecwatch"));
      run(
          dir,
          "openssl",
          "x509",
          "-req",
          "-in",
          who + ".csr",
          "-CA",
          "ca.pem",
          "-CAkey",
          "ca.key",
          "-CAcreateserial",
          "-out",
          who + ".pem",
          "-days",
          "2",
          "-extfile",
          "san.ext");
    }
    return dir;
  }

  private static void run(Path dir, String... cmd) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(cmd)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("openssl.log").toFile())
            .start();
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException(
          "openssl failed: " + String.join(" ", cmd) + "; see " + dir.resolve("openssl.log"));
    }
  }
}
