package io.vecwatch.export;

import ch.qos.logback.core.status.Status;
import ch.qos.logback.core.status.StatusListener;
import io.vecwatch.time.Clock;
import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Receives loki4j's internal status messages (it reports send errors through Logback's status
 * manager) so that they are counted and summarised at most once per interval on stderr, instead of
 * loki4j printing every failed attempt. Never logs through SLF4J: that would feed the failing
 * appender itself.
 */
final class LokiStatus implements StatusListener {
  private final Clock clock;
  private final long intervalNanos;
  private final PrintStream err;
  private final AtomicLong failedBatches = new AtomicLong();
  private long lastPrintNanos = Long.MIN_VALUE;
  private long unprinted;

  LokiStatus(Clock clock, long intervalNanos, PrintStream err) {
    this.clock = clock;
    this.intervalNanos = intervalNanos;
    this.err = err;
  }

  long failedBatches() {
    return failedBatches.get();
  }

  @Override
  public void addStatusEvent(Status status) {
    Object origin = status.getOrigin();
    if (origin == null
        || !origin.getClass().getName().startsWith("com.github.loki4j")
        || status.getLevel() < Status.WARN) {
      return;
    }
    String msg = String.valueOf(status.getMessage());
    boolean failed = msg.startsWith("Error while sending Batch");
    if (failed) {
      failedBatches.incrementAndGet(); // retries ("Retry #n. Error ...") are not extra losses
    }
    long now = clock.monotonicNanos();
    synchronized (this) {
      unprinted++;
      if (lastPrintNanos != Long.MIN_VALUE && now - lastPrintNanos < intervalNanos) {
        return;
      }
      lastPrintNanos = now;
      long n = unprinted;
      unprinted = 0;
      Throwable t = status.getThrowable();
      err.println(
          "vecwatch: loki: "
              + (n > 1 ? n + " problems since the last report, latest: " : "")
              + msg
              + (t == null ? "" : " (" + t.getClass().getSimpleName() + ")"));
    }
  }
}
