package io.vecwatch.promtext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class TextFormatParserTest {

  private static Map<String, Double> byLabels(List<Sample> samples) {
    return samples.stream().collect(Collectors.toMap(s -> s.labels().toString(), Sample::value));
  }

  @Test
  void parsesNamesLabelsAndSpecialValues() {
    String text =
        """
        # HELP up whether up
        # TYPE up gauge
        up{job="a",instance="x:1"} 1
        up{job="b"} 0 1700000000000
        weird{path="C:\\\\dir",quote="say \\"hi\\"",nl="a\\nb",} NaN
        inf_metric +Inf
        neg_inf -Inf
        sci 1.5e-3
        """;
    List<Sample> s = TextFormatParser.parse(text);
    assertThat(s).hasSize(6);
    assertThat(s.get(0).labels())
        .isEqualTo(Labels.of("__name__", "up", "job", "a", "instance", "x:1"));
    assertThat(s.get(1).value()).isZero();
    assertThat(s.get(2).labels().get("path")).isEqualTo("C:\\dir");
    assertThat(s.get(2).labels().get("quote")).isEqualTo("say \"hi\"");
    assertThat(s.get(2).labels().get("nl")).isEqualTo("a\nb");
    assertThat(s.get(2).value()).isNaN();
    assertThat(s.get(3).value()).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(s.get(4).value()).isEqualTo(Double.NEGATIVE_INFINITY);
    assertThat(s.get(5).value()).isEqualTo(0.0015);
  }

  @Test
  void skipsExemplarsOpenMetricsEofAndBlankLines() {
    String text =
        """
        # TYPE req counter

        req_total{a="1"} 5 # {trace_id="abc"} 1.0 1700000000.000
        # EOF
        """;
    assertThat(TextFormatParser.parse(text))
        .containsExactly(new Sample(Labels.of("__name__", "req_total", "a", "1"), 5));
  }

  @Test
  void readsAQuotedMetricNameInsideTheBraces() {
    assertThat(TextFormatParser.parse("{\"my.metric\",a=\"b\"} 2\n").get(0).labels())
        .isEqualTo(Labels.of("__name__", "my.metric", "a", "b"));
  }

  @Test
  void reportsTheLineOfMalformedInput() {
    assertThatThrownBy(() -> TextFormatParser.parse("ok 1\nbad{a=\"x\" 1\n"))
        .isInstanceOf(PromTextException.class)
        .hasMessageStartingWith("line 2:");
    assertThatThrownBy(() -> TextFormatParser.parse("x abc\n"))
        .hasMessage("line 1: invalid value \"abc\"");
    assertThatThrownBy(() -> TextFormatParser.parse("x{a=\"1} 2\n"))
        .hasMessageContaining("unterminated");
    assertThatThrownBy(() -> TextFormatParser.parse("x\n"))
        .hasMessageContaining("expected a space and a value");
  }

  @Test
  void anErrorIsOneBoundedLineWhateverThePageQuotes() {
    // Found by fuzzing: a quoted label name holding an escaped line break was echoed unescaped.
    assertThatThrownBy(() -> TextFormatParser.parse("m{\"a\\nb\" 1\n"))
        .hasMessage("line 1: expected '=' after label name a\\nb");
    String longName = "x".repeat(1000);
    assertThatThrownBy(() -> TextFormatParser.parse("m{\"" + longName + "\" 1\n"))
        .hasMessageEndingWith("xxx...")
        .message()
        .hasSize(PromTextException.MAX_MESSAGE_CHARS + 3);
  }

  @Test
  void roundTripsAMicrometerScrapeIncludingHistogramSeries() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Counter c = Counter.builder("vecwatch.test.requests").tag("target", "t\"1").register(registry);
    c.increment(7);
    Timer timer =
        Timer.builder("vecwatch.test.latency")
            .publishPercentileHistogram()
            .serviceLevelObjectives(Duration.ofMillis(10), Duration.ofMillis(100))
            .register(registry);
    timer.record(Duration.ofMillis(5));
    timer.record(Duration.ofMillis(50));
    timer.record(Duration.ofMillis(500));
    AtomicReference<Double> gauge = new AtomicReference<>(Double.NaN);
    registry.gauge("vecwatch.test.nan", gauge, AtomicReference::get);

    Map<String, Double> m = byLabels(TextFormatParser.parse(registry.scrape()));

    assertThat(m)
        .containsEntry("{__name__=\"vecwatch_test_requests_total\", target=\"t\\\"1\"}", 7.0);
    assertThat(m)
        .containsEntry(
            "{__name__=\"vecwatch_test_latency_seconds_count\"}", (double) timer.count());
    assertThat(m.get("{__name__=\"vecwatch_test_latency_seconds_sum\"}"))
        .isCloseTo(timer.totalTime(TimeUnit.SECONDS), Offset.offset(1e-9));
    assertThat(m)
        .containsEntry("{__name__=\"vecwatch_test_latency_seconds_bucket\", le=\"0.01\"}", 1.0);
    assertThat(m)
        .containsEntry("{__name__=\"vecwatch_test_latency_seconds_bucket\", le=\"0.1\"}", 2.0);
    assertThat(m)
        .containsEntry("{__name__=\"vecwatch_test_latency_seconds_bucket\", le=\"+Inf\"}", 3.0);
    assertThat(m.get("{__name__=\"vecwatch_test_nan\"}")).isNaN();
  }
}
