package io.vecwatch.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vecwatch.config.ConfigLoader;
import io.vecwatch.config.VecwatchConfig;
import io.vecwatch.probe.ProbeListener;
import io.vecwatch.probe.ProbeObservation;
import io.vecwatch.stats.OwnSearches;
import io.vecwatch.target.registry.TargetKinds;
import io.vecwatch.time.Clock;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A reload of the {@code telemetry:} section against real loopback servers (a recorded Milvus
 * /metrics page, OTLP/HTTP receivers that count what they get): only the changed parts restart, the
 * series of a removed part go, a rebuilt part's gauges read the new part, and the listener the
 * targets hold forwards to whatever runs now.
 */
class ReloadableTelemetryTest {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private HttpServer milvusMetrics;
  private HttpServer otlpA;
  private HttpServer otlpB;
  private final AtomicInteger spansA = new AtomicInteger();
  private final AtomicInteger spansB = new AtomicInteger();
  private ReloadableTelemetry telemetry;

  @BeforeEach
  void servers() throws IOException {
    byte[] page;
    try (InputStream in = getClass().getResourceAsStream("/milvus/metrics-2.3.5.txt")) {
      page = in.readAllBytes();
    }
    milvusMetrics = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    milvusMetrics.createContext(
        "/metrics",
        x -> {
          x.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4");
          x.sendResponseHeaders(200, page.length);
          x.getResponseBody().write(page);
          x.close();
        });
    milvusMetrics.start();
    otlpA = otlp(spansA);
    otlpB = otlp(spansB);
  }

  private static HttpServer otlp(AtomicInteger requests) throws IOException {
    HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    s.createContext(
        "/v1/traces",
        x -> {
          x.getRequestBody().readAllBytes();
          requests.incrementAndGet();
          x.getResponseHeaders().add("Content-Type", "application/x-protobuf");
          x.sendResponseHeaders(200, -1);
          x.close();
        });
    s.start();
    return s;
  }

  @AfterEach
  void stop() {
    if (telemetry != null) {
      telemetry.close();
    }
    milvusMetrics.stop(0);
    otlpA.stop(0);
    otlpB.stop(0);
  }

  private VecwatchConfig config(String telemetrySection) throws Exception {
    String milvus = "http://127.0.0.1:" + milvusMetrics.getAddress().getPort() + "/metrics";
    return new ConfigLoader(Map.of(), TargetKinds.lookup())
        .parse(
            "reload.yml",
            """
            targets:
              - {name: a, kind: milvus, uri: "http://127.0.0.1:1", collection: docs}
              - {name: b, kind: milvus, uri: "http://127.0.0.1:1", collection: docs}
            telemetry:
              events: {failure_log_interval: 10s}
            """
                + telemetrySection.replace("MILVUS", milvus),
            Path.of("."));
  }

  private static String otlpUrl(HttpServer s) {
    return "http://127.0.0.1:" + s.getAddress().getPort();
  }

  private ReloadableTelemetry start(VecwatchConfig c) {
    telemetry =
        ReloadableTelemetry.start(
            c.telemetry(), c.targets(), registry, Clock.system(), new OwnSearches());
    return telemetry;
  }

  private static final String BOTH_SCRAPED =
      """
        resources: {interval: 1s}
        server_metrics:
          - {target: a, url: "MILVUS", interval: 1s, system_info: false}
          - {target: b, url: "MILVUS", interval: 1s, system_info: false}
      """;

  @Test
  void anUnchangedSectionRestartsNothing() throws Exception {
    VecwatchConfig c = config(BOTH_SCRAPED);
    ReloadableTelemetry t = start(c);
    var serverSide = t.serverSide().orElseThrow();
    var resources = t.resources().orElseThrow();
    ProbeListener listener = t.probeListener();

    assertThat(t.apply(config(BOTH_SCRAPED).telemetry(), c.targets()))
        .isEqualTo("telemetry: unchanged");

    assertThat(t.serverSide()).containsSame(serverSide);
    assertThat(t.resources()).containsSame(resources);
    assertThat(t.probeListener()).isSameAs(listener);
  }

  @Test
  void removingAServerMetricsEntryRemovesItsSeriesAndTheOthersReadTheNewScrapers()
      throws Exception {
    ReloadableTelemetry t = start(config(BOTH_SCRAPED));
    await().atMost(Duration.ofSeconds(20)).until(() -> scrapeUp("a") == 1 && scrapeUp("b") == 1);
    assertThat(registry.scrape()).contains("vecwatch_server_requests_total{function=");

    VecwatchConfig onlyA =
        config(
            """
              resources: {interval: 1s}
              server_metrics:
                - {target: a, url: "MILVUS", interval: 1s, system_info: false}
            """);
    String said = t.apply(onlyA.telemetry(), onlyA.targets());

    assertThat(said).isEqualTo("telemetry: server metrics restarted (1 target(s))");
    assertThat(registry.scrape())
        .doesNotContainPattern("vecwatch_(server|served|latency_gap)_[a-z_]*\\{[^}]*target=\"b\"");
    // the gauge of a is registered afresh, on the new scraper
    Gauge up = registry.find("vecwatch.server.scrape.up").tag("target", "a").gauge();
    assertThat(up).isNotNull();
    await().atMost(Duration.ofSeconds(20)).until(() -> scrapeUp("a") == 1);
    assertThat(t.serverSide().orElseThrow().scrapers())
        .extracting(s -> s.target())
        .containsExactly("a");
  }

  @Test
  void aRebuiltSamplerOwnsItsSeries() throws Exception {
    ReloadableTelemetry t = start(config(BOTH_SCRAPED));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> registry.find("vecwatch.process.resident.memory.bytes").gauge() != null);
    Gauge before = registry.find("vecwatch.process.resident.memory.bytes").gauge();
    var oldSampler = t.resources().orElseThrow();

    VecwatchConfig slower =
        config(BOTH_SCRAPED.replace("resources: {interval: 1s}", "resources: {interval: 2s}"));
    assertThat(t.apply(slower.telemetry(), slower.targets()))
        .isEqualTo("telemetry: resources restarted");

    assertThat(t.resources()).isPresent().get().isNotSameAs(oldSampler);
    Gauge after = registry.find("vecwatch.process.resident.memory.bytes").gauge();
    // a gauge holds its sampler weakly: the old meter would read NaN once the old sampler is gone
    assertThat(after).isNotNull().isNotSameAs(before);
    assertThat(after.value()).isPositive();
    assertThat(registry.find("vecwatch.process.resident.memory.bytes").gauges()).hasSize(1);
  }

  @Test
  void anIntervalChangeKeepsTheEventLogAndSaysSo() throws Exception {
    VecwatchConfig c = config("");
    ReloadableTelemetry t = start(c);
    var events = t.events();
    VecwatchConfig changed =
        new ConfigLoader(Map.of(), TargetKinds.lookup())
            .parse(
                "reload.yml",
                """
                targets:
                  - {name: a, kind: milvus, uri: "http://127.0.0.1:1", collection: docs}
                telemetry:
                  events: {failure_log_interval: 1m}
                  shutdown_timeout: 2s
                """,
                Path.of("."));

    assertThat(t.apply(config("").telemetry(), c.targets())).isEqualTo("telemetry: unchanged");
    assertThat(t.apply(changed.telemetry(), changed.targets()))
        .isEqualTo("telemetry: failure_log_interval 1m, shutdown_timeout 2s");
    assertThat(t.events()).isSameAs(events);
  }

  @Test
  void aNewTracingEndpointGetsTheSpansOfProbesAfterTheReload() throws Exception {
    String tracing =
        """
          resources: {enabled: false}
          tracing: {endpoint: "URL", schedule_delay: 100ms}
        """;
    ReloadableTelemetry t = start(config(tracing.replace("URL", otlpUrl(otlpA))));
    ProbeListener held = t.probeListener(); // what a running target holds
    await().atMost(Duration.ofSeconds(10)).until(() -> probeUntil(held, spansA));
    assertThat(registry.find("vecwatch.export.sent").tag("exporter", "otlp_traces").meters())
        .hasSize(1);

    VecwatchConfig moved = config(tracing.replace("URL", otlpUrl(otlpB)));
    assertThat(t.apply(moved.telemetry(), moved.targets()))
        .isEqualTo("telemetry: tracing restarted");

    await().atMost(Duration.ofSeconds(10)).until(() -> probeUntil(held, spansB));
    int atA = spansA.get();
    for (int i = 0; i < 20; i++) {
      observe(held);
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> spansB.get() >= 2);
    assertThat(spansA.get()).as("nothing more to the old endpoint").isEqualTo(atA);
    // the exporter's own series now read the new pipeline: exactly one of each
    assertThat(registry.find("vecwatch.export.sent").tag("exporter", "otlp_traces").meters())
        .hasSize(1);
    assertThat(
            registry
                .find("vecwatch.export.sent")
                .tag("exporter", "otlp_traces")
                .functionCounter()
                .count())
        .isPositive();
  }

  @Test
  void tracingTurnedOffStopsTheExporterAndRemovesItsSeries() throws Exception {
    String tracing =
        """
          resources: {enabled: false}
          tracing: {endpoint: "URL", schedule_delay: 100ms}
        """
            .replace("URL", otlpUrl(otlpA));
    ReloadableTelemetry t = start(config(tracing));
    assertThat(t.exporters()).containsExactly(false, true, false);

    VecwatchConfig off = config("  resources: {enabled: false}\n");
    assertThat(t.apply(off.telemetry(), off.targets())).isEqualTo("telemetry: tracing stopped");

    assertThat(t.exporters()).containsExactly(false, false, false);
    assertThat(registry.find("vecwatch.export.sent").tag("exporter", "otlp_traces").meters())
        .isEmpty();
  }

  /** One probe result through the listener; true once {@code requests} saw an export. */
  private static boolean probeUntil(ProbeListener l, AtomicInteger requests) {
    observe(l);
    return requests.get() > 0;
  }

  private static void observe(ProbeListener l) {
    l.onResult(
            new ProbeObservation(
                "a",
                "milvus",
                "d",
                10,
                ProbeObservation.Outcome.OK,
                1_000_000,
                Map.of(10, 1.0),
                Optional.empty()))
        .close();
  }

  private double scrapeUp(String target) {
    Gauge g = registry.find("vecwatch.server.scrape.up").tag("target", target).gauge();
    return g == null ? 0 : g.value();
  }
}
