package io.vecwatch.export;

import com.github.loki4j.slf4j.marker.LabelMarker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vecwatch.probe.ProbeListener;
import io.vecwatch.probe.ProbeObservation;
import io.vecwatch.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * Structured event lines (logfmt) on the {@code vecwatch.events} logger: probe failures, probe
 * recoveries, target up/down transitions and alert state changes. Each line carries {@code target}
 * and {@code event} as Loki labels (loki4j label markers; both low-cardinality) and its details in
 * the line itself.
 *
 * <p>Probe lines are throttled per target to one per {@code failureInterval}: the first failure is
 * logged at once, later ones at most once per interval with the count suppressed since; the first
 * success at least an interval after the last line logs {@code probe_recovered} with the failures
 * of the run. A dead or flapping target therefore costs a line per interval, not one per probe.
 */
public final class EventLog implements ProbeListener {
  /** The logger every event goes to; route or silence it in logback config. */
  public static final String LOGGER = "vecwatch.events";

  private final Logger log;
  private final Clock clock;
  private volatile long intervalNanos;
  private final Counter suppressed;
  private final Map<String, FailureState> failures = new ConcurrentHashMap<>();

  private EventLog(Logger log, Clock clock, Duration failureInterval, MeterRegistry registry) {
    this.log = log;
    this.clock = clock;
    this.intervalNanos = failureInterval.toNanos();
    this.suppressed =
        Counter.builder("vecwatch.log.events.suppressed")
            .tag("event", "probe_failure")
            .description("Event lines not written because of per-target throttling")
            .register(registry);
  }

  public static EventLog create(Clock clock, Duration failureInterval, MeterRegistry registry) {
    return new EventLog(LoggerFactory.getLogger(LOGGER), clock, failureInterval, registry);
  }

  /**
   * A reload changed {@code telemetry.failure_log_interval}: throttling carries on with the new
   * interval (no target's failure run is forgotten).
   */
  public void failureInterval(Duration interval) {
    intervalNanos = interval.toNanos();
  }

  @Override
  public Scope onResult(ProbeObservation o) {
    if (o.outcome() == ProbeObservation.Outcome.OK) {
      // The common case, lock-free: a success with no announced failure to recover from logs
      // nothing. A failure announced concurrently is seen by the next success.
      FailureState st = failures.get(o.target());
      if (st == null || !st.announced) {
        return Scope.NONE;
      }
    }
    FailureState st = failures.computeIfAbsent(o.target(), t -> new FailureState());
    long now = clock.monotonicNanos();
    String line;
    Level level;
    synchronized (st) {
      boolean due = st.lastLineNanos == Long.MIN_VALUE || now - st.lastLineNanos >= intervalNanos;
      if (o.outcome() == ProbeObservation.Outcome.OK) {
        // A recovery is announced only after an announced failure, and no sooner than one interval
        // after the
        // last line: a flapping target stays at one line per interval.
        if (!st.announced || !due) {
          return Scope.NONE;
        }
        line =
            Logfmt.of(
                "target",
                o.target(),
                "dataset",
                o.dataset(),
                "failures",
                Long.toString(st.failures));
        level = Level.INFO;
        st.announced = false;
        st.failures = 0;
        st.suppressed = 0; // reported in failures= of the recovery line
        st.lastLineNanos = now;
      } else {
        st.failures++;
        if (!due) {
          st.suppressed++;
          suppressed.increment();
          return Scope.NONE;
        }
        Throwable t = o.error().orElse(null);
        line =
            Logfmt.of(
                "target", o.target(),
                "dataset", o.dataset(),
                "outcome", o.outcome().label(),
                "latency_seconds", Double.toString(o.latencyNanos() / 1e9),
                "error_type", t == null ? "" : t.getClass().getName(),
                "error", t == null ? "" : truncate(String.valueOf(t.getMessage())),
                "suppressed", Long.toString(st.suppressed));
        level = Level.WARN;
        if (!st.announced) {
          st.failures = 1; // count the failures of this announced run
        }
        st.announced = true;
        st.suppressed = 0;
        st.lastLineNanos = now;
      }
    }
    emit(level, o.target(), level == Level.INFO ? "probe_recovered" : "probe_failure", line);
    return Scope.NONE;
  }

  /** A target's health changed ({@code up} after a successful, healthy check; down otherwise). */
  public void targetTransition(String target, String kind, boolean up, List<String> reasons) {
    emit(
        up ? Level.INFO : Level.WARN,
        target,
        up ? "target_up" : "target_down",
        Logfmt.of(
            "target",
            target,
            "kind",
            kind,
            "state",
            up ? "up" : "down",
            "reasons",
            String.join("; ", reasons)));
  }

  /**
   * An alert changed state ({@code inactive}, {@code pending}, {@code firing}). The alert's labels
   * go in the line, not in Loki labels: they are unbounded.
   */
  public void alertTransition(
      String alertname, Map<String, String> labels, String from, String to) {
    String target = labels.getOrDefault("target", "");
    StringBuilder l = new StringBuilder();
    new TreeMap<>(labels)
        .forEach((k, v) -> l.append(l.length() == 0 ? "" : ",").append(k).append('=').append(v));
    emit(
        "firing".equals(to) ? Level.WARN : Level.INFO,
        target,
        "alert_" + to,
        Logfmt.of("alertname", alertname, "from", from, "to", to, "labels", l.toString()));
  }

  private void emit(Level level, String target, String event, String line) {
    String msg = "event=" + event + " " + line;
    LabelMarker marker = LabelMarker.of(() -> Map.of("target", target, "event", event));
    log.atLevel(level).addMarker(marker).log(msg);
  }

  private static String truncate(String s) {
    return s.length() <= 512 ? s : s.substring(0, 512) + "...";
  }

  /** Per target; guarded by its own monitor (except the lock-free read of {@code announced}). */
  private static final class FailureState {
    long lastLineNanos = Long.MIN_VALUE;
    long suppressed; // failures not logged since the last failure line
    long failures; // failures since the announced failure line that opened this run
    // a failure line was written and no recovery line since; written under the monitor, read
    // without it by successes
    volatile boolean announced;
  }
}
