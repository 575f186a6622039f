package io.vecwatch.export;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vecwatch.config.LokiConfig;
import io.vecwatch.time.Clock;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class LokiLoggingTest {

  static LokiConfig config(String url, long queueBytes) {
    return new LokiConfig(
        Optional.of(URI.create(url)),
        Map.of("env", "test"),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        "info",
        queueBytes,
        100,
        Duration.ofMillis(20),
        Duration.ofMillis(300));
  }

  @Test
  void linesBeyondTheQueueAreDroppedAndCountedWhenTheEndpointHangs() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Logger log = LoggerFactory.getLogger("vecwatch.test.loki");
    // the test logback config raises the root to WARN; these lines must reach the Loki appender
    ((ch.qos.logback.classic.Logger) log).setLevel(Level.INFO);
    int n = 20_000;
    String filler = "x".repeat(200);
    try (HangingServer hanging = new HangingServer();
        LokiLogging loki =
            LokiLogging.install(
                config(hanging.url("/loki/api/v1/push"), 64 << 10), registry, Clock.system())) {
      for (int i = 0; i < n; i++) {
        log.info("line {} {}", i, filler);
      }
      // 20k lines of > 200 bytes cannot fit a 64 KiB send queue that never drains
      assertThat(loki.droppedLines()).isPositive().isLessThanOrEqualTo(n);
      assertThat(
              registry
                  .get("vecwatch.export.dropped")
                  .tag("exporter", "loki")
                  .functionCounter()
                  .count())
          .isEqualTo(loki.droppedLines());
    }
  }

  @Test
  void closingWithAHangingEndpointIsBounded() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (HangingServer hanging = new HangingServer()) {
      LokiLogging loki =
          LokiLogging.install(
              config(hanging.url("/loki/api/v1/push"), 1 << 20), registry, Clock.system());
      LoggerFactory.getLogger("vecwatch.test.loki").info("one line that can never be delivered");
      long t0 = System.nanoTime();
      loki.close();
      assertThat(Duration.ofNanos(System.nanoTime() - t0))
          .isLessThan(loki.stopWait().plusSeconds(5));
    }
  }

  @Test
  void streamLabelsAreAppLevelAndStaticOnes() {
    assertThat(LokiLogging.labels(Map.of("env", "prod", "cluster", "eu-1")))
        .isEqualTo("app=vecwatch\nlevel=%level\ncluster=eu-1\nenv=prod");
  }
}
