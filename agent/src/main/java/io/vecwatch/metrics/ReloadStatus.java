package io.vecwatch.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vecwatch.time.Clock;

/**
 * {@code vecwatch_config_last_reload_successful} and {@code
 * vecwatch_config_last_reload_success_timestamp_seconds}, as Prometheus exports them for its own
 * config: 1 and the start time after a good start, 0 after a reload that failed (everything kept
 * running as before), the time of the last reload that worked.
 */
public final class ReloadStatus {
  private final Clock clock;
  private volatile boolean ok = true;
  private volatile long successMillis;

  ReloadStatus(MeterRegistry registry, Clock clock) {
    this.clock = clock;
    this.successMillis = clock.wallMillis();
    Gauge.builder("vecwatch.config.last.reload.successful", this, s -> s.ok ? 1 : 0)
        .description("Whether the last configuration reload attempt was successful")
        .register(registry);
    Gauge.builder(
            "vecwatch.config.last.reload.success.timestamp.seconds",
            this,
            s -> s.successMillis / 1e3)
        .description("Timestamp of the last successful configuration reload")
        .register(registry);
  }

  public void succeeded() {
    successMillis = clock.wallMillis();
    ok = true;
  }

  public void failed() {
    ok = false;
  }

  public boolean ok() {
    return ok;
  }
}
