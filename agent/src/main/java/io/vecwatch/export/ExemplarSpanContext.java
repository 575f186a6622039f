package io.vecwatch.export;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;

/**
 * Tells the Prometheus client which trace is current, so histogram observations made inside a
 * probe's span carry its trace and span ids as an exemplar (served in the OpenMetrics format). Pass
 * it to {@code new PrometheusMeterRegistry(config, new PrometheusRegistry(), clock,
 * ExemplarSpanContext.INSTANCE)}.
 */
public enum ExemplarSpanContext implements io.prometheus.metrics.tracer.common.SpanContext {
  INSTANCE;

  @Override
  public String getCurrentTraceId() {
    SpanContext c = Span.current().getSpanContext();
    return c.isValid() ? c.getTraceId() : null;
  }

  @Override
  public String getCurrentSpanId() {
    SpanContext c = Span.current().getSpanContext();
    return c.isValid() ? c.getSpanId() : null;
  }

  @Override
  public boolean isCurrentSpanSampled() {
    return Span.current().getSpanContext().isSampled();
  }

  @Override
  public void markCurrentSpanAsExemplar() {
    // Lets a trace backend keep exemplar spans preferentially (the Prometheus client's convention).
    Span.current().setAttribute(EXEMPLAR_ATTRIBUTE_NAME, EXEMPLAR_ATTRIBUTE_VALUE);
  }
}
