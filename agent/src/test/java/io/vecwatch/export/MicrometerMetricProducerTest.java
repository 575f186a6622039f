package io.vecwatch.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.MetricDataType;
import io.opentelemetry.sdk.resources.Resource;
import io.vecwatch.time.ManualClock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class MicrometerMetricProducerTest {

  @Test
  void convertsGaugesCountersAndTimerHistogramsOfTheVecwatchMeters() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Counter.builder("vecwatch.a.total").tag("target", "t").register(registry).increment(3);
    Gauge.builder("vecwatch.b.ratio", () -> 0.5).register(registry);
    Counter.builder("jvm.not.ours").register(registry).increment();
    Timer timer =
        Timer.builder("vecwatch.latency")
            .serviceLevelObjectives(Duration.ofMillis(1), Duration.ofMillis(10))
            .register(registry);
    long[] millis = {0, 1, 2, 5, 9, 10, 30, 40};
    for (long ms : millis) {
      timer.record(ms, TimeUnit.MILLISECONDS);
    }

    Collection<MetricData> data =
        new MicrometerMetricProducer(
                registry, id -> id.getName().startsWith("vecwatch."), new ManualClock())
            .produce(Resource.empty());
    Map<String, MetricData> byName =
        data.stream().collect(Collectors.toMap(MetricData::getName, Function.identity()));

    assertThat(byName).containsOnlyKeys("vecwatch.a.total", "vecwatch.b.ratio", "vecwatch.latency");
    MetricData a = byName.get("vecwatch.a.total");
    assertThat(a.getType()).isEqualTo(MetricDataType.DOUBLE_SUM);
    assertThat(a.getDoubleSumData().isMonotonic()).isTrue();
    assertThat(a.getDoubleSumData().getPoints())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.getValue()).isEqualTo(3);
              assertThat(p.getAttributes().get(AttributeKey.stringKey("target"))).isEqualTo("t");
            });
    assertThat(byName.get("vecwatch.b.ratio").getDoubleGaugeData().getPoints())
        .singleElement()
        .satisfies(p -> assertThat(p.getValue()).isEqualTo(0.5));

    HistogramPointData h =
        byName.get("vecwatch.latency").getHistogramData().getPoints().iterator().next();
    assertThat(h.getBoundaries()).containsExactly(0.001, 0.01);
    // per-bucket counts: <= 1 ms, (1, 10] ms, > 10 ms, counted here independently
    long le1 = Arrays.stream(millis).filter(m -> m <= 1).count();
    long le10 = Arrays.stream(millis).filter(m -> m > 1 && m <= 10).count();
    assertThat(h.getCounts()).containsExactly(le1, le10, millis.length - le1 - le10);
    assertThat(h.getCount()).isEqualTo(millis.length);
    assertThat(h.getSum()).isCloseTo(Arrays.stream(millis).sum() / 1000.0, within(1e-9));
    assertThat(h.getMax()).isCloseTo(0.040, within(1e-9));
  }
}
