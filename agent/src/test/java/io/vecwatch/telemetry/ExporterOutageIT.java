package io.vecwatch.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vecwatch.config.LokiConfig;
import io.vecwatch.config.ResourcesConfig;
import io.vecwatch.config.TelemetryConfig;
import io.vecwatch.config.TracingConfig;
import io.vecwatch.export.ExemplarSpanContext;
import io.vecwatch.export.JulBridge;
import io.vecwatch.probe.ProbeListener;
import io.vecwatch.probe.ProbeObservation;
import io.vecwatch.time.Clock;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

/**
 * The OTLP and Loki endpoints are down (connection refused) or hanging (a socket that accepts and
 * never answers) while probes run at 100/s through the telemetry listeners: the schedule keeps its
 * rate and its lag stays bounded, the metrics endpoint keeps answering, queues stay within their
 * bounds, drops are counted, and the exporters' complaints are rate-limited.
 *
 * <p>The probe runner here is a stand-in with the same contract as the agent's (fixed-rate
 * schedule, the listener scope around the latency record), because it is the listeners' behaviour
 * under test.
 */
class ExporterOutageIT {
  private static final int RATE = 100;
  private static final Duration RUN = Duration.ofSeconds(4);
  private static final Duration EXPORT_TIMEOUT = Duration.ofSeconds(2);
  private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(2);

  @ParameterizedTest(name = "endpoints {0}")
  @ValueSource(strings = {"down", "hanging"})
  void probingKeepsItsRateAndMetricsKeepAnswering(String mode) throws Exception {
    try (Endpoint otlp = new Endpoint(mode);
        Endpoint lokiEndpoint = new Endpoint(mode)) {
      PrometheusMeterRegistry registry =
          new PrometheusMeterRegistry(
              PrometheusConfig.DEFAULT,
              new PrometheusRegistry(),
              io.micrometer.core.instrument.Clock.SYSTEM,
              ExemplarSpanContext.INSTANCE);
      int queue = 256;
      TelemetryConfig config =
          new TelemetryConfig(
                  new ResourcesConfig(true, Duration.ofMillis(500), Path.of("/")),
                  List.of(),
                  new TracingConfig(
                      Optional.of(URI.create(otlp.url())),
                      Map.of(),
                      Optional.empty(),
                      "vecwatch-outage",
                      1.0,
                      queue,
                      64,
                      Duration.ofMillis(200),
                      EXPORT_TIMEOUT,
                      Optional.of(Duration.ofMillis(500))),
                  new LokiConfig(
                      Optional.of(URI.create(lokiEndpoint.url() + "/loki/api/v1/push")),
                      Map.of(),
                      Optional.empty(),
                      Optional.empty(),
                      Optional.empty(),
                      "info",
                      64 << 10,
                      100,
                      Duration.ofMillis(100),
                      EXPORT_TIMEOUT),
                  Duration.ofSeconds(1))
              .withShutdownTimeout(SHUTDOWN_TIMEOUT);
      Timer latency =
          Timer.builder("vecwatch.probe.latency")
              .tag("target", "flat")
              .serviceLevelObjectives(Duration.ofMillis(1), Duration.ofMillis(10))
              .register(registry);

      JulBridge.install(); // as the agent does at start; attach the counters after it reset
      // java.util.logging
      LogCounter logs = LogCounter.attach();
      HttpServer metrics = metricsEndpoint(registry);
      long closeStart;
      try (Telemetry telemetry =
          Telemetry.start(config, List.of(), registry, Clock.system(), Map.of())) {
        // Warm up first (class loading and JIT make the very first probe and scrape slow, outage or
        // not).
        runSchedule(telemetry.probeListener(), latency, metrics, Duration.ofMillis(500));
        ScheduleResult r = runSchedule(telemetry.probeListener(), latency, metrics, RUN);

        // Rate kept: every slot ran within the bounded wait (a fixed-rate schedule runs late slots
        // late, not
        // never; a probe thread blocked by an exporter would leave slots unrun when the wait ends).
        long expected = RUN.toMillis() * RATE / 1000;
        assertThat(r.ran()).isEqualTo(expected);
        System.out.printf(
            "outage %s: %d probes, lag p50 %.1f ms p99 %.1f ms max %.1f ms; in telemetry p99 %.3f ms"
                + " max %.1f ms; /metrics max %.1f ms%n",
            mode,
            r.ran(),
            ms(r.lag(), 50),
            ms(r.lag(), 99),
            r.lag().getMaxValue() / 1e6,
            ms(r.inTelemetry(), 99),
            r.inTelemetry().getMaxValue() / 1e6,
            r.scrapeTime().getMaxValue() / 1e6);
        // Nothing on the probe path waits for an exporter: a call that did would take a whole
        // export timeout.
        assertThat(Duration.ofNanos(r.inTelemetry().getMaxValue()))
            .isLessThan(EXPORT_TIMEOUT.dividedBy(2));
        // The schedule's lag stays bounded. The bounds leave room for a loaded 2-core build machine
        // (pauses of
        // ~0.5 s were seen with and without exporters); a blocked probe thread would exceed them.
        assertThat(Duration.ofNanos(r.lag().getValueAtPercentile(99)))
            .isLessThan(Duration.ofSeconds(1));
        assertThat(Duration.ofNanos(r.lag().getMaxValue())).isLessThan(EXPORT_TIMEOUT);
        // /metrics answered every time it was asked, quickly.
        assertThat(r.scrapesOk()).isEqualTo(r.scrapes()).isGreaterThan(5);
        assertThat(Duration.ofNanos(r.scrapeTime().getMaxValue()))
            .isLessThan(Duration.ofSeconds(1));

        // Memory bounded: the span queue never holds more than its capacity; the rest is dropped
        // and counted.
        String text = registry.scrape();
        assertThat(value(registry, "vecwatch.export.queued", "otlp_traces"))
            .isLessThanOrEqualTo(queue);
        double dropped =
            registry
                .get("vecwatch.export.dropped")
                .tag("exporter", "otlp_traces")
                .functionCounter()
                .count();
        assertThat(dropped).isPositive();
        assertThat(text)
            .contains(
                "vecwatch_export_dropped_total{exporter=\"otlp_traces\",reason=\"queue_full\"}");
        assertThat(text)
            .contains("vecwatch_export_dropped_total{exporter=\"loki\",reason=\"queue_full\"}");
        assertThat(text).contains("vecwatch_resource_memory_usage_ratio{scope=\"host\"");
        closeStart = System.nanoTime();
      } finally {
        metrics.stop(0);
      }
      // Shutting down with dead exporters is bounded by telemetry.shutdown_timeout. The margin
      // covers stopping the
      // resource sampler and the threads' joins on a loaded 2-core machine; an unbounded flush
      // would take an
      // export timeout per retry (loki: 3 tries of 2 s).
      Duration closing = Duration.ofNanos(System.nanoTime() - closeStart);
      System.out.printf("outage %s: shutdown took %d ms%n", mode, closing.toMillis());
      assertThat(closing).isLessThan(SHUTDOWN_TIMEOUT.plusSeconds(3));
      if (mode.equals("hanging")) {
        // what was given up is said, once
        assertThat(logs.messages())
            .filteredOn(m -> m.startsWith("shutdown: exporters did not finish within 2s"))
            .hasSize(1)
            .first()
            .asString()
            .contains("tracing (")
            .contains("loki (");
      }
      // Not a hot loop: 200 probe failures and ~16 failed exports produced a handful of lines.
      logs.detach();
      assertThat(logs.logback()).as("logback events %s", logs.samples()).isLessThan(30);
      assertThat(logs.jul()).as("java.util.logging records").isLessThan(30);
      // the SDK's java.util.logging records reach Logback only as summary lines: no stack traces,
      // no SDK logger
      assertThat(logs.events()).noneMatch(e -> e.getLoggerName().startsWith("io.opentelemetry"));
      assertThat(logs.events())
          .filteredOn(e -> e.getFormattedMessage().startsWith("otlp: "))
          .allMatch(e -> e.getThrowableProxy() == null)
          .hasSizeLessThanOrEqualTo(2);
    }
  }

  private record ScheduleResult(
      long ran,
      Histogram lag,
      Histogram inTelemetry,
      int scrapes,
      int scrapesOk,
      Histogram scrapeTime) {}

  private static double ms(Histogram h, double percentile) {
    return h.getValueAtPercentile(percentile) / 1e6;
  }

  /**
   * Probes at RATE/s for {@code run} on one scheduler thread; scrapes /metrics every 200 ms from
   * another.
   */
  private static ScheduleResult runSchedule(
      ProbeListener listener, Timer latency, HttpServer metrics, Duration run) throws Exception {
    ScheduledExecutorService probes = Executors.newSingleThreadScheduledExecutor();
    Histogram lag = new Histogram(3);
    Histogram inTelemetry = new Histogram(3);
    AtomicInteger n = new AtomicInteger();
    long periodNanos = TimeUnit.SECONDS.toNanos(1) / RATE;
    long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
    long slots = run.toMillis() * RATE / 1000;
    CountDownLatch done = new CountDownLatch(1);
    probes.scheduleAtFixedRate(
        () -> {
          int i = n.getAndIncrement();
          if (i >= slots) {
            done.countDown();
            return;
          }
          lag.recordValue(Math.max(0, System.nanoTime() - (start + i * periodNanos)));
          ProbeObservation o =
              i % 2 == 0
                  ? ProbeObservation.ok("flat", "flat", "gen", 10, 200_000L, Map.of(10, 1.0))
                  : ProbeObservation.failed(
                      "flat",
                      "flat",
                      "gen",
                      10,
                      ProbeObservation.Outcome.ERROR,
                      200_000L,
                      new IllegalStateException("injected"));
          long t0 = System.nanoTime();
          try (ProbeListener.Scope s = listener.onResult(o)) {
            latency.record(o.latencyNanos(), TimeUnit.NANOSECONDS);
          }
          inTelemetry.recordValue(System.nanoTime() - t0);
        },
        20_000_000L,
        periodNanos,
        TimeUnit.NANOSECONDS);

    HttpClient http = HttpClient.newHttpClient();
    Histogram scrapeTime = new Histogram(3);
    int scrapes = 0;
    int ok = 0;
    URI uri = URI.create("http://127.0.0.1:" + metrics.getAddress().getPort() + "/metrics");
    // bounded: a hang fails the test instead of stalling the build (the run plus generous slack for
    // a loaded host)
    long giveUp = System.nanoTime() + run.multipliedBy(3).plusSeconds(10).toNanos();
    while (!done.await(200, TimeUnit.MILLISECONDS) && System.nanoTime() < giveUp) {
      long t0 = System.nanoTime();
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
              HttpResponse.BodyHandlers.ofString());
      scrapeTime.recordValue(System.nanoTime() - t0);
      scrapes++;
      if (r.statusCode() == 200 && r.body().contains("vecwatch_probe_latency_seconds")) {
        ok++;
      }
    }
    probes.shutdownNow();
    return new ScheduleResult(Math.min(n.get(), slots), lag, inTelemetry, scrapes, ok, scrapeTime);
  }

  private static HttpServer metricsEndpoint(PrometheusMeterRegistry registry) throws IOException {
    HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    s.createContext(
        "/metrics",
        ex -> {
          byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
          ex.sendResponseHeaders(200, body.length);
          try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
          }
        });
    s.start();
    return s;
  }

  private static double value(PrometheusMeterRegistry r, String name, String exporter) {
    return r.get(name).tag("exporter", exporter).gauge().value();
  }

  /**
   * A port that refuses connections ({@code down}) or accepts and never answers ({@code hanging}).
   */
  private static final class Endpoint implements AutoCloseable {
    private final ServerSocket socket;
    private final List<Socket> held = new CopyOnWriteArrayList<>();
    private final int port;

    Endpoint(String mode) throws IOException {
      socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      port = socket.getLocalPort();
      if (mode.equals("down")) {
        socket.close(); // nothing listens there any more: connection refused
      } else {
        Thread t =
            new Thread(
                () -> {
                  while (!socket.isClosed()) {
                    try {
                      held.add(socket.accept());
                    } catch (IOException e) {
                      return;
                    }
                  }
                });
        t.setDaemon(true);
        t.start();
      }
    }

    String url() {
      return "http://127.0.0.1:" + port;
    }

    @Override
    public void close() throws IOException {
      socket.close();
      for (Socket s : held) {
        s.close();
      }
    }
  }

  /** Counts what reaches Logback's root logger and java.util.logging's root during the run. */
  private static final class LogCounter {
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final AtomicInteger julRecords = new AtomicInteger();
    private final Handler julHandler =
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            julRecords.incrementAndGet();
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };

    static LogCounter attach() {
      LogCounter c = new LogCounter();
      c.appender.start();
      ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).addAppender(c.appender);
      java.util.logging.Logger.getLogger("").addHandler(c.julHandler);
      return c;
    }

    void detach() {
      ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).detachAppender(appender);
      java.util.logging.Logger.getLogger("").removeHandler(julHandler);
    }

    int logback() {
      return appender.list.size();
    }

    int jul() {
      return julRecords.get();
    }

    List<ILoggingEvent> events() {
      return List.copyOf(appender.list);
    }

    List<String> messages() {
      return appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    List<String> samples() {
      return appender.list.stream().limit(10).map(ILoggingEvent::getFormattedMessage).toList();
    }
  }
}
