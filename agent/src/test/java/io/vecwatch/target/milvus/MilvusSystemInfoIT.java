package io.vecwatch.target.milvus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Against Milvus Lite from .ci/peers.sh, which does not implement GetMetrics. */
class MilvusSystemInfoIT {

  @Test
  void milvusLiteSaysUnimplementedAndTheScraperStopsAsking() {
    String uri = System.getProperty("vecwatch.milvusLite.uri", "http://127.0.0.1:19540");
    try (MilvusSystemInfo info =
        MilvusSystemInfo.of(uri, Optional.empty(), Duration.ofSeconds(10))) {
      assertThatThrownBy(info::fetch)
          .isInstanceOf(UnsupportedOperationException.class)
          .hasMessageContaining("not implemented");
    }
  }

  @Test
  void anUnreachableServerFailsWithinItsDeadline() {
    try (MilvusSystemInfo info =
        MilvusSystemInfo.of("http://127.0.0.1:1", Optional.empty(), Duration.ofSeconds(2))) {
      long t0 = System.nanoTime();
      assertThatThrownBy(info::fetch).isNotInstanceOf(UnsupportedOperationException.class);
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(20));
    }
  }
}
