package io.vecwatch.resources;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vecwatch.time.ManualClock;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResourceMetricsTest {

  @Test
  void publishesTheAgreedSeriesNames(@TempDir Path tmp) {
    Fixtures.copy("host", tmp); // /proc/diskstats, /proc/net/dev, /proc/self/status
    Path root =
        Fixtures.copy("cgroup-v2", tmp); // its /proc/self/cgroup and mountinfo replace the host's
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    ManualClock clock = new ManualClock();
    ResourceSampler sampler = ResourceSampler.forRoot(root, clock);
    ResourceMetrics metrics = ResourceMetrics.on(registry);
    metrics.update(sampler.sample());
    clock.advance(Duration.ofSeconds(5));
    metrics.update(sampler.sample());

    String text = registry.scrape();
    ScopeUsage c = metrics.latest().container().orElseThrow();
    assertThat(text)
        .contains(
            "vecwatch_resource_memory_usage_ratio{scope=\"container\",target=\"\"} "
                + c.memoryRatio())
        .contains("vecwatch_resource_memory_usage_ratio{scope=\"host\",target=\"\"}")
        .contains("vecwatch_resource_cpu_usage_ratio{scope=\"container\",target=\"\"}")
        .contains("vecwatch_resource_cpu_limit_cores{scope=\"container\",target=\"\"} 2.0")
        .contains(
            "vecwatch_resource_memory_limit_bytes{scope=\"container\",target=\"\"} 1.073741824E9")
        .contains("vecwatch_resource_cpu_used_seconds_total{scope=\"container\",target=\"\"}")
        .contains("vecwatch_resource_cpu_throttled_periods_total{scope=\"container\"} 210")
        .contains("vecwatch_resource_cpu_throttled_seconds_total{scope=\"container\"} 3.5")
        .contains("vecwatch_host_disk_read_bytes_total{device=\"vda\"}")
        .contains("vecwatch_host_network_receive_bytes_total{device=\"eth0\"}")
        .contains("vecwatch_process_resident_memory_bytes " + (2160.0 * 1024));
  }
}
