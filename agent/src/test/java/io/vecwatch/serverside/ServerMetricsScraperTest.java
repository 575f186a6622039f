package io.vecwatch.serverside;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.sun.net.httpserver.HttpServer;
import io.vecwatch.config.ServerMetricsConfig;
import io.vecwatch.stats.OwnSearches;
import io.vecwatch.target.milvus.MilvusMetrics;
import io.vecwatch.target.milvus.MilvusSystemInfo;
import io.vecwatch.time.ManualClock;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Against a real loopback HTTP server serving real (and derived) Milvus 2.3.5 pages. */
class ServerMetricsScraperTest {
  private HttpServer server;
  private final AtomicReference<String> page = new AtomicReference<>(Recorded.metrics());
  private final AtomicInteger status = new AtomicInteger(200);
  private final CountDownLatch release = new CountDownLatch(1);
  private volatile boolean hang;
  private final ManualClock clock = new ManualClock();
  private final ClientLatencyRecorder client = new ClientLatencyRecorder();

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/metrics",
        ex -> {
          if (hang) {
            try {
              release.await(); // accept and never answer, until the test ends
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          byte[] body = page.get().getBytes(StandardCharsets.UTF_8);
          ex.sendResponseHeaders(status.get(), body.length);
          try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
          }
        });
    server.setExecutor(Executors.newCachedThreadPool());
    server.start();
  }

  @AfterEach
  void stop() {
    release.countDown();
    server.stop(0);
  }

  private ServerMetricsConfig config(
      Duration timeout, int maxBytes, OptionalLong mem, OptionalDouble cpu) {
    URI url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/metrics");
    return new ServerMetricsConfig(
        "milvus",
        url,
        Duration.ofSeconds(15),
        timeout,
        Duration.ofSeconds(60),
        mem,
        cpu,
        true,
        maxBytes);
  }

  private ServerMetricsScraper scraper(ServerMetricsConfig c, Optional<SystemInfo.Source> info) {
    return new ServerMetricsScraper(
        c, MilvusMetrics.INSTANCE, HttpClient.newHttpClient(), clock, client, info);
  }

  @Test
  void servedRequestsWindowQuantilesAndGapFromTwoRealScrapes() {
    ServerMetricsScraper s =
        scraper(
            config(Duration.ofSeconds(5), 8 << 20, OptionalLong.empty(), OptionalDouble.empty()),
            Optional.empty());
    String first = Recorded.metrics();
    double searchTotal =
        value(
            first,
            "milvus_proxy_req_count\\{function_name=\"Search\",node_id=\"1\",status=\"total\"\\}");

    s.scrape();
    // 30 more searches on the server: 10 at <= 4 ms, 20 at <= 8 ms; the agent saw 30 searches of 9
    // ms.
    String second = addToSearch(first, 30, Map.of(4.0, 10.0, 8.0, 30.0));
    page.set(second);
    for (int i = 0; i < 30; i++) {
      client.recordSuccess("milvus", 9_000_000L);
    }
    clock.advance(Duration.ofSeconds(15));
    s.scrape();

    ServerSnapshot snap = s.latest();
    assertThat(snap.up()).isTrue();
    assertThat(snap.requests().get("Search")).isEqualTo(searchTotal + 30);
    LatencyComparison w = snap.window();
    assertThat(w.serverRate()).isCloseTo(30.0 / 15, within(1e-12));
    // delta buckets: 10 in (2,4], 20 in (4,8]; rank 15 -> 4 + 4 * (15-10)/20 ms
    assertThat(w.serverP50()).isCloseTo((4 + 4 * (15.0 - 10) / 20) / 1000, within(1e-12));
    assertThat(w.clientP50()).isCloseTo(0.009, within(0.009 * 0.002));
    assertThat(w.gapP50()).isCloseTo(w.clientP50() - w.serverP50(), within(0.0));
  }

  @Test
  void servedTrafficIsTheServersSearchesMinusTheCanaries() {
    ServerMetricsScraper s =
        scraper(
            config(Duration.ofSeconds(5), 8 << 20, OptionalLong.empty(), OptionalDouble.empty()),
            Optional.empty());
    String page0 = Recorded.metrics();
    s.scrape(); // the first scrape only sets the baseline
    assertThat(s.latest().served()).isZero();

    // 50 more successful searches on the server, 20 of them the agent's canaries
    page.set(addSearchSuccesses(page0, 50));
    canaries(20);
    clock.advance(Duration.ofSeconds(15));
    s.scrape();
    assertThat(s.latest().served()).isEqualTo(50 - 20);

    // a failed scrape: its 4 canaries are carried to the next successful one
    status.set(503);
    canaries(4);
    s.scrape();
    status.set(200);
    page.set(addSearchSuccesses(page0, 50 + 10));
    canaries(3);
    s.scrape();
    assertThat(s.latest().served()).isEqualTo((50 - 20) + (10 - 4 - 3));

    // more canaries than server searches (a canary the agent timed out on): never negative
    page.set(addSearchSuccesses(page0, 50 + 10 + 1));
    canaries(5);
    s.scrape();
    assertThat(s.latest().served()).isEqualTo((50 - 20) + (10 - 4 - 3));
  }

  @Test
  void servedTrafficExcludesEveryOwnSearchSelfRecallSamplesIncluded() {
    OwnSearches own = new OwnSearches();
    ServerMetricsScraper s =
        new ServerMetricsScraper(
            config(Duration.ofSeconds(5), 8 << 20, OptionalLong.empty(), OptionalDouble.empty()),
            MilvusMetrics.INSTANCE,
            HttpClient.newHttpClient(),
            clock,
            client,
            own,
            Optional.empty());
    String page0 = Recorded.metrics();
    s.scrape();

    // no other client: 20 canaries and 12 self-recall samples are all the server served
    canaries(20);
    for (int i = 0; i < 32; i++) {
      own.add("milvus");
    }
    page.set(addSearchSuccesses(page0, 32));
    clock.advance(Duration.ofSeconds(15));
    s.scrape();
    assertThat(s.latest().served()).isZero();

    // another client's 7 searches on top of 10 of the agent's (a failed scrape in between carries
    // over)
    status.set(503);
    for (int i = 0; i < 4; i++) {
      own.add("milvus");
    }
    s.scrape();
    status.set(200);
    for (int i = 0; i < 6; i++) {
      own.add("milvus");
    }
    page.set(addSearchSuccesses(page0, 32 + 10 + 7));
    s.scrape();
    assertThat(s.latest().served()).isEqualTo(7);

    // 5 sent, 2 of them still in flight at the scrape: they are the server's in the next interval,
    // not traffic
    for (int i = 0; i < 5; i++) {
      own.add("milvus");
    }
    page.set(addSearchSuccesses(page0, 49 + 3));
    s.scrape();
    assertThat(s.latest().served()).isEqualTo(7);
    page.set(addSearchSuccesses(page0, 52 + 2 + 4)); // the 2 in flight, and 4 of another client's
    s.scrape();
    assertThat(s.latest().served()).isEqualTo(7 + 4);
  }

  private void canaries(int n) {
    for (int i = 0; i < n; i++) {
      client.recordSuccess("milvus", 2_000_000L);
    }
  }

  private static String addSearchSuccesses(String text, int n) {
    String series =
        "milvus_proxy_req_count{function_name=\"Search\",node_id=\"1\",status=\"success\"}";
    double v = value(text, Pattern.quote(series));
    return text.replace(series + " " + fmt(v), series + " " + fmt(v + n));
  }

  @Test
  void aFailedScrapeMarksTheServerDownAndKeepsTheCounters() {
    ServerMetricsScraper s =
        scraper(
            config(Duration.ofSeconds(5), 8 << 20, OptionalLong.empty(), OptionalDouble.empty()),
            Optional.empty());
    s.scrape();
    Map<String, Double> before = s.latest().requests();

    status.set(503);
    s.scrape();

    assertThat(s.latest().up()).isFalse();
    assertThat(s.latest().requests()).isEqualTo(before);
  }

  @Test
  void aHangingServerCostsOneTimeout() {
    hang = true;
    Duration timeout = Duration.ofMillis(300);
    ServerMetricsScraper s =
        scraper(
            config(timeout, 8 << 20, OptionalLong.empty(), OptionalDouble.empty()),
            Optional.empty());

    long t0 = System.nanoTime();
    s.scrape();
    long took = System.nanoTime() - t0;

    assertThat(s.latest().up()).isFalse();
    assertThat(Duration.ofNanos(took)).isLessThan(timeout.multipliedBy(10));
  }

  @Test
  void aMalformedPageIsAFailedScrapeThatKeepsTheCounters() {
    ServerMetricsScraper s =
        scraper(
            config(Duration.ofSeconds(5), 8 << 20, OptionalLong.empty(), OptionalDouble.empty()),
            Optional.empty());
    s.scrape();
    Map<String, Double> before = s.latest().requests();

    page.set(Recorded.metrics() + "milvus_proxy_req_count{function_name=\"Search\" 12\n");
    s.scrape();

    assertThat(s.latest().up()).isFalse();
    assertThat(s.latest().requests()).isEqualTo(before);
  }

  @Test
  void anOversizedPageIsAFailedScrape() {
    ServerMetricsScraper s =
        scraper(
            config(Duration.ofSeconds(5), 4096, OptionalLong.empty(), OptionalDouble.empty()),
            Optional.empty());

    s.scrape();

    assertThat(s.latest().up()).isFalse();
  }

  @Test
  void databaseScopeUsesSystemInfoLimitsAndAsksAnUnsupportedServerOnlyOnce() throws Exception {
    ServerMetricsScraper real =
        scraper(
            config(Duration.ofSeconds(5), 8 << 20, OptionalLong.empty(), OptionalDouble.empty()),
            Optional.of(() -> MilvusSystemInfo.parse(Recorded.systemInfo())));
    real.scrape();
    SystemInfo info = MilvusSystemInfo.parse(Recorded.systemInfo()).orElseThrow();
    var db = real.latest().database().orElseThrow();
    assertThat(db.memoryLimitBytes()).isEqualTo(info.memoryBytes().getAsLong());
    assertThat(db.memoryUsedBytes())
        .isEqualTo(value(Recorded.metrics(), "process_resident_memory_bytes"));
    assertThat(db.memoryRatio())
        .isCloseTo(db.memoryUsedBytes() / info.memoryBytes().getAsLong(), within(1e-12));
    assertThat(real.latest().systemInfo()).isEqualTo(1);

    AtomicInteger asked = new AtomicInteger();
    ServerMetricsScraper lite =
        scraper(
            config(Duration.ofSeconds(5), 8 << 20, OptionalLong.of(1L << 30), OptionalDouble.of(2)),
            Optional.of(
                () -> {
                  asked.incrementAndGet();
                  throw new UnsupportedOperationException("UNIMPLEMENTED");
                }));
    for (int i = 0; i < 2 * ServerMetricsScraper.SYSTEM_INFO_EVERY + 1; i++) {
      lite.scrape();
      clock.advance(Duration.ofSeconds(15));
    }
    assertThat(asked).hasValue(1);
    assertThat(lite.latest().systemInfo()).isZero();
    assertThat(lite.latest().database().orElseThrow().memoryLimitBytes()).isEqualTo(1L << 30);
  }

  @Test
  void databaseCpuRatioIsCpuSecondsOverElapsedTimesCores() {
    ServerMetricsScraper s =
        scraper(
            config(Duration.ofSeconds(5), 8 << 20, OptionalLong.empty(), OptionalDouble.of(4)),
            Optional.empty());
    s.scrape();
    double cpu = value(Recorded.metrics(), "process_cpu_seconds_total");
    page.set(
        Recorded.metrics()
            .replaceFirst(
                "(?m)^process_cpu_seconds_total .*$", "process_cpu_seconds_total " + (cpu + 6)));
    clock.advance(Duration.ofSeconds(15));
    s.scrape();

    assertThat(s.latest().database().orElseThrow().cpuRatio())
        .isCloseTo(6.0 / (15 * 4), within(1e-9));
  }

  @Test
  void functionLabelsAreSnakeCase() {
    assertThat(ServerMetricsScraper.functionLabel("Search")).isEqualTo("search");
    assertThat(ServerMetricsScraper.functionLabel("HybridSearch")).isEqualTo("hybrid_search");
    assertThat(ServerMetricsScraper.functionLabel("GetQuerySegmentInfo"))
        .isEqualTo("get_query_segment_info");
  }

  @Test
  void credentialsInTheUrlNeverReachTheLog() {
    assertThat(ServerMetricsScraper.redacted(URI.create("http://user:secret@milvus:9091/metrics")))
        .isEqualTo("http://milvus:9091/metrics");
  }

  private static double value(String text, String series) {
    Matcher m = Pattern.compile("(?m)^" + series + " (\\S+)$").matcher(text);
    assertThat(m.find()).as(series).isTrue();
    return Double.parseDouble(m.group(1));
  }

  /**
   * The page with {@code n} more Search requests, and the search histogram raised by {@code add}:
   * each bucket gains the addition of the largest key at or below its bound (cumulative counts).
   */
  private static String addToSearch(String text, int n, Map<Double, Double> add) {
    String out = text;
    String total =
        "milvus_proxy_req_count{function_name=\"Search\",node_id=\"1\",status=\"total\"}";
    out =
        out.replace(
            total + " " + fmt(value(text, Pattern.quote(total))),
            total + " " + fmt(value(text, Pattern.quote(total)) + n));
    Matcher m =
        Pattern.compile(
                "(?m)^(milvus_proxy_sq_latency_bucket\\{node_id=\"1\",query_type=\"search\",le=\"([^\"]+)\"\\}) (\\S+)$")
            .matcher(out);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      double bound =
          m.group(2).equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(m.group(2));
      double extra = 0;
      for (Map.Entry<Double, Double> e : add.entrySet()) {
        if (bound >= e.getKey()) {
          extra = Math.max(extra, e.getValue());
        }
      }
      m.appendReplacement(
          sb,
          Matcher.quoteReplacement(m.group(1) + " " + fmt(Double.parseDouble(m.group(3)) + extra)));
    }
    m.appendTail(sb);
    out = sb.toString();
    String count = "milvus_proxy_sq_latency_count{node_id=\"1\",query_type=\"search\"}";
    return out.replace(
        count + " " + fmt(value(text, Pattern.quote(count))),
        count + " " + fmt(value(text, Pattern.quote(count)) + n));
  }

  private static String fmt(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }
}
