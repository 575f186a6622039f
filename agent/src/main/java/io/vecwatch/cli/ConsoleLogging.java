package io.vecwatch.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * vecwatch's console logging, set up in code (found by logback through {@code META-INF/services}):
 * concise lines at INFO, the libraries' chatter at WARN. Configuring in code instead of a {@code
 * logback.xml} keeps logback's XML configurator and the JDK's XML parser (about 450 classes) out of
 * the process: less metaspace, faster start. A {@code logback.xml} given with {@code
 * -Dlogback.configurationFile} (or a {@code logback-test.xml} on the class path) still wins.
 */
public final class ConsoleLogging extends ContextAwareBase implements Configurator {
  private static final String[] QUIET = {
    "org.apache.lucene", "io.netty", "io.vertx", "io.micrometer", "io.milvus"
  };

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    if (System.getProperty("logback.configurationFile") != null
        || ConsoleLogging.class.getClassLoader().getResource("logback-test.xml") != null) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern("%d{HH:mm:ss.SSS} %-5level %logger{0} - %msg%n");
    encoder.start();
    ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
    console.setContext(context);
    console.setName("CONSOLE");
    console.setEncoder(encoder);
    console.start();
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.INFO);
    root.addAppender(console);
    for (String name : QUIET) {
      context.getLogger(name).setLevel(Level.WARN);
    }
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }
}
