package io.vecwatch.target.milvus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import io.vecwatch.config.Secret;
import io.vecwatch.serverside.SystemInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * GetMetrics ({@code system_info}) against the real Milvus 2.3 server, with authorization on and
 * without TLS (the agent asks GetMetrics only over plain connections): the memory and CPU figures
 * the agent reads are the machine's, as /proc tells this test. Skipped where the wheel is not
 * installed, except in CI, where that fails.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class Milvus23SystemInfoIT {
  private static final Optional<Secret> ROOT = Optional.of(Secret.of("root:Milvus"));
  private MilvusProcess server;
  private SystemInfo first;

  @BeforeAll
  void start() throws Exception {
    MilvusProcess.requireServer23();
    Path dir =
        Path.of("target", "milvus-it", "m23-info-" + Long.toString(System.nanoTime(), 36))
            .toAbsolutePath();
    server =
        MilvusProcess.server23(
            dir.resolve("data"),
            MilvusProcess.freePort(),
            List.of("--authorization-enabled", "true"));
    server.start(Duration.ofSeconds(240));
    try (MilvusSystemInfo info = MilvusSystemInfo.of(server.uri(), ROOT, Duration.ofSeconds(10))) {
      // the proxy port opens before the proxy serves: ask until it answers (2.3 needs up to a few
      // minutes on a loaded machine)
      first =
          await("GetMetrics answers")
              .atMost(Duration.ofSeconds(180))
              .pollInterval(Duration.ofSeconds(1))
              .ignoreExceptions()
              .until(info::fetch, Optional::isPresent)
              .orElseThrow();
    }
  }

  @AfterAll
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private static long procValue(Path file, String key) throws Exception {
    for (String line : Files.readAllLines(file)) {
      if (line.startsWith(key)) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    throw new AssertionError("no " + key + " in " + file);
  }

  @Test
  void systemInfoGivesTheMachinesMemoryAndCpus() throws Exception {
    try (MilvusSystemInfo info = MilvusSystemInfo.of(server.uri(), ROOT, Duration.ofSeconds(10))) {
      SystemInfo s = info.fetch().orElseThrow();
      assertThat(s).as("the same figures on a fresh connection").isEqualTo(first);
      long memTotal = procValue(Path.of("/proc/meminfo"), "MemTotal:") * 1024;
      // Milvus counts the CPUs it may run on (Go's runtime.NumCPU), as the JVM does
      long cpus = Runtime.getRuntime().availableProcessors();
      assertThat(s.memoryBytes()).hasValue(memTotal);
      assertThat(s.cpuCores()).hasValue((double) cpus);
    }
  }

  @Test
  void systemInfoWithAWrongPasswordFailsAndIsNotTakenForUnimplemented() {
    try (MilvusSystemInfo info =
        MilvusSystemInfo.of(
            server.uri(), Optional.of(Secret.of("root:wrong")), Duration.ofSeconds(10))) {
      Throwable t = catchThrowable(info::fetch);
      assertThat(t)
          .isNotInstanceOf(UnsupportedOperationException.class)
          .hasMessageContaining("UNAUTHENTICATED");
    }
  }
}
