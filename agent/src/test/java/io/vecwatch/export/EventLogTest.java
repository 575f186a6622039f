package io.vecwatch.export;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.github.loki4j.slf4j.marker.LabelMarker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vecwatch.probe.ProbeObservation;
import io.vecwatch.time.ManualClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class EventLogTest {
  private final ManualClock clock = new ManualClock();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
  private final Logger logger = (Logger) LoggerFactory.getLogger(EventLog.LOGGER);

  @BeforeEach
  void attach() {
    lines.start();
    logger.addAppender(lines);
    logger.setLevel(Level.INFO); // the test logback config raises the root to WARN
  }

  @AfterEach
  void detach() {
    logger.detachAppender(lines);
    logger.setLevel(null);
  }

  private static ProbeObservation failure() {
    return ProbeObservation.failed(
        "milvus",
        "milvus",
        "sift",
        10,
        ProbeObservation.Outcome.ERROR,
        2_000_000L,
        new IllegalStateException("collection \"canary\" not loaded"));
  }

  @Test
  void aFailingTargetLogsOneLinePerIntervalWithTheCountSuppressed() {
    EventLog log = EventLog.create(clock, Duration.ofSeconds(10), registry);

    for (int i = 0; i < 100; i++) { // 100 failures at 10 per second
      log.onResult(failure());
      clock.advance(Duration.ofMillis(100));
    }
    log.onResult(failure()); // 10 s after the first line

    assertThat(lines.list).hasSize(2);
    assertThat(lines.list.get(0).getFormattedMessage())
        .startsWith("event=probe_failure target=milvus dataset=sift outcome=error")
        .contains(
            "error_type=java.lang.IllegalStateException",
            "error=\"collection \\\"canary\\\" not loaded\"")
        .contains("suppressed=0");
    assertThat(lines.list.get(1).getFormattedMessage()).contains("suppressed=99");
    assertThat(registry.get("vecwatch.log.events.suppressed").counter().count()).isEqualTo(99);
  }

  @Test
  void theFirstSuccessAnIntervalAfterTheLastLineLogsARecoveryWithTheFailureCount() {
    EventLog log = EventLog.create(clock, Duration.ofSeconds(10), registry);
    ProbeObservation ok = ProbeObservation.ok("milvus", "milvus", "sift", 10, 1_000_000L, Map.of());
    for (int i = 0; i < 7; i++) {
      log.onResult(failure());
    }
    clock.advance(Duration.ofSeconds(10));
    log.onResult(ok);
    log.onResult(ok);
    clock.advance(Duration.ofSeconds(10));
    log.onResult(failure()); // a new run of failures

    List<String> msgs = lines.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    assertThat(msgs).hasSize(3);
    assertThat(msgs.get(1))
        .isEqualTo("event=probe_recovered target=milvus dataset=sift failures=7");
    assertThat(msgs.get(2)).startsWith("event=probe_failure").contains("suppressed=0");
  }

  @Test
  void aFlappingTargetStaysAtOneLinePerInterval() {
    EventLog log = EventLog.create(clock, Duration.ofSeconds(10), registry);
    ProbeObservation ok = ProbeObservation.ok("milvus", "milvus", "sift", 10, 1_000_000L, Map.of());

    for (int i = 0;
        i < 200;
        i++) { // 20 s of alternating failure and success at 10 probes per second
      log.onResult(i % 2 == 0 ? failure() : ok);
      clock.advance(Duration.ofMillis(100));
    }

    assertThat(lines.list).hasSizeLessThanOrEqualTo(20 / 10 + 1);
    assertThat(lines.list.get(0).getFormattedMessage()).startsWith("event=probe_failure");
  }

  @Test
  void eventLinesCarryTargetAndEventAsLokiLabels() {
    EventLog log = EventLog.create(clock, Duration.ofSeconds(10), registry);

    log.targetTransition("milvus", "milvus", false, List.of("connection refused"));
    log.alertTransition(
        "VecwatchRecallLow", Map.of("target", "milvus", "k", "10"), "pending", "firing");

    ILoggingEvent down = lines.list.get(0);
    assertThat(down.getLevel().toString()).isEqualTo("WARN");
    assertThat(down.getFormattedMessage())
        .isEqualTo(
            "event=target_down target=milvus kind=milvus state=down reasons=\"connection refused\"");
    assertThat(labels(down)).isEqualTo(Map.of("target", "milvus", "event", "target_down"));

    ILoggingEvent alert = lines.list.get(1);
    assertThat(alert.getFormattedMessage())
        .startsWith("event=alert_firing alertname=VecwatchRecallLow from=pending to=firing");
    assertThat(labels(alert)).isEqualTo(Map.of("target", "milvus", "event", "alert_firing"));
  }

  private static Map<String, String> labels(ILoggingEvent e) {
    return e.getMarkerList().stream()
        .filter(m -> m instanceof LabelMarker)
        .map(m -> ((LabelMarker) m).getKeyValuePairs())
        .findFirst()
        .orElse(Map.of());
  }
}
