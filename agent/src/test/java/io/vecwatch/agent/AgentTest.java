package io.vecwatch.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.vecwatch.config.ConfigLoader;
import io.vecwatch.config.VecwatchConfig;
import io.vecwatch.stats.TargetSnapshot;
import io.vecwatch.stats.TargetState;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AgentTest {
  private static VecwatchConfig config(String listen) throws Exception {
    return new ConfigLoader(Map.of()).parse("agent.yml", """
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
        """.formatted(listen), Path.of("."));
  }

  @Test
  void aDatasetThatCannotBeLoadedMakesItsTargetsMisconfiguredAndTheAgentReady() throws Exception {
    DatasetProvider broken = c -> {
      throw new IOException("base.fvecs: truncated after vector 17");
    };
    try (Agent agent = Agent.builder(config("127.0.0.1:0")).datasets(broken).start()) {
      await().atMost(Duration.ofSeconds(30)).until(agent::ready);
      for (TargetSnapshot t : agent.snapshot().targets()) {
        assertThat(t.state()).isEqualTo(TargetState.MISCONFIGURED);
        assertThat(t.lastError()).contains("dataset d could not be loaded: base.fvecs: truncated after vector 17");
        assertThat(t.probes()).hasSize(1);
        assertThat(t.probes().get(0).window().finished()).isZero();
      }
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
  void temporaryGeneratorIsDeterministicAndItsGroundTruthExact() throws Exception {
    var dc = config("127.0.0.1:0").datasets().get(0);
    var a = new TemporaryGeneratedDatasets().load(dc);
    var b = new TemporaryGeneratedDatasets().load(dc);
    assertThat(a.base().orElseThrow().data()).isEqualTo(b.base().orElseThrow().data());
    assertThat(a.groundTruthDepth()).isEqualTo(10);
    float[][] base = new float[500][];
    for (int i = 0; i < 500; i++) {
      base[i] = a.base().orElseThrow().row(i);
    }
    for (int q = 0; q < a.queries().count(); q++) {
      assertThat(a.groundTruth(q))
          .isEqualTo(io.vecwatch.testing.TestDatasets.nearest(base, a.queries().row(q), 10));
    }
  }
}
