package io.vecwatch.serverside;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vecwatch.concurrent.DaemonThreads;
import io.vecwatch.config.ServerMetricsConfig;
import io.vecwatch.resources.ResourceMetrics;
import io.vecwatch.stats.OwnSearches;
import io.vecwatch.time.Clock;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scrapes every configured database metrics endpoint on one daemon worker thread (blocking HTTP
 * never runs on an event loop) and publishes what it learns as meters (docs/metrics.md, "Database
 * server"). Also the {@link ClientLatencyRecorder} the probe runner must feed, so the latency gap
 * compares like with like.
 *
 * <pre>{@code
 * ServerSideMonitor m = ServerSideMonitor.start(config.telemetry().serverMetrics(), sources, registry, clock);
 * m.clientLatency().recordSuccess(target, latencyNanos);   // from the probe's listener
 * }</pre>
 */
public final class ServerSideMonitor implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ServerSideMonitor.class);

  /**
   * Function names are the server's; cap them so a strange server cannot create unbounded series.
   */
  static final int MAX_FUNCTIONS = 64;

  private final ScheduledExecutorService executor;
  private final ClientLatencyRecorder clientLatency;
  private final List<ServerMetricsScraper> scrapers;
  private final MeterRegistry registry;
  private final Set<String> registered = new HashSet<>();
  private final ServerLatencySummary latencySummary;
  private final List<SystemInfo.Source> sources;

  private ServerSideMonitor(
      ScheduledExecutorService executor,
      ClientLatencyRecorder clientLatency,
      List<ServerMetricsScraper> scrapers,
      MeterRegistry registry,
      List<SystemInfo.Source> sources) {
    this.sources = List.copyOf(sources);
    this.executor = executor;
    this.clientLatency = clientLatency;
    this.scrapers = scrapers;
    this.registry = registry;
    if (registry instanceof PrometheusMeterRegistry p) {
      latencySummary = new ServerLatencySummary();
      p.getPrometheusRegistry().register(latencySummary);
    } else {
      latencySummary = null;
    }
  }

  /**
   * @param systemInfo per target name, how to ask its server for GetMetrics(system_info), where it
   *     can
   */
  /**
   * @param kinds each target's kind, for the {@code kind} label of {@code
   *     vecwatch_served_requests_total}
   * @param mappings each target's server metrics mapping (its kind's); a target without one is not
   *     scraped
   * @param systemInfo per target name, how to ask its server for GetMetrics(system_info), where it
   *     can
   */
  public static ServerSideMonitor start(
      List<ServerMetricsConfig> configs,
      Map<String, String> kinds,
      Map<String, ServerMetricsMapping> mappings,
      Map<String, SystemInfo.Source> systemInfo,
      MeterRegistry registry,
      Clock clock) {
    return start(configs, kinds, mappings, systemInfo, new OwnSearches(), registry, clock);
  }

  /**
   * @param own the searches the agent's targets send, subtracted from the servers' search counts
   */
  public static ServerSideMonitor start(
      List<ServerMetricsConfig> configs,
      Map<String, String> kinds,
      Map<String, ServerMetricsMapping> mappings,
      Map<String, SystemInfo.Source> systemInfo,
      OwnSearches own,
      MeterRegistry registry,
      Clock clock) {
    ClientLatencyRecorder client = new ClientLatencyRecorder();
    HttpClient http =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    List<ServerMetricsScraper> scrapers = new ArrayList<>();
    List<ServerMetricsConfig> scraped = new ArrayList<>();
    for (ServerMetricsConfig c : configs) {
      ServerMetricsMapping mapping = mappings.get(c.target());
      if (mapping == null) {
        LOG.warn(
            "server metrics of target {}: its kind has no server metrics mapping; not scraped",
            c.target());
        continue;
      }
      scraped.add(c);
      scrapers.add(
          new ServerMetricsScraper(
              c,
              mapping,
              http,
              clock,
              client,
              own,
              Optional.ofNullable(systemInfo.get(c.target()))));
    }
    ScheduledExecutorService ex =
        Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("vecwatch-server-metrics"));
    ServerSideMonitor m =
        new ServerSideMonitor(
            ex, client, List.copyOf(scrapers), registry, List.copyOf(systemInfo.values()));
    for (int i = 0; i < scraped.size(); i++) {
      ServerMetricsScraper s = scrapers.get(i);
      m.registerStatic(s, kinds.getOrDefault(s.target(), ""));
      long ms = scraped.get(i).interval().toMillis();
      ex.scheduleWithFixedDelay(() -> m.scrapeAndPublish(s), 0, ms, TimeUnit.MILLISECONDS);
    }
    return m;
  }

  /** Feed this with every probe result (see the class comment). */
  public ClientLatencyRecorder clientLatency() {
    return clientLatency;
  }

  public List<ServerMetricsScraper> scrapers() {
    return scrapers;
  }

  void scrapeAndPublish(ServerMetricsScraper s) {
    try {
      s.scrape();
      registerFunctions(s);
    } catch (RuntimeException e) {
      // a bug in one scrape must not stop the schedule (scheduleWithFixedDelay stops on an
      // exception)
    }
  }

  private void registerStatic(ServerMetricsScraper s, String kind) {
    String target = s.target();
    Tags t = Tags.of("target", target);
    FunctionCounter.builder("vecwatch.served.requests", s, x -> x.latest().served())
        .tags("target", target, "kind", kind)
        .description(
            "Searches the target served to its clients other than vecwatch: the server's successful "
                + "searches minus vecwatch's successful canaries, since the agent started watching")
        .register(registry);
    gauge(
        "vecwatch.server.scrape.up",
        t,
        s,
        x -> x.latest().up() ? 1 : 0,
        "1 when the last scrape of the database's metrics endpoint succeeded");
    gauge(
        "vecwatch.server.scrape.duration.seconds",
        t,
        s,
        x -> x.latest().scrapeSeconds(),
        "How long the last scrape took");
    gauge(
        "vecwatch.server.system.info.available",
        t,
        s,
        x -> x.latest().systemInfo(),
        "1 when GetMetrics(system_info) answered, 0 when unsupported or failing");
    gauge(
        "vecwatch.server.window.requests.per.second",
        t,
        s,
        x -> x.latest().window().serverRate(),
        "Searches per second the server recorded over the window (all clients)");
    if (latencySummary != null) {
      latencySummary.add(s);
    } else {
      // A registry without Prometheus's model (tests, OTLP-only): the quantiles as plain gauges.
      for (double q : new double[] {0.5, 0.95, 0.99}) {
        ToDoubleFunction<LatencyComparison> f =
            q == 0.5
                ? LatencyComparison::serverP50
                : q == 0.95 ? LatencyComparison::serverP95 : LatencyComparison::serverP99;
        gauge(
            "vecwatch.server.window.latency.seconds",
            t.and("quantile", Double.toString(q)),
            s,
            x -> f.applyAsDouble(x.latest().window()),
            "Server-side search latency quantiles over the window");
      }
    }
    gauge(
        "vecwatch.latency.gap.seconds",
        t.and("stat", "p50"),
        s,
        x -> x.latest().window().gapP50(),
        "Agent-measured minus server-measured search latency over the same window");
    gauge(
        "vecwatch.latency.gap.seconds",
        t.and("stat", "p99"),
        s,
        x -> x.latest().window().gapP99(),
        "Agent-measured minus server-measured search latency over the same window");
    gauge(
        "vecwatch.latency.gap.seconds",
        t.and("stat", "mean"),
        s,
        x -> x.latest().window().gapMean(),
        "Agent-measured minus server-measured search latency over the same window");
    ResourceMetrics.registerScope(registry, "database", target, () -> s.latest().database());
  }

  private synchronized void registerFunctions(ServerMetricsScraper s) {
    ServerSnapshot snap = s.latest();
    register(
        s,
        "req:",
        snap.requests().keySet(),
        "vecwatch.server.requests",
        "Requests the database handled, by function, all clients (from its own metrics)",
        ServerSnapshot::requests);
    // every function served gets a failure series too (0 until one fails), so failures / requests
    // always divides
    Set<String> fns = new HashSet<>(snap.requests().keySet());
    fns.addAll(snap.failures().keySet());
    register(
        s,
        "fail:",
        fns,
        "vecwatch.server.request.failures",
        "Requests the database failed, by function, all clients (from its own metrics)",
        x -> zeroDefault(x.failures(), fns));
  }

  private void register(
      ServerMetricsScraper s,
      String prefix,
      Set<String> functions,
      String name,
      String help,
      Function<ServerSnapshot, Map<String, Double>> values) {
    for (String fn : functions) {
      String key = s.target() + "\u0000" + prefix + fn;
      long count =
          registered.stream().filter(k -> k.startsWith(s.target() + "\u0000" + prefix)).count();
      if (registered.contains(key) || count >= MAX_FUNCTIONS) {
        continue;
      }
      registered.add(key);
      FunctionCounter.builder(name, s, x -> values.apply(x.latest()).getOrDefault(fn, Double.NaN))
          .tags("target", s.target(), "function", ServerMetricsScraper.functionLabel(fn))
          .description(help)
          .register(registry);
    }
  }

  private static Map<String, Double> zeroDefault(Map<String, Double> values, Set<String> keys) {
    Map<String, Double> out = new HashMap<>();
    keys.forEach(k -> out.put(k, values.getOrDefault(k, 0.0)));
    return out;
  }

  private void gauge(
      String name,
      Tags tags,
      ServerMetricsScraper s,
      ToDoubleFunction<ServerMetricsScraper> f,
      String help) {
    Gauge.builder(name, s, f).tags(tags).description(help).strongReference(true).register(registry);
  }

  @Override
  public void close() {
    executor.shutdownNow();
    for (SystemInfo.Source src : sources) {
      if (src instanceof AutoCloseable c) {
        try {
          c.close(); // e.g. a Milvus connection opened for GetMetrics
        } catch (Exception e) {
          // closing is best effort
        }
      }
    }
    if (latencySummary != null && registry instanceof PrometheusMeterRegistry p) {
      p.getPrometheusRegistry().unregister(latencySummary);
    }
  }
}
