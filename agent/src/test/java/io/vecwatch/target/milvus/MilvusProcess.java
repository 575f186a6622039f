package io.vecwatch.target.milvus;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A real Milvus server process the test owns, so it can kill and restart it: Milvus Lite from the
 * venv {@code .ci/peers.sh} installs, or the Milvus 2.3 wheel's {@code milvus-server}. Killing
 * takes the whole process tree (the 2.3 launcher is a Python wrapper around the Go binary, which
 * survives its parent).
 */
final class MilvusProcess implements AutoCloseable {
  private final String name;
  private final List<String> command;
  private final Path log;
  private final int port;
  private Process process;
  private Duration lastStart = Duration.ZERO;

  private MilvusProcess(String name, List<String> command, Path log, int port) {
    this.name = name;
    this.command = List.copyOf(command);
    this.log = log;
    this.port = port;
  }

  static Path peersHome() {
    return Path.of(
        System.getProperty(
            "vecwatch.peers.home", System.getProperty("user.home") + "/.cache/vecwatch-peers"));
  }

  static Path liteBinary() {
    return peersHome().resolve("milvus-lite/bin/milvus-lite");
  }

  static Path server23Binary() {
    return peersHome().resolve("milvus-server/bin/milvus-server");
  }

  /**
   * Skips the calling test where Milvus 2.3 is not installed, except in CI ({@code CI} set), where
   * that fails it: a green CI run must never hide that the only live coverage of RBAC, TLS and
   * GetMetrics did not run.
   */
  static void requireServer23() {
    String why = "Milvus 2.3 is not installed at " + server23Binary() + " (.ci/peers.sh install)";
    if (Files.isExecutable(server23Binary())) {
      return;
    }
    if (System.getenv("CI") != null) {
      throw new AssertionError(why);
    }
    Assumptions.assumeTrue(false, why);
  }

  static MilvusProcess lite(Path dataDir, int port) {
    return new MilvusProcess(
        "milvus-lite",
        List.of(
            liteBinary().toString(),
            "server",
            "--data-dir",
            dataDir.toString(),
            "--host",
            "127.0.0.1",
            "--port",
            Integer.toString(port)),
        dataDir.resolveSibling(dataDir.getFileName() + ".log"),
        port);
  }

  /** Milvus 2.3 standalone; {@code extra} are milvus-server flags (auth, TLS). */
  static MilvusProcess server23(Path dataDir, int port, List<String> extra) {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                server23Binary().toString(),
                "--data",
                dataDir.toString(),
                "--proxy-port",
                Integer.toString(port)));
    cmd.addAll(extra);
    return new MilvusProcess(
        "milvus-2.3", cmd, dataDir.resolveSibling(dataDir.getFileName() + ".log"), port);
  }

  static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  int port() {
    return port;
  }

  String uri() {
    return "http://127.0.0.1:" + port;
  }

  /** Starts the server and waits until its port accepts connections. */
  MilvusProcess start(Duration timeout) throws IOException, InterruptedException {
    Files.createDirectories(log.getParent());
    long t0 = System.nanoTime();
    process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    long deadline = t0 + timeout.toNanos();
    while (!accepting()) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            name + " exited with " + process.exitValue() + "; see " + log);
      }
      if (System.nanoTime() > deadline) {
        kill();
        throw new IllegalStateException(
            name + " did not open port " + port + " within " + timeout + "; see " + log);
      }
      // polling a port has no event to wait on; 50 ms keeps the start-time measurement fine-grained
      TimeUnit.MILLISECONDS.sleep(50);
    }
    lastStart = Duration.ofNanos(System.nanoTime() - t0);
    return this;
  }

  /** How long the last start took until the port accepted connections. */
  Duration lastStart() {
    return lastStart;
  }

  boolean accepting() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Resident memory of the process tree, in bytes (Linux /proc). */
  long rssBytes() {
    long total = 0;
    List<ProcessHandle> all = new ArrayList<>();
    all.add(process.toHandle());
    process.descendants().forEach(all::add);
    for (ProcessHandle h : all) {
      try {
        for (String line : Files.readAllLines(Path.of("/proc/" + h.pid() + "/status"))) {
          if (line.startsWith("VmRSS:")) {
            total += Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
          }
        }
      } catch (IOException e) {
        // the process just exited
      }
    }
    return total;
  }

  /**
   * The port the 2.3 server serves /metrics on (its launcher picks one and passes METRICS_PORT), if
   * known.
   */
  OptionalInt metricsPort() {
    List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
    for (ProcessHandle h : all) {
      try {
        for (String kv :
            new String(Files.readAllBytes(Path.of("/proc/" + h.pid() + "/environ"))).split("\0")) {
          if (kv.startsWith("METRICS_PORT=")) {
            return OptionalInt.of(Integer.parseInt(kv.substring("METRICS_PORT=".length())));
          }
        }
      } catch (IOException | NumberFormatException e) {
        // not this process
      }
    }
    return OptionalInt.empty();
  }

  /** SIGKILL to the whole tree, as a crash would; waits until the port is closed. */
  void kill() throws InterruptedException {
    if (process == null) {
      return;
    }
    List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
    tree.forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
    for (ProcessHandle h : tree) {
      h.onExit().orTimeout(30, TimeUnit.SECONDS).exceptionally(e -> h).join();
    }
    process = null;
  }

  /**
   * Kills the server and deletes its data folder (the 2.3 launcher copies its 246 MB binary into
   * it).
   */
  @Override
  public void close() {
    try {
      kill();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Path dataDir = log.resolveSibling(log.getFileName().toString().replaceFirst("\\.log$", ""));
    try (Stream<Path> files = Files.walk(dataDir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // already gone, or partly: harmless under target/
    }
  }
}
