package io.vecwatch.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.LayoutBase;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vecwatch.export.Logfmt;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.slf4j.LoggerFactory;

/**
 * Applies {@code --log.level} and {@code --log.format} to the console: {@code logfmt} ({@code
 * ts=2026-12-07T18:00:00.000Z level=info logger=Agent msg="listening on 0.0.0.0:9477"}) or {@code
 * json} (one object per line with the same keys), as Prometheus' own logs look.
 */
final class LogSetup {
  static final List<String> LEVELS = List.of("debug", "info", "warn", "error");
  static final List<String> FORMATS = List.of("logfmt", "json");

  private LogSetup() {}

  static void apply(String level, String format) throws UserException {
    if (!LEVELS.contains(level)) {
      throw new UserException(
          "--log.level: must be one of " + String.join(", ", LEVELS) + ", got \"" + level + "\"");
    }
    if (!FORMATS.contains(format)) {
      throw new UserException(
          "--log.format: must be one of "
              + String.join(", ", FORMATS)
              + ", got \""
              + format
              + "\"");
    }
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx)) {
      return; // another SLF4J binding (tests): leave it alone
    }
    Logger root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.toLevel(level.toUpperCase(Locale.ROOT)));
    for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
      if (it.next() instanceof ConsoleAppender<ILoggingEvent> console) {
        Layout layout = new Layout(format.equals("json"));
        layout.setContext(ctx);
        layout.start();
        LayoutWrappingEncoder<ILoggingEvent> enc = new LayoutWrappingEncoder<>();
        enc.setContext(ctx);
        enc.setLayout(layout);
        enc.start();
        console.stop();
        console.setEncoder(enc);
        console.start();
      }
    }
  }

  /** One line per event in logfmt or JSON. */
  static final class Layout extends LayoutBase<ILoggingEvent> {
    // only --log.format json loads Jackson's databind for the log
    private static final class Json {
      static final ObjectMapper MAPPER = new ObjectMapper();
    }

    private final boolean json;

    Layout(boolean json) {
      this.json = json;
    }

    @Override
    public String doLayout(ILoggingEvent e) {
      String ts = Instant.ofEpochMilli(e.getTimeStamp()).toString();
      String level = e.getLevel().toString().toLowerCase(Locale.ROOT);
      String logger = e.getLoggerName().substring(e.getLoggerName().lastIndexOf('.') + 1);
      IThrowableProxy tp = e.getThrowableProxy();
      String err = tp == null ? null : ThrowableProxyUtil.asString(tp);
      if (json) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("ts", ts)
            .put("level", level)
            .put("logger", logger)
            .put("msg", e.getFormattedMessage());
        if (err != null) {
          o.put("err", err);
        }
        return o + "\n";
      }
      return Logfmt.of(
              "ts",
              ts,
              "level",
              level,
              "logger",
              logger,
              "msg",
              e.getFormattedMessage(),
              "err",
              err)
          + "\n";
    }
  }
}
