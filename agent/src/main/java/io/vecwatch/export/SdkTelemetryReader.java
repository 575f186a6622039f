package io.vecwatch.export;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.MetricDataType;
import io.opentelemetry.sdk.metrics.export.CollectionRegistration;
import io.opentelemetry.sdk.metrics.export.MetricReader;
import java.util.Collection;
import java.util.List;
import java.util.function.Predicate;

/**
 * Reads, on demand, the OTel SDK's own telemetry about its exporters (spans queued, dropped because
 * the queue was full, exported, failed) so vecwatch can re-expose the figures as Prometheus
 * counters. Cumulative.
 */
final class SdkTelemetryReader implements MetricReader {
  static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

  private volatile CollectionRegistration registration = CollectionRegistration.noop();
  private volatile boolean shutDown;
  private Collection<MetricData> last = List.of();

  @Override
  public void register(CollectionRegistration registration) {
    this.registration = registration;
  }

  @Override
  public AggregationTemporality getAggregationTemporality(InstrumentType instrumentType) {
    return AggregationTemporality.CUMULATIVE;
  }

  @Override
  public CompletableResultCode forceFlush() {
    return CompletableResultCode.ofSuccess();
  }

  @Override
  public CompletableResultCode shutdown() {
    synchronized (this) {
      last = registration.collectAllMetrics();
      shutDown = true;
    }
    registration = CollectionRegistration.noop();
    return CompletableResultCode.ofSuccess();
  }

  /**
   * The SDK's current figures; after shutdown, the last ones (counters must not fall back to zero).
   */
  synchronized Collection<MetricData> collect() {
    if (!shutDown) {
      last = registration.collectAllMetrics();
    }
    return last;
  }

  /** Sum of the long points of {@code metric} whose attributes match, 0 when there are none yet. */
  double sum(String metric, Predicate<Attributes> where) {
    double total = 0;
    for (MetricData m : collect()) {
      if (!m.getName().equals(metric)) {
        continue;
      }
      Collection<LongPointData> points =
          m.getType() == MetricDataType.LONG_SUM
              ? m.getLongSumData().getPoints()
              : m.getType() == MetricDataType.LONG_GAUGE
                  ? m.getLongGaugeData().getPoints()
                  : List.of();
      for (LongPointData p : points) {
        if (where.test(p.getAttributes())) {
          total += p.getValue();
        }
      }
    }
    return total;
  }

  static Predicate<Attributes> errorType(String type) {
    return a -> type.equals(a.get(ERROR_TYPE));
  }

  static Predicate<Attributes> anyError() {
    return a -> a.get(ERROR_TYPE) != null;
  }

  static Predicate<Attributes> noError() {
    return a -> a.get(ERROR_TYPE) == null;
  }
}
