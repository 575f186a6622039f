package io.vecwatch.telemetry;

import io.vecwatch.export.LokiLogging;
import io.vecwatch.export.OtlpMetricsPush;
import io.vecwatch.export.OtlpTracing;
import io.vecwatch.time.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exporters on their way out (at shutdown, or replaced by a reload): each closes on a daemon thread
 * of its own, side by side, so dead endpoints cost one wait in total rather than one each; whatever
 * has not finished by the deadline is abandoned and logged with what it still held.
 */
final class ExporterClosing {
  private static final Logger LOG = LoggerFactory.getLogger(Telemetry.class);

  private final List<String> names = new ArrayList<>();
  private final List<AutoCloseable> parts = new ArrayList<>();
  private final List<Supplier<String>> pending = new ArrayList<>();

  /** {@code held} says what the part still holds; it is read before the part closes. */
  private ExporterClosing add(String name, AutoCloseable part, Supplier<String> held) {
    names.add(name);
    parts.add(part);
    pending.add(held);
    return this;
  }

  ExporterClosing tracing(Optional<OtlpTracing> t) {
    t.ifPresent(x -> add("tracing", x, () -> (long) x.queued() + " queued span(s)"));
    return this;
  }

  ExporterClosing push(Optional<OtlpMetricsPush> p) {
    p.ifPresent(x -> add("metrics push", x, () -> "the last metrics push"));
    return this;
  }

  ExporterClosing loki(Optional<LokiLogging> l) {
    l.ifPresent(x -> add("loki", x, () -> "the log lines it still held"));
    return this;
  }

  boolean isEmpty() {
    return parts.isEmpty();
  }

  /**
   * Closes everything added, waiting at most {@code deadline}; {@code when} starts the log line
   * ("shutdown", "reload").
   */
  void closeWithin(Duration deadline, String when) {
    // what each still holds is read before it closes: a closed pipeline may no longer say
    List<String> held = pending.stream().map(Supplier::get).toList();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < parts.size(); i++) {
      AutoCloseable part = parts.get(i);
      Thread t =
          new Thread(
              () -> {
                try {
                  part.close();
                } catch (Exception e) {
                  // closing is best effort: the exporter is leaving either way
                }
              },
              "vecwatch-close-" + names.get(i).replace(' ', '-'));
      t.setDaemon(true);
      t.start();
      threads.add(t);
    }
    long end = System.nanoTime() + deadline.toNanos();
    List<String> abandoned = new ArrayList<>();
    for (int i = 0; i < threads.size(); i++) {
      try {
        long left = end - System.nanoTime();
        if (left > 0) {
          threads.get(i).join(Math.max(1, left / 1_000_000));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      if (threads.get(i).isAlive()) {
        abandoned.add(names.get(i) + " (" + held.get(i) + ")");
      }
    }
    if (!abandoned.isEmpty()) {
      // Loki may be among them: this line reaches the console at least
      LOG.warn(
          "{}: exporters did not finish within {} and were abandoned; dropped: {}",
          when,
          Durations.format(deadline),
          String.join(", ", abandoned));
    }
  }
}
