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
import java.util.OptionalLong;
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

  /** The cgroup (v2, else v1) memory limit of this process, when one is set. */
  private static OptionalLong cgroupMemoryLimit() throws Exception {
    for (String f :
        List.of("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes")) {
      Path p = Path.of(f);
      if (Files.isReadable(p)) {
        String v = Files.readString(p).trim();
        if (v.matches("[0-9]+") && Long.parseLong(v) < (1L << 60)) {
          return OptionalLong.of(Long.parseLong(v));
        }
      }
    }
    return OptionalLong.empty();
  }

  /** CPUs in this process's affinity list ({@code Cpus_allowed_list}, e.g. {@code 0-3,6}). */
  private static int allowedCpus() throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("Cpus_allowed_list:")) {
        int n = 0;
        for (String range : line.substring(line.indexOf(':') + 1).trim().split(",")) {
          String[] ends = range.split("-");
          n += ends.length == 1 ? 1 : Integer.parseInt(ends[1]) - Integer.parseInt(ends[0]) + 1;
        }
        return n;
      }
    }
    throw new AssertionError("no Cpus_allowed_list in /proc/self/status");
  }

  @Test
  void systemInfoGivesTheMachinesMemoryAndCpus() throws Exception {
    try (MilvusSystemInfo info = MilvusSystemInfo.of(server.uri(), ROOT, Duration.ofSeconds(10))) {
      SystemInfo s = info.fetch().orElseThrow();
      assertThat(s).as("the same figures on a fresh connection").isEqualTo(first);
      long memTotal = procValue(Path.of("/proc/meminfo"), "MemTotal:") * 1024;
      // in a container with a memory limit Milvus reports the limit instead
      assertThat(s.memoryBytes().orElseThrow())
          .isIn(memTotal, cgroupMemoryLimit().orElse(memTotal));
      // Milvus counts the CPUs it may run on (Go's runtime.NumCPU: the affinity mask)
      assertThat(s.cpuCores()).hasValue((double) allowedCpus());
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
