package io.vecwatch.export;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.vecwatch.time.ManualClock;
import java.net.ConnectException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

class JulBridgeTest {
  private static final String SDK_LOGGER = "io.opentelemetry.exporter.internal.http.HttpExporter";

  private final ListAppender<ILoggingEvent> seen = new ListAppender<>();
  private Logger root;

  @BeforeEach
  void attach() {
    JulBridge.install();
    root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
    seen.start();
    root.addAppender(seen);
  }

  @AfterEach
  void detach() {
    root.detachAppender(seen);
  }

  @Test
  void javaUtilLoggingGoesOnlyThroughSlf4jNotStraightToStderr() {
    Handler[] handlers = java.util.logging.Logger.getLogger("").getHandlers();
    // JUL's default ConsoleHandler (multi-line records with stack traces on stderr) is gone
    assertThat(Arrays.stream(handlers).map(h -> h.getClass().getSimpleName()))
        .containsExactly(SLF4JBridgeHandler.class.getSimpleName());
    java.util.logging.Logger.getLogger("some.library").warning("a library warning");
    assertThat(messages()).contains("a library warning");
  }

  @Test
  void aRefusedOtlpEndpointGivesOneSummaryLineWithoutAStackTrace() {
    JulBridge.restartSummaries(); // earlier tests in this JVM may have complained within the minute
    java.util.logging.Logger sdk = java.util.logging.Logger.getLogger(SDK_LOGGER);
    for (int i = 0;
        i < 400;
        i++) { // about a minute of complaints at the rate seen with a refused endpoint
      sdk.log(
          Level.SEVERE,
          "Failed to export spans. The request could not be executed. Full error message: "
              + "Connection refused\nsecond line",
          new RuntimeException(new ConnectException("Connection refused")));
    }
    List<ILoggingEvent> otlp =
        seen.list.stream().filter(e -> e.getFormattedMessage().startsWith("otlp: ")).toList();
    assertThat(otlp).hasSize(1);
    assertThat(otlp.get(0).getThrowableProxy()).isNull();
    assertThat(otlp.get(0).getFormattedMessage())
        .isEqualTo(
            "otlp: Failed to export spans. The request could not be"
                + " executed. Full error message: Connection refused (ConnectException: Connection refused)");
    assertThat(seen.list).noneMatch(e -> e.getLoggerName().startsWith("io.opentelemetry"));
  }

  @Test
  void laterComplaintsAreCountedIntoOneLinePerInterval() {
    ManualClock clock = new ManualClock();
    ListAppender<ILoggingEvent> out = new ListAppender<>();
    out.start();
    LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
    Logger summary = ctx.getLogger("test.summary");
    summary.setAdditive(false);
    summary.addAppender(out);
    JulBridge.Summarising filter =
        new JulBridge.Summarising(clock, Duration.ofMinutes(1).toNanos(), summary);
    Logger sdk = ctx.getLogger(SDK_LOGGER);
    Logger other = ctx.getLogger("io.vecwatch.Other");

    for (int i = 0; i < 10; i++) {
      filter.decide(
          null, sdk, ch.qos.logback.classic.Level.ERROR, "Failed to export spans", null, null);
      clock.advance(Duration.ofSeconds(5));
    }
    // 50 s in: only the first complaint was reported
    assertThat(out.list)
        .extracting(ILoggingEvent::getFormattedMessage)
        .containsExactly("otlp: Failed to export spans");
    clock.advance(Duration.ofSeconds(10));
    filter.decide(
        null, sdk, ch.qos.logback.classic.Level.WARN, "Failed to export metrics", null, null);
    assertThat(out.list)
        .extracting(ILoggingEvent::getFormattedMessage)
        .containsExactly(
            "otlp: Failed to export spans",
            "otlp: 10 problems since the last report, latest: Failed to export metrics");
    // other loggers and lower levels are not touched
    assertThat(
            filter.decide(null, other, ch.qos.logback.classic.Level.ERROR, "x", null, null).name())
        .isEqualTo("NEUTRAL");
    assertThat(filter.decide(null, sdk, ch.qos.logback.classic.Level.INFO, "x", null, null).name())
        .isEqualTo("NEUTRAL");
  }

  private List<String> messages() {
    return seen.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
  }
}
