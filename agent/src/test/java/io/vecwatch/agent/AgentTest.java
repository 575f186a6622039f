package io.vecwatch.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.vecwatch.config.ConfigLoader;
import io.vecwatch.config.VecwatchConfig;
import io.vecwatch.stats.TargetSnapshot;
import io.vecwatch.stats.TargetState;
import io.vecwatch.target.registry.TargetKinds;
import io.vecwatch.testing.TestDatasets;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentTest {
  private static VecwatchConfig config(String listen) throws Exception {
    return new ConfigLoader(Map.of(), TargetKinds.lookup())
        .parse(
            "agent.yml",
            """
        web:
          listen_address: "%s"
        datasets:
          - name: d
            metric: l2
            generate: {count: 500, dim: 8, queries: 10, clusters: 4, ground_truth_k: 10}
        targets:
          - name: a
            kind: flat
            dataset: d
          - name: b
            kind: lucene_hnsw
            dataset: d
        """
                .formatted(listen),
            Path.of("."));
  }

  @Test
  void aDatasetThatCannotBeLoadedMakesItsTargetsMisconfiguredAndTheAgentReady() throws Exception {
    DatasetProvider broken =
        c -> {
          throw new IOException("base.fvecs: truncated after vector 17");
        };
    try (Agent agent = Agent.builder(config("127.0.0.1:0")).datasets(broken).start()) {
      await().atMost(Duration.ofSeconds(30)).until(agent::ready);
      for (TargetSnapshot t : agent.snapshot().targets()) {
        assertThat(t.state()).isEqualTo(TargetState.MISCONFIGURED);
        assertThat(t.lastError())
            .contains("dataset d could not be loaded: base.fvecs: truncated after vector 17");
        assertThat(t.probes()).hasSize(1);
        assertThat(t.probes().get(0).window().finished()).isZero();
      }
    }
  }

  @Test
  void aVectorFileWithACorruptHeaderIsOneLineOnItsTargetNotAnOutOfMemoryError(@TempDir Path dir)
      throws Exception {
    // 68 bytes whose header declares dimension 2^30: loading once asked for 4 GiB of direct memory
    // and died
    Path base = dir.resolve("corrupt.fvecs");
    Files.write(
        base, ByteBuffer.allocate(68).order(ByteOrder.LITTLE_ENDIAN).putInt(1 << 30).array());
    VecwatchConfig c =
        new ConfigLoader(Map.of(), TargetKinds.lookup())
            .parse(
                "corrupt.yml",
                """
        web:
          listen_address: "127.0.0.1:0"
        datasets:
          - name: d
            metric: l2
            files: {base: corrupt.fvecs, queries: corrupt.fvecs}
        targets:
          - name: a
            kind: flat
            dataset: d
        """,
                dir);
    try (Agent agent = Agent.builder(c).start()) {
      await().atMost(Duration.ofSeconds(60)).until(agent::ready);
      TargetSnapshot t = agent.snapshot().targets().get(0);
      assertThat(t.state()).isEqualTo(TargetState.MISCONFIGURED);
      assertThat(t.lastError().orElseThrow())
          .contains(
              base
                  + ": vector 0 declares dimension 1073741824 (4294967300"
                  + " bytes), but the file has only 68 bytes: truncated, or a corrupt header")
          .doesNotContain("\n");
    }
  }

  @Test
  void aTakenPortIsAOneLineStartError() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      String addr = "127.0.0.1:" + taken.getLocalPort();
      assertThatThrownBy(() -> Agent.builder(config(addr)).start())
          .isInstanceOf(AgentStartException.class)
          .hasMessageStartingWith("cannot listen on " + addr + ": ")
          .hasMessageNotContaining("\n");
    }
  }

  @Test
  void aRecallKDeeperThanTheLoadedGroundTruthMakesTheTargetMisconfigured() throws Exception {
    VecwatchConfig c =
        new ConfigLoader(Map.of(), TargetKinds.lookup())
            .parse(
                "deep.yml",
                """
        web:
          listen_address: "127.0.0.1:0"
        datasets:
          - name: d
            metric: l2
            generate: {count: 500, dim: 8, queries: 10, ground_truth_k: 50}
        targets:
          - name: a
            kind: flat
            dataset: d
        probes:
          - {target: a, recall_k: [10, 50]}
        """,
                Path.of("."));
    // a file's ground truth can be shallower than the config says; only loading tells
    DatasetProvider shallow = dc -> TestDatasets.random("d", 500, 8, 10, 20, 1, null);
    try (Agent agent = Agent.builder(c).datasets(shallow).start()) {
      await().atMost(Duration.ofSeconds(30)).until(agent::ready);
      TargetSnapshot t = agent.snapshot().targets().get(0);
      assertThat(t.state()).isEqualTo(TargetState.MISCONFIGURED);
      assertThat(t.lastError())
          .contains(
              "probe of dataset d: recall_k 50 exceeds the ground-truth depth 20 of dataset d");
    }
  }
}
