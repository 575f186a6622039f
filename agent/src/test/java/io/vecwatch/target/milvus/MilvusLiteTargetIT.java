package io.vecwatch.target.milvus;

import static org.assertj.core.api.Assertions.assertThat;

import io.vecwatch.config.ConfigLoader;
import io.vecwatch.dataset.Dataset;
import io.vecwatch.dataset.Metric;
import io.vecwatch.stats.Diagnostics;
import io.vecwatch.target.TargetContext;
import io.vecwatch.target.registry.TargetKinds;
import io.vecwatch.time.Clock;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The Milvus suite against Milvus Lite 3.x, the server {@code .ci/peers.sh up} starts for the
 * integration tests (its address comes from {@code vecwatch.milvusLite.uri}).
 */
class MilvusLiteTargetIT extends MilvusTargetSuite {

  @Override
  String uri() {
    return System.getProperty("vecwatch.milvusLite.uri", "http://127.0.0.1:19540");
  }

  @Override
  MilvusAdmin openAdmin() {
    return new MilvusAdmin(uri(), b -> {});
  }

  @Test
  void varCharKeysNeedAnIdFieldForRecallWhileSelfRecallWalksThemAsStrings() throws Exception {
    TestData small = TestData.generate("it", Metric.L2, 600, DIM, 5, 4, 9, K, i -> i);
    String c = "vw_varchar_" + Long.toString(System.nanoTime(), 36);
    admin.createVarCharCollection(c, small);
    try {
      MilvusTarget noId = target("varchar", c, "", small.dataset);
      awaitState(noId, Connection.State.MISCONFIGURED);
      assertThat(noId.connectionStatus().lastError())
          .contains(
              "target varchar: collection \""
                  + c
                  + "\": primary "
                  + "key \"pk\" is VarChar, so search results cannot be matched to dataset \"it\"; set id_field to an Int64 "
                  + "field holding the dataset ids");

      MilvusTarget withId = target("varchar-id", c, "    id_field: doc\n", small.dataset);
      awaitState(withId, Connection.State.CONNECTED);
      for (int q = 0; q < small.queries.length; q++) {
        long[] ids = withId.search(small.queries[q], K).ids();
        assertThat(ids).hasSize(K);
        for (long id : ids) {
          assertThat(id).isBetween(0L, 599L); // doc = base position = dataset key
        }
      }

      // no dataset: self-recall samples keys with a cursor over the string key space
      String yaml =
          """
          targets:
            - name: varchar-self
              kind: milvus
              uri: %s
              collection: %s
              self_recall: {sample_size: 30, window: 90}
          """
              .formatted(uri(), c);
      var config =
          new ConfigLoader(Map.of(), TargetKinds.lookup()).parse("it.yml", yaml, Path.of("."));
      MilvusTarget self =
          (MilvusTarget)
              TargetKinds.create(
                  config.targets().get(0),
                  new TargetContext() {
                    @Override
                    public Optional<Dataset> dataset(String n) {
                      return Optional.empty();
                    }

                    @Override
                    public Clock clock() {
                      return Clock.system();
                    }
                  });
      try {
        awaitState(self, Connection.State.CONNECTED);
        Diagnostics d = null;
        for (int i = 0; i < 3; i++) {
          d = self.diagnostics();
        }
        assertThat(d.value("vecwatch_self_recall_window_samples")).hasValue(90);
        assertThat(d.value("vecwatch_self_recall_ratio").orElseThrow()).isGreaterThan(0.9);
        assertThat(d.value("vecwatch_self_recall_missing_ratio")).isEmpty();
      } finally {
        self.close();
      }
    } finally {
      admin.drop(c);
    }
  }

  @Test
  void callsMilvusLiteDoesNotImplementAreMarkedUnavailableOnceNotOnEveryPoll() throws Exception {
    MilvusTarget t = connected("lite-features", collection, "");
    try (LogCapture log = new LogCapture(Features.class)) {
      Diagnostics d = null;
      for (int i = 0; i < 3; i++) {
        t.health();
        d = t.diagnostics();
      }
      assertThat(d.value("vecwatch_milvus_feature_available", Map.of("feature", "segments")))
          .hasValue(0);
      assertThat(d.value("vecwatch_milvus_feature_available", Map.of("feature", "health")))
          .hasValue(1);
      assertThat(d.value("vecwatch_milvus_loaded_segments")).isEmpty();
      assertThat(log.lines())
          .containsExactly(
              "INFO target lite-features: segments unavailable: the server does not "
                  + "implement GetQuerySegmentInfo; not asking again until reconnected");
    }
  }
}
