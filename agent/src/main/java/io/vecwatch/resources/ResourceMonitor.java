package io.vecwatch.resources;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vecwatch.concurrent.DaemonThreads;
import io.vecwatch.config.ResourcesConfig;
import io.vecwatch.time.Clock;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Samples resources every {@code interval} on its own daemon thread (file reads stay off the event
 * loop) and publishes each sample through {@link ResourceMetrics}. The first sample is taken at
 * start, so the series exist from the first scrape.
 */
public final class ResourceMonitor implements AutoCloseable {
  private final ScheduledExecutorService executor;
  private final ResourceMetrics metrics;
  private final Optional<String> cgroupVersion;

  private ResourceMonitor(
      ScheduledExecutorService executor, ResourceMetrics metrics, Optional<String> cgroupVersion) {
    this.executor = executor;
    this.metrics = metrics;
    this.cgroupVersion = cgroupVersion;
  }

  public static ResourceMonitor start(ResourcesConfig config, MeterRegistry registry, Clock clock) {
    ResourceSampler sampler = ResourceSampler.forRoot(config.root(), clock);
    ResourceMetrics metrics = ResourceMetrics.on(registry);
    Counter failures =
        Counter.builder("vecwatch.resource.sample.failures")
            .description(
                "Resource samples that failed (unreadable or malformed /proc or cgroup files)")
            .register(registry);
    Runnable sample =
        () -> {
          try {
            metrics.update(sampler.sample());
          } catch (RuntimeException e) {
            failures
                .increment(); // the next interval tries again; the last good sample stays published
          }
        };
    sample.run();
    ScheduledExecutorService ex =
        Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("vecwatch-resources"));
    long ms = config.interval().toMillis();
    ex.scheduleWithFixedDelay(sample, ms, ms, TimeUnit.MILLISECONDS);
    return new ResourceMonitor(ex, metrics, sampler.cgroupVersion());
  }

  /** The cgroup version found at start ({@code v1}, {@code v2}), empty outside a cgroup. */
  public Optional<String> cgroupVersion() {
    return cgroupVersion;
  }

  public ResourceSnapshot latest() {
    return metrics.latest();
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
