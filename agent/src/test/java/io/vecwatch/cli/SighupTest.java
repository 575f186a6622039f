package io.vecwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGHUP against a real {@code vecwatch run} process: it reloads; and a process started under
 * {@code nohup} (SIGHUP ignored) says once at start that SIGHUP will not reload.
 */
class SighupTest {
  @TempDir Path dir;

  private Process start(boolean nohup, Path log) throws Exception {
    Path cfg = dir.resolve("vecwatch.yml");
    Files.writeString(
        cfg,
        """
        datasets:
          - name: d
            metric: l2
            generate: {count: 100, dim: 4, queries: 5, ground_truth_k: 10}
        targets:
          - name: a
            kind: flat
            dataset: d
        """);
    List<String> cmd = new ArrayList<>();
    if (nohup) {
      cmd.add("nohup");
    }
    cmd.addAll(
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp",
            System.getProperty("java.class.path"),
            Main.class.getName(),
            "run",
            "--config.file",
            cfg.toString(),
            "--web.listen-address",
            "127.0.0.1:0"));
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  @Test
  void sighupReloads() throws Exception {
    Path log = dir.resolve("run.log");
    Process p = start(false, log);
    try {
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> Files.readString(log).contains("Stop with Ctrl-C"));
      assertThat(Files.readString(log)).doesNotContain("SIGHUP is ignored");
      new ProcessBuilder("kill", "-HUP", Long.toString(p.pid())).start().waitFor();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> Files.readString(log).contains("SIGHUP reload: ok"));
      assertThat(p.isAlive()).isTrue();
    } finally {
      p.destroy();
      p.waitFor();
    }
  }

  @Test
  void underNohupTheAgentSaysOnceThatSighupWillNotReload() throws Exception {
    Path log = dir.resolve("nohup.log");
    Process p = start(true, log);
    try {
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> Files.readString(log).contains("Stop with Ctrl-C"));
      String text = Files.readString(log);
      assertThat(text.split("SIGHUP is ignored by the parent process", -1)).hasSize(2);
    } finally {
      p.destroy();
      p.waitFor();
    }
  }
}
