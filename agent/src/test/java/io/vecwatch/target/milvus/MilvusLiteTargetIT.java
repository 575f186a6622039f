package io.vecwatch.target.milvus;

import static org.assertj.core.api.Assertions.assertThat;

import io.vecwatch.target.Diagnostics;
import io.vecwatch.target.MilvusTarget;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Milvus suite against Milvus Lite 3.x, the server {@code .ci/peers.sh up} starts for the integration tests
 * (its address comes from {@code vecwatch.milvusLite.uri}).
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
  void callsMilvusLiteDoesNotImplementAreMarkedUnavailableOnceNotOnEveryPoll() throws Exception {
    MilvusTarget t = connected("lite-features", collection, "");
    try (LogCapture log = new LogCapture(Features.class)) {
      Diagnostics d = null;
      for (int i = 0; i < 3; i++) {
        t.health();
        d = t.diagnostics();
      }
      assertThat(d.value("vecwatch_milvus_feature_available", Map.of("feature", "segments"))).hasValue(0);
      assertThat(d.value("vecwatch_milvus_feature_available", Map.of("feature", "health"))).hasValue(1);
      assertThat(d.value("vecwatch_milvus_loaded_segments")).isEmpty();
      assertThat(log.lines()).containsExactly("INFO target lite-features: segments unavailable: the server does not "
          + "implement GetQuerySegmentInfo; not asking again until reconnected");
    }
  }
}
