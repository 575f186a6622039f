package io.vecwatch.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vecwatch.config.LokiConfig;
import io.vecwatch.probe.ProbeObservation;
import io.vecwatch.time.Clock;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Event lines through loki4j into a real Loki-push server (VictoriaLogs, .ci/peers.sh), read back
 * with LogsQL.
 */
class LokiIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void eventLinesArriveWithLowCardinalityLabels() {
    String run = UUID.randomUUID().toString().replace("-", "");
    LokiConfig config =
        new LokiConfig(
            Optional.of(URI.create(Peers.victoriaLogs() + "/insert/loki/api/v1/push")),
            Map.of("run", run),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            "info",
            4L << 20,
            100,
            Duration.ofMillis(100),
            Duration.ofSeconds(5));
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (LokiLogging loki = LokiLogging.install(config, registry, Clock.system())) {
      EventLog events = EventLog.create(Clock.system(), Duration.ofSeconds(10), registry);
      events.onResult(
          ProbeObservation.failed(
              "milvus",
              "milvus",
              "sift",
              10,
              ProbeObservation.Outcome.ERROR,
              5_000_000L,
              new IllegalStateException("collection not loaded")));
      events.targetTransition("milvus", "milvus", false, List.of("health check failed"));

      List<JsonNode> lines =
          await()
              .atMost(Duration.ofSeconds(30))
              .until(() -> query("run:" + run), l -> l.size() >= 2);
      JsonNode failure =
          lines.stream()
              .filter(l -> l.path("event").asText().equals("probe_failure"))
              .findFirst()
              .orElseThrow();
      assertThat(failure.path("app").asText()).isEqualTo("vecwatch");
      assertThat(failure.path("level").asText()).isEqualTo("WARN");
      assertThat(failure.path("target").asText()).isEqualTo("milvus");
      assertThat(failure.path("_msg").asText())
          .startsWith("event=probe_failure target=milvus dataset=sift outcome=error")
          .contains("error=\"collection not loaded\"", "logger=vecwatch.events");
      // the stream is made of the labels only: nothing unbounded (messages, errors) became a label
      assertThat(failure.path("_stream").asText())
          .isEqualTo(
              "{app=\"vecwatch\",event=\"probe_failure\",level=\"WARN\",run=\""
                  + run
                  + "\",target=\"milvus\"}");
      assertThat(lines)
          .anySatisfy(l -> assertThat(l.path("event").asText()).isEqualTo("target_down"));
      assertThat(loki.droppedLines()).isZero();
    }
  }

  private static List<JsonNode> query(String logsql) throws IOException {
    String body =
        Peers.get(Peers.victoriaLogs() + "/select/logsql/query?query=" + Peers.encode(logsql));
    List<JsonNode> out = new ArrayList<>();
    for (String line : body.split("\n")) {
      if (!line.isBlank()) {
        out.add(JSON.readTree(line));
      }
    }
    return out;
  }
}
