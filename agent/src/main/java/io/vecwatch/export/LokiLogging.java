package io.vecwatch.export;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.filter.ThresholdFilter;
import com.github.loki4j.logback.JavaHttpSender;
import com.github.loki4j.logback.Loki4jAppender;
import com.github.loki4j.logback.PipelineConfigAppenderBase;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vecwatch.config.LokiConfig;
import io.vecwatch.time.Clock;
import java.lang.reflect.Field;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.LoggerFactory;

/**
 * Sends the agent's log lines to a Loki push endpoint through loki4j's Logback appender, attached
 * to the root logger. loki4j appends without blocking (the line is encoded on the caller's thread,
 * batched and sent by its own threads); when its send queue ({@code queue_bytes}) is full, lines
 * are dropped and counted as {@code vecwatch_export_dropped_total{exporter="loki"}}.
 *
 * <p>Stream labels: {@code app=vecwatch}, {@code level}, the configured static labels, and {@code
 * target} and {@code event} on event lines ({@link EventLog}). Nothing else becomes a label.
 */
public final class LokiLogging implements AutoCloseable {
  static final String EXPORTER = "loki";
  static final String APPENDER_NAME = "vecwatch-loki";

  private final LoggerContext context;
  private final Loki4jAppender appender;
  private final AtomicLong dropped;
  private final LokiStatus status;
  private final Duration stopWait;

  private LokiLogging(
      LoggerContext context,
      Loki4jAppender appender,
      AtomicLong dropped,
      LokiStatus status,
      Duration stopWait) {
    this.context = context;
    this.stopWait = stopWait;
    this.appender = appender;
    this.dropped = dropped;
    this.status = status;
  }

  /**
   * Attaches the appender to Logback's root logger; throws {@link IllegalStateException} if SLF4J
   * is not Logback.
   */
  public static LokiLogging install(LokiConfig config, MeterRegistry registry, Clock clock) {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx)) {
      throw new IllegalStateException("Loki logging needs Logback as the SLF4J backend");
    }
    // Our listener on the status manager also keeps loki4j from adding its own console printer.
    LokiStatus status = new LokiStatus(clock, TimeUnit.MINUTES.toNanos(1), System.err);
    ctx.getStatusManager().add(status);
    Loki4jAppender a = new Loki4jAppender();
    a.setContext(ctx);
    a.setName(APPENDER_NAME);

    PipelineConfigAppenderBase.HttpCfg http = new PipelineConfigAppenderBase.HttpCfg();
    http.setUrl(
        config
            .url()
            .orElseThrow(() -> new IllegalArgumentException("loki is not enabled"))
            .toString());
    http.setRequestTimeoutMs(config.requestTimeout().toMillis());
    http.setConnectionTimeoutMs(Math.min(config.requestTimeout().toMillis(), 5_000));
    // A failed batch is retried twice with backoff, then dropped (and counted by loki4j): never a
    // hot loop.
    http.setMaxRetries(2);
    http.setSender(new JavaHttpSender());
    config.tenantId().ifPresent(http::setTenantId);
    if (config.username().isPresent() && config.password().isPresent()) {
      PipelineConfigAppenderBase.BasicAuth auth = new PipelineConfigAppenderBase.BasicAuth();
      auth.setUsername(config.username().get());
      auth.setPassword(config.password().get().reveal());
      http.setAuth(auth);
    }
    a.setHttp(http);

    PipelineConfigAppenderBase.BatchCfg batch = new PipelineConfigAppenderBase.BatchCfg();
    batch.setMaxItems(config.batchItems());
    batch.setTimeoutMs(config.batchTimeout().toMillis());
    batch.setSendQueueMaxBytes(config.queueBytes());
    batch.setMaxBytes((int) Math.min(4L << 20, config.queueBytes() / 5));
    // Direct buffers would sit outside the heap limit; the queue is small enough for heap buffers.
    batch.setUseDirectBuffers(false);
    a.setBatch(batch);

    a.setLabels(labels(config.labels()));
    a.setReadMarkers(true);
    a.setStructuredMetadata(Loki4jAppender.DISABLE_SMD_PATTERN);
    PatternLayout layout = new PatternLayout();
    layout.setContext(ctx);
    layout.setPattern("%msg logger=%logger{36}%n%ex{12}");
    layout.start();
    a.setMessage(layout);

    ThresholdFilter threshold = new ThresholdFilter();
    threshold.setLevel(config.level().toUpperCase(Locale.ROOT));
    threshold.setContext(ctx);
    threshold.start();
    a.addFilter(threshold);
    a.start();

    ctx.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(a);

    LokiLogging l =
        new LokiLogging(
            ctx,
            a,
            droppedCounter(a),
            status,
            Duration.ofMillis(
                Math.max(1_000, Math.min(10_000, config.requestTimeout().toMillis() + 1_000))));
    FunctionCounter.builder("vecwatch.export.dropped", l, x -> x.dropped.get())
        .tags("exporter", EXPORTER, "reason", "queue_full")
        .description("Items an exporter dropped instead of sending")
        .register(registry);
    FunctionCounter.builder("vecwatch.export.failed.batches", l, x -> x.status.failedBatches())
        .tags("exporter", EXPORTER)
        .description("Batches an exporter gave up sending after its retries")
        .register(registry);
    return l;
  }

  /**
   * {@code app=vecwatch}, {@code level}, then static labels, one per line (loki4j's label pattern).
   */
  static String labels(Map<String, String> extra) {
    StringBuilder sb = new StringBuilder("app=vecwatch\nlevel=%level");
    new TreeMap<>(extra)
        .forEach((k, v) -> sb.append('\n').append(k).append('=').append(v.replace("%", "\\%")));
    return sb.toString();
  }

  /**
   * loki4j counts the lines it drops in a private field with no public accessor (2.1.0); read it
   * reflectively. If a loki4j upgrade renames it, the counter reads 0 and LokiLoggingTest's drop
   * test fails.
   */
  private static AtomicLong droppedCounter(Loki4jAppender a) {
    try {
      Field f = Loki4jAppender.class.getDeclaredField("droppedEventsCount");
      f.setAccessible(true);
      return (AtomicLong) f.get(a);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return new AtomicLong();
    }
  }

  public long droppedLines() {
    return dropped.get();
  }

  public Duration stopWait() {
    return stopWait;
  }

  public long failedBatches() {
    return status.failedBatches();
  }

  /**
   * Detaches the appender and lets loki4j send what it holds, waiting at most {@link #stopWait()}
   * (one request timeout plus a second, at most 10 s): with a dead endpoint its drain would retry
   * batch after batch, so it runs on a daemon thread that is abandoned after that.
   */
  @Override
  public void close() {
    context.getLogger(Logger.ROOT_LOGGER_NAME).detachAppender(appender);
    Thread stopper = new Thread(appender::stop, "vecwatch-loki-stop");
    stopper.setDaemon(true);
    stopper.start();
    try {
      stopper.join(stopWait.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    context.getStatusManager().remove(status);
  }
}
