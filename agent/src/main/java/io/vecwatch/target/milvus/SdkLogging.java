package io.vecwatch.target.milvus;

import ch.qos.logback.classic.Level;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Milvus SDK logs every failed call at ERROR (and its retries at WARN), which would repeat on
 * every probe of a broken target. The agent reports each failure itself, once per state change, so
 * the SDK's own logger is turned off unless the logging configuration sets a level for {@code
 * io.milvus} explicitly.
 */
final class SdkLogging {
  private static final String SDK_LOGGER = "io.milvus";

  private SdkLogging() {}

  static void quietUnlessConfigured() {
    Logger l = LoggerFactory.getLogger(SDK_LOGGER);
    if (l instanceof ch.qos.logback.classic.Logger lb && lb.getLevel() == null) {
      lb.setLevel(Level.OFF);
    }
  }
}
