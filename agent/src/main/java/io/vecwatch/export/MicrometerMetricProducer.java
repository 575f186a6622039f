package io.vecwatch.export;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.Data;
import io.opentelemetry.sdk.metrics.data.DoublePointData;
import io.opentelemetry.sdk.metrics.data.GaugeData;
import io.opentelemetry.sdk.metrics.data.HistogramData;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.MetricDataType;
import io.opentelemetry.sdk.metrics.data.SumData;
import io.opentelemetry.sdk.metrics.export.MetricProducer;
import io.opentelemetry.sdk.resources.Resource;
import io.vecwatch.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Reads the agent's Micrometer meters at each OTLP metrics push and hands them to the OTel SDK as
 * cumulative data: gauges as gauges, counters as monotonic sums, timers as explicit-bucket
 * histograms in seconds (or, with no buckets configured, as {@code .count} and {@code .sum} sums).
 * Other meter types are left out. Only meters the filter accepts (by default the {@code vecwatch.*}
 * ones) are sent.
 */
final class MicrometerMetricProducer implements MetricProducer {
  private static final InstrumentationScopeInfo SCOPE =
      InstrumentationScopeInfo.create("io.vecwatch.micrometer");

  private final MeterRegistry registry;
  private final Predicate<Meter.Id> filter;
  private final Clock clock;
  private final long startEpochNanos;

  MicrometerMetricProducer(MeterRegistry registry, Predicate<Meter.Id> filter, Clock clock) {
    this.registry = registry;
    this.filter = filter;
    this.clock = clock;
    this.startEpochNanos = TimeUnit.MILLISECONDS.toNanos(clock.wallMillis());
  }

  @Override
  public Collection<MetricData> produce(Resource resource) {
    long now = TimeUnit.MILLISECONDS.toNanos(clock.wallMillis());
    Map<String, Family> families = new LinkedHashMap<>();
    for (Meter m : registry.getMeters()) {
      Meter.Id id = m.getId();
      if (!filter.test(id) || id.syntheticAssociation() != null) {
        continue; // percentile and histogram gauges some registries derive from a timer: the timer
        // says it all
      }
      Attributes attrs = attributes(id);
      if (m instanceof Gauge g) {
        double v = g.value();
        if (!Double.isNaN(v)) {
          family(families, id.getName(), id, MetricDataType.DOUBLE_GAUGE)
              .doubles
              .add(point(now, attrs, v));
        }
      } else if (m instanceof Counter c) {
        sum(families, id.getName(), id, point(now, attrs, c.count()));
      } else if (m instanceof FunctionCounter c) {
        double v = c.count();
        if (!Double.isNaN(v)) {
          sum(families, id.getName(), id, point(now, attrs, v));
        }
      } else if (m instanceof Timer t) {
        HistogramSnapshot s = t.takeSnapshot();
        CountAtBucket[] buckets = s.histogramCounts();
        if (buckets.length == 0) {
          sum(families, id.getName() + ".count", id, point(now, attrs, s.count()));
          sum(families, id.getName() + ".sum", id, point(now, attrs, s.total(TimeUnit.SECONDS)));
        } else {
          family(families, id.getName(), id, MetricDataType.HISTOGRAM)
              .histograms
              .add(histogram(s, buckets, attrs, now));
        }
      }
    }
    List<MetricData> out = new ArrayList<>();
    for (Family f : families.values()) {
      Data<?> data =
          switch (f.type) {
            case DOUBLE_GAUGE -> GaugeData.createDoubleGaugeData(f.doubles);
            case DOUBLE_SUM ->
                SumData.createDoubleSumData(true, AggregationTemporality.CUMULATIVE, f.doubles);
            default -> HistogramData.create(AggregationTemporality.CUMULATIVE, f.histograms);
          };
      out.add(new Metric(resource, SCOPE, f.name, f.description, f.unit, f.type, data));
    }
    return out;
  }

  /**
   * Micrometer buckets are cumulative counts at upper bounds; OTLP wants per-bucket counts plus an
   * overflow.
   */
  private HistogramPointData histogram(
      HistogramSnapshot s, CountAtBucket[] buckets, Attributes attrs, long now) {
    List<Double> bounds = new ArrayList<>(buckets.length);
    List<Long> counts = new ArrayList<>(buckets.length + 1);
    double previous = 0;
    for (CountAtBucket b : buckets) {
      if (Double.isInfinite(b.bucket())) {
        continue;
      }
      bounds.add(b.bucket(TimeUnit.SECONDS));
      counts.add((long) Math.max(0, b.count() - previous));
      previous = b.count();
    }
    counts.add((long) Math.max(0, s.count() - previous));
    return HistogramPointData.create(
        startEpochNanos,
        now,
        attrs,
        s.total(TimeUnit.SECONDS),
        false,
        0,
        s.count() > 0,
        s.max(TimeUnit.SECONDS),
        bounds,
        counts);
  }

  private DoublePointData point(long now, Attributes attrs, double value) {
    return DoublePointData.create(startEpochNanos, now, attrs, value, List.of());
  }

  private static void sum(
      Map<String, Family> families, String name, Meter.Id id, DoublePointData p) {
    family(families, name, id, MetricDataType.DOUBLE_SUM).doubles.add(p);
  }

  private static Family family(
      Map<String, Family> families, String name, Meter.Id id, MetricDataType type) {
    return families.computeIfAbsent(name + "\u0000" + type, k -> new Family(name, id, type));
  }

  private static Attributes attributes(Meter.Id id) {
    AttributesBuilder b = Attributes.builder();
    for (Tag t : id.getTagsAsIterable()) {
      b.put(t.getKey(), t.getValue());
    }
    return b.build();
  }

  /** Points of one metric name and type. */
  private static final class Family {
    final String name;
    final String description;
    final String unit;
    final MetricDataType type;
    final List<DoublePointData> doubles = new ArrayList<>();
    final List<HistogramPointData> histograms = new ArrayList<>();

    Family(String name, Meter.Id id, MetricDataType type) {
      this.name = name;
      this.description = id.getDescription() == null ? "" : id.getDescription();
      this.unit =
          type == MetricDataType.HISTOGRAM ? "s" : id.getBaseUnit() == null ? "" : id.getBaseUnit();
      this.type = type;
    }
  }

  private record Metric(
      Resource getResource,
      InstrumentationScopeInfo getInstrumentationScopeInfo,
      String getName,
      String getDescription,
      String getUnit,
      MetricDataType getType,
      Data<?> getData)
      implements MetricData {}
}
