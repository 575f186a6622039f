package io.vecwatch.serverside;

import io.vecwatch.config.ServerMetricsConfig;
import io.vecwatch.promtext.PromTextException;
import io.vecwatch.promtext.Sample;
import io.vecwatch.promtext.TextFormatParser;
import io.vecwatch.resources.ScopeUsage;
import io.vecwatch.stats.OwnSearches;
import io.vecwatch.time.Clock;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scrapes one database's metrics page and keeps the latest {@link ServerSnapshot}. {@link
 * #scrape()} blocks for at most the configured timeout (the whole response, body included, must
 * arrive within it) and is called by one worker thread; readers take {@link #latest()} from any
 * thread.
 */
public final class ServerMetricsScraper {
  private static final Logger LOG = LoggerFactory.getLogger(ServerMetricsScraper.class);

  /**
   * Limits rarely change: ask GetMetrics(system_info) at the first scrape and then every this many.
   */
  static final int SYSTEM_INFO_EVERY = 20;

  private final ServerMetricsConfig config;
  private final ServerMetricsMapping mapping;
  private final HttpClient http;
  private final Clock clock;
  private final ClientLatencyRecorder client;
  private final OwnSearches own;
  private final Optional<SystemInfo.Source> systemInfoSource;
  private final CounterAccumulator requests = new CounterAccumulator();
  private final CounterAccumulator failures = new CounterAccumulator();
  private final CounterAccumulator searches = new CounterAccumulator();
  private final LatencyWindow window;
  private final AtomicReference<ServerSnapshot> latest =
      new AtomicReference<>(ServerSnapshot.EMPTY);

  private volatile long scrapes;
  private boolean systemInfoUnsupported;
  private double systemInfoState = Double.NaN;
  private Optional<SystemInfo> systemInfo = Optional.empty();
  private double lastCpuSeconds = Double.NaN;
  private long lastCpuAtNanos;
  private boolean wasUp = true;
  private double served;
  private double lastSearchSuccesses = Double.NaN;
  private long pendingCanaries;
  private long ownAtLastCount;
  private long carried;
  private long ownBefore;

  ServerMetricsScraper(
      ServerMetricsConfig config,
      ServerMetricsMapping mapping,
      HttpClient http,
      Clock clock,
      ClientLatencyRecorder client,
      Optional<SystemInfo.Source> systemInfoSource) {
    this(config, mapping, http, clock, client, new OwnSearches(), systemInfoSource);
  }

  ServerMetricsScraper(
      ServerMetricsConfig config,
      ServerMetricsMapping mapping,
      HttpClient http,
      Clock clock,
      ClientLatencyRecorder client,
      OwnSearches own,
      Optional<SystemInfo.Source> systemInfoSource) {
    this.own = own;
    this.config = config;
    this.mapping = mapping;
    this.http = http;
    this.clock = clock;
    this.client = client;
    this.systemInfoSource = systemInfoSource;
    this.window = new LatencyWindow(config.window().toNanos());
  }

  public String target() {
    return config.target();
  }

  /** Successful scrapes so far. */
  public long scrapes() {
    return scrapes;
  }

  public ServerSnapshot latest() {
    return latest.get();
  }

  /** One scrape; never throws. */
  void scrape() {
    long start = clock.monotonicNanos();
    Optional<String> page = fetch();
    long now = clock.monotonicNanos();
    double took = (now - start) / 1e9;
    if (page.isEmpty()) {
      failed(took);
      return;
    }
    List<Sample> samples;
    try {
      samples = TextFormatParser.parse(page.get());
    } catch (PromTextException e) {
      // like Prometheus, one malformed line fails the whole scrape
      down("malformed page: " + e.getMessage());
      failed(took);
      return;
    }
    if (!wasUp) {
      LOG.info(
          "server metrics of target {} readable again at {}",
          config.target(),
          redacted(config.url()));
      wasUp = true;
    }
    ServerScrape s = mapping.select(samples);
    requests.update(s.requests());
    failures.update(s.failures());
    if (!Double.isNaN(s.searchLatencySumMs())) {
      searches.update(
          Map.of("count", s.searchLatencyMs().count(), "sum", s.searchLatencySumMs() / 1000.0));
    }
    Histogram clientInterval = client.drain(config.target());
    // every search the target sent since the last counted scrape (canaries and self-recall
    // samples); targets that
    // do not count their own searches fall back to the successful canaries
    long ownNow = own.total(config.target());
    long ownDelta = ownNow - ownAtLastCount;
    ownAtLastCount = ownNow;
    countServed(
        s.searchSuccesses(), Math.max(ownDelta, pendingCanaries + clientInterval.getTotalCount()));
    pendingCanaries = 0;
    window.add(now, s.searchLatencyMs(), s.searchLatencySumMs(), clientInterval);
    if (scrapes++ % SYSTEM_INFO_EVERY == 0) {
      refreshSystemInfo();
    }
    Map<String, Double> searched = searches.totals();
    latest.set(
        new ServerSnapshot(
            true,
            took,
            served,
            requests.totals(),
            failures.totals(),
            searched.getOrDefault("count", 0.0),
            searched.getOrDefault("sum", 0.0),
            window.stats(),
            database(s, now),
            systemInfoState));
  }

  /**
   * A scrape that gave nothing usable: the server is down for us; the counters keep their last
   * values.
   */
  private void failed(double took) {
    // Keep client intervals aligned with the next successful scrape; its served delta includes
    // these canaries.
    pendingCanaries += client.drain(config.target()).getTotalCount();
    ServerSnapshot prev = latest.get();
    latest.set(
        new ServerSnapshot(
            false,
            took,
            prev.served(),
            prev.requests(),
            prev.failures(),
            prev.searches(),
            prev.searchSeconds(),
            window.stats(),
            prev.database(),
            prev.systemInfo()));
  }

  /**
   * Adds the server's new successful searches minus the agent's own searches in the same interval,
   * never below zero. The agent counts a search when it sends it, so one in flight at a scrape is
   * in the agent's count before the server's; what the agent's count exceeds the server's by is
   * carried forward, but never more than the agent sent in the last two intervals (a search that
   * failed on the server is in neither count of successes and must not hide other clients' traffic
   * for long).
   */
  private void countServed(double searchSuccesses, long own) {
    if (Double.isNaN(searchSuccesses)) {
      return;
    }
    if (!Double.isNaN(lastSearchSuccesses)) {
      double delta =
          searchSuccesses >= lastSearchSuccesses
              ? searchSuccesses - lastSearchSuccesses
              : searchSuccesses;
      double mine = own + carried;
      served += Math.max(0, delta - mine);
      // at most what was sent in this and the previous interval: a search slower than that is given
      // up on
      carried = (long) Math.min(own + ownBefore, Math.max(0, mine - delta));
      ownBefore = own;
    }
    lastSearchSuccesses = searchSuccesses;
  }

  private Optional<String> fetch() {
    HttpRequest req =
        HttpRequest.newBuilder(config.url())
            .timeout(config.timeout())
            .header("Accept", "text/plain;version=0.0.4")
            .GET()
            .build();
    CompletableFuture<HttpResponse<String>> f =
        http.sendAsync(req, BoundedBody.handler(config.maxBytes()));
    try {
      HttpResponse<String> r = f.get(config.timeout().toMillis(), TimeUnit.MILLISECONDS);
      if (r.statusCode() != 200) {
        down("HTTP " + r.statusCode());
        return Optional.empty();
      }
      return Optional.of(r.body());
    } catch (TimeoutException e) {
      f.cancel(true);
      down("no complete answer within " + config.timeout().toMillis() + " ms");
    } catch (ExecutionException e) {
      Throwable c = e.getCause() == null ? e : e.getCause();
      down(c.getClass().getSimpleName() + (c.getMessage() == null ? "" : ": " + c.getMessage()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return Optional.empty();
  }

  /**
   * Logs the first failure of a run of failures only: a dead endpoint costs one line, not one per
   * scrape.
   */
  private void down(String why) {
    if (wasUp) {
      LOG.warn(
          "cannot scrape server metrics of target {} at {}: {}",
          config.target(),
          redacted(config.url()),
          why);
      wasUp = false;
    }
  }

  private void refreshSystemInfo() {
    if (!config.systemInfo() || systemInfoSource.isEmpty() || systemInfoUnsupported) {
      return;
    }
    try {
      systemInfo = systemInfoSource.get().fetch();
      systemInfoState = systemInfo.isPresent() ? 1 : 0;
    } catch (UnsupportedOperationException e) {
      systemInfoUnsupported = true;
      systemInfoState = 0;
      LOG.info(
          "target {} cannot report its system info; database limits come from config only",
          config.target());
    } catch (Exception e) {
      systemInfoState = 0; // try again at the next refresh
    }
  }

  private Optional<ScopeUsage> database(ServerScrape s, long now) {
    if (s.residentBytes().isEmpty() && s.cpuSeconds().isEmpty()) {
      return Optional.empty();
    }
    double memLimit =
        config.memoryLimitBytes().isPresent()
            ? config.memoryLimitBytes().getAsLong()
            : systemInfo
                .flatMap(
                    i ->
                        i.memoryBytes().isPresent()
                            ? Optional.of((double) i.memoryBytes().getAsLong())
                            : Optional.empty())
                .orElse(Double.NaN);
    double cores =
        config.cpuLimitCores().isPresent()
            ? config.cpuLimitCores().getAsDouble()
            : systemInfo
                .map(SystemInfo::cpuCores)
                .filter(OptionalDouble::isPresent)
                .map(OptionalDouble::getAsDouble)
                .orElse(Double.NaN);
    double cpu = s.cpuSeconds().orElse(Double.NaN);
    double ratio = Double.NaN;
    if (!Double.isNaN(lastCpuSeconds) && cpu >= lastCpuSeconds && now > lastCpuAtNanos) {
      ratio = (cpu - lastCpuSeconds) / ((now - lastCpuAtNanos) / 1e9 * cores);
    }
    lastCpuSeconds = cpu;
    lastCpuAtNanos = now;
    return Optional.of(
        new ScopeUsage(s.residentBytes().orElse(Double.NaN), memLimit, cpu, cores, ratio));
  }

  /**
   * The snake_case label for a Milvus function name: {@code HybridSearch} becomes {@code
   * hybrid_search}.
   */
  static String functionLabel(String fn) {
    StringBuilder sb = new StringBuilder(fn.length() + 4);
    for (int i = 0; i < fn.length(); i++) {
      char c = fn.charAt(i);
      if (Character.isUpperCase(c)) {
        if (i > 0
            && (Character.isLowerCase(fn.charAt(i - 1))
                || (i + 1 < fn.length()
                    && Character.isLowerCase(fn.charAt(i + 1))
                    && Character.isUpperCase(fn.charAt(i - 1))))) {
          sb.append('_');
        }
        sb.append(Character.toLowerCase(c));
      } else {
        sb.append(Character.isLetterOrDigit(c) ? c : '_');
      }
    }
    return sb.toString();
  }

  /** The URL without user info: it may carry credentials and ends up in logs. */
  static String redacted(URI u) {
    return u.getUserInfo() == null
        ? u.toString()
        : u.toString().replace(u.getRawUserInfo() + "@", "");
  }
}
