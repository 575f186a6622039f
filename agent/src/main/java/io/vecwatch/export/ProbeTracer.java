package io.vecwatch.export;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.vecwatch.probe.ProbeListener;
import io.vecwatch.probe.ProbeObservation;
import io.vecwatch.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Turns every probe search into a span named {@code search <target>}: kind CLIENT, started at the
 * search's intended start, lasting its measured latency, with target, dataset, k, outcome and
 * recall@K attributes; failures set status ERROR and record the exception as an event. The span is
 * current inside the returned scope so that latency exemplars point at it. Ending a span only
 * enqueues it (the batch processor exports on its own thread), so this never blocks.
 */
public final class ProbeTracer implements ProbeListener {
  static final AttributeKey<String> TARGET = AttributeKey.stringKey("vecwatch.target");
  static final AttributeKey<String> KIND = AttributeKey.stringKey("vecwatch.target.kind");
  static final AttributeKey<String> DATASET = AttributeKey.stringKey("vecwatch.dataset");
  static final AttributeKey<Long> K = AttributeKey.longKey("vecwatch.k");
  static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("vecwatch.outcome");
  static final AttributeKey<String> OPERATION = AttributeKey.stringKey("db.operation.name");
  static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
  private static final int MAX_MESSAGE = 256;

  private final Tracer tracer;
  private final Clock clock;
  private final Map<String, Attributes> perTarget;
  private final Map<Integer, AttributeKey<Double>> recallKeys = new ConcurrentHashMap<>();

  private ProbeTracer(Tracer tracer, Clock clock, Map<String, Attributes> perTarget) {
    this.tracer = tracer;
    this.clock = clock;
    this.perTarget = Map.copyOf(perTarget);
  }

  /**
   * @param perTarget constant attributes per target name, e.g. {@code db.system.name} and {@code
   *     db.collection.name} for a Milvus target
   */
  public static ProbeTracer create(Tracer tracer, Clock clock, Map<String, Attributes> perTarget) {
    return new ProbeTracer(tracer, clock, new HashMap<>(perTarget));
  }

  /** The attribute recall@K is recorded under: {@code vecwatch.recall_at_10}. */
  static AttributeKey<Double> recallKey(int k) {
    return AttributeKey.doubleKey("vecwatch.recall_at_" + k);
  }

  @Override
  public Scope onResult(ProbeObservation o) {
    long end = TimeUnit.MILLISECONDS.toNanos(clock.wallMillis());
    long start = end - Math.max(0, o.latencyNanos());
    Span span =
        tracer
            .spanBuilder("search " + o.target())
            .setNoParent()
            .setSpanKind(SpanKind.CLIENT)
            .setStartTimestamp(start, TimeUnit.NANOSECONDS)
            .setAllAttributes(perTarget.getOrDefault(o.target(), Attributes.empty()))
            .setAttribute(OPERATION, "search")
            .setAttribute(TARGET, o.target())
            .setAttribute(KIND, o.kind())
            .setAttribute(DATASET, o.dataset())
            .setAttribute(K, (long) o.k())
            .setAttribute(OUTCOME, o.outcome().label())
            .startSpan();
    if (span.isRecording()) {
      o.recall()
          .forEach(
              (k, r) ->
                  span.setAttribute(recallKeys.computeIfAbsent(k, ProbeTracer::recallKey), r));
      if (o.outcome() != ProbeObservation.Outcome.OK) {
        Throwable t = o.error().orElse(null);
        span.setAttribute(
            ERROR_TYPE,
            o.outcome() == ProbeObservation.Outcome.TIMEOUT
                ? "timeout"
                : t == null ? "error" : t.getClass().getName());
        span.setStatus(
            StatusCode.ERROR,
            t == null ? o.outcome().label() : truncate(String.valueOf(t.getMessage())));
        if (t != null) {
          span.recordException(t);
        }
      }
    }
    io.opentelemetry.context.Scope current = span.makeCurrent();
    return () -> {
      current.close();
      span.end(end, TimeUnit.NANOSECONDS);
    };
  }

  private static String truncate(String s) {
    return s.length() <= MAX_MESSAGE ? s : s.substring(0, MAX_MESSAGE) + "...";
  }
}
