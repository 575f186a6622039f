package io.vecwatch.export;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Keeps exported spans in memory; optionally holds every export until {@link #open()}. */
final class CollectingExporter implements SpanExporter {
  private final List<SpanData> spans = new ArrayList<>();
  private final CountDownLatch gate;

  CollectingExporter(boolean gated) {
    this.gate = new CountDownLatch(gated ? 1 : 0);
  }

  void open() {
    gate.countDown();
  }

  synchronized List<SpanData> spans() {
    return List.copyOf(spans);
  }

  @Override
  public CompletableResultCode export(Collection<SpanData> batch) {
    try {
      gate.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    synchronized (this) {
      spans.addAll(batch);
    }
    return CompletableResultCode.ofSuccess();
  }

  @Override
  public CompletableResultCode flush() {
    return CompletableResultCode.ofSuccess();
  }

  @Override
  public CompletableResultCode shutdown() {
    gate.countDown();
    return CompletableResultCode.ofSuccess();
  }
}
