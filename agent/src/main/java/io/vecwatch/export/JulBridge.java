package io.vecwatch.export;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.jul.LevelChangePropagator;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import io.vecwatch.time.Clock;
import java.util.concurrent.TimeUnit;
import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Routes {@code java.util.logging} (the OpenTelemetry SDK's logger) into SLF4J/Logback, so its
 * lines get the agent's format, levels and Loki, instead of multi-line records with stack traces
 * written straight to stderr. The SDK's exporter complaints are then summarised like the Loki
 * exporter's own ({@link LokiStatus}): the first one at once, then at most one line per minute
 * counting what happened since, never a stack trace.
 *
 * <pre>{@code
 * JulBridge.install(); // once, early; later calls do nothing
 * }</pre>
 */
public final class JulBridge {
  /** Logger the summaries are written under. */
  static final String SUMMARY_LOGGER = "io.vecwatch.export.Exporters";

  static final long SUMMARY_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

  private static boolean installed;
  private static Summarising summarising;

  private JulBridge() {}

  /**
   * Installs the bridge and the summarising filter; idempotent; does nothing when SLF4J is not
   * Logback.
   */
  public static synchronized void install() {
    if (installed) {
      return;
    }
    ILoggerFactory factory = LoggerFactory.getILoggerFactory();
    if (!(factory instanceof LoggerContext ctx)) {
      return;
    }
    installed = true;
    // JUL checks levels before building a record: keep its levels in step with Logback's so
    // disabled levels
    // cost nothing (and reset JUL's defaults, which would otherwise print INFO and up to stderr)
    LevelChangePropagator propagator = new LevelChangePropagator();
    propagator.setContext(ctx);
    propagator.setResetJUL(true);
    propagator.start();
    ctx.addListener(propagator);
    SLF4JBridgeHandler.removeHandlersForRootLogger();
    SLF4JBridgeHandler.install();
    summarising =
        new Summarising(
            Clock.system(), SUMMARY_INTERVAL_NANOS, LoggerFactory.getLogger(SUMMARY_LOGGER));
    ctx.addTurboFilter(summarising);
  }

  /**
   * Forgets when the last summary was written, so the next complaint is reported at once (tests).
   */
  static synchronized void restartSummaries() {
    if (summarising != null) {
      summarising.restart();
    }
  }

  /**
   * Turns the OpenTelemetry SDK's warnings and errors into summary lines: every event is denied,
   * the first one and then one per interval is reported as {@code otlp: N problems since the last
   * report, latest: MSG (Cause)}.
   */
  static final class Summarising extends TurboFilter {
    private final Clock clock;
    private final long intervalNanos;
    private final Logger out;
    private long lastNanos = Long.MIN_VALUE;
    private long unreported;

    Summarising(Clock clock, long intervalNanos, Logger out) {
      this.clock = clock;
      this.intervalNanos = intervalNanos;
      this.out = out;
      start();
    }

    synchronized void restart() {
      lastNanos = Long.MIN_VALUE;
      unreported = 0;
    }

    @Override
    public FilterReply decide(
        Marker marker,
        ch.qos.logback.classic.Logger logger,
        Level level,
        String format,
        Object[] params,
        Throwable t) {
      if (format == null
          || !logger.getName().startsWith("io.opentelemetry")
          || !level.isGreaterOrEqual(Level.WARN)) {
        return FilterReply.NEUTRAL;
      }
      long now = clock.monotonicNanos();
      long n;
      synchronized (this) {
        unreported++;
        if (lastNanos != Long.MIN_VALUE && now - lastNanos < intervalNanos) {
          return FilterReply.DENY;
        }
        lastNanos = now;
        n = unreported;
        unreported = 0;
      }
      String msg = firstLine(format);
      Throwable cause = t;
      while (cause != null && cause.getCause() != null && cause.getCause() != cause) {
        cause = cause.getCause();
      }
      out.warn(
          "otlp: {}{}{}",
          n > 1 ? n + " problems since the last report, latest: " : "",
          msg,
          cause == null
              ? ""
              : " ("
                  + cause.getClass().getSimpleName()
                  + (cause.getMessage() == null ? "" : ": " + firstLine(cause.getMessage()))
                  + ")");
      return FilterReply.DENY;
    }

    private static String firstLine(String s) {
      int nl = s.indexOf('\n');
      return (nl < 0 ? s : s.substring(0, nl)).strip();
    }
  }
}
