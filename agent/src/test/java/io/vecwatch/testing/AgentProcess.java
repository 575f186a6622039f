package io.vecwatch.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code vecwatch run} as a child JVM on the test classpath, as an operator runs it: its own
 * process, stopped with SIGTERM, its exit status and output read back. The HTTP port is the one it
 * prints ({@code --web.listen-address 127.0.0.1:0}).
 */
public final class AgentProcess implements AutoCloseable {
  private static final Pattern METRICS_LINE =
      Pattern.compile("metrics: +http://[^:]+:(\\d+)/metrics");

  private final Process process;
  private final Path output;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private int port;

  private AgentProcess(Process process, Path output) {
    this.process = process;
    this.output = output;
  }

  /**
   * Starts {@code vecwatch run --config config}; returns once it prints where it listens (at most
   * 60 s).
   */
  public static AgentProcess start(Path config, Path dir, String... jvmArgs) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("--add-modules");
    cmd.add("jdk.incubator.vector");
    cmd.addAll(List.of(jvmArgs));
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("io.vecwatch.cli.Main");
    cmd.addAll(
        List.of("run", "--config", config.toString(), "--web.listen-address", "127.0.0.1:0"));
    Path out = Files.createTempFile(dir, "agent", ".log");
    Process p =
        new ProcessBuilder(cmd)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(out.toFile())
            .start();
    AgentProcess a = new AgentProcess(p, out);
    await("agent prints its address")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> a.findPort().isPresent() || !p.isAlive());
    a.port =
        a.findPort().orElseThrow(() -> new IllegalStateException("agent exited: " + a.output()));
    return a;
  }

  private Optional<Integer> findPort() throws IOException {
    Matcher m = METRICS_LINE.matcher(Files.readString(output, StandardCharsets.UTF_8));
    return m.find() ? Optional.of(Integer.parseInt(m.group(1))) : Optional.empty();
  }

  public long pid() {
    return process.pid();
  }

  public int port() {
    return port;
  }

  /** GET a path of the agent's HTTP server; status and body. */
  public HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(5))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  public Scrape scrape() throws IOException, InterruptedException {
    HttpResponse<String> r = get("/metrics");
    if (r.statusCode() != 200) {
      throw new IllegalStateException("/metrics answered " + r.statusCode());
    }
    return Scrape.parse(r.body());
  }

  public void awaitReady(Duration atMost) {
    await("agent ready")
        .atMost(atMost)
        .pollInterval(Duration.ofMillis(200))
        .ignoreExceptions()
        .until(() -> get("/-/ready").statusCode() == 200);
  }

  /** Everything it printed so far (stdout and stderr). */
  public String output() {
    try {
      return Files.readString(output, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(cannot read output: " + e + ")";
    }
  }

  /** Resident set size in KiB, from /proc (Linux). */
  public long rssKib() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    throw new IllegalStateException("no VmRSS for " + pid());
  }

  /** Threads of the process now, from /proc (Linux). */
  public long threads() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
      if (line.startsWith("Threads:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    throw new IllegalStateException("no Threads for " + pid());
  }

  /** Open file descriptors of the process now, from /proc (Linux). */
  public long openFiles() throws IOException {
    try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid()), "fd"))) {
      return fds.count();
    }
  }

  /**
   * Sends SIGTERM and waits at most {@code atMost}; the exit status, or -1 if it was still running
   * (then killed).
   */
  public int terminate(Duration atMost) throws InterruptedException {
    process.destroy(); // SIGTERM on Linux
    if (!process.waitFor(atMost.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
      return -1;
    }
    return process.exitValue();
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
