package io.vecwatch.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.vecwatch.time.ManualClock;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResourceSamplerTest {
  private static final String SCOPE =
      "/sys/fs/cgroup/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod7d1e.slice/cri-containerd-9b2f.scope";

  @Test
  void containerCpuRatioIsCpuTimeOverElapsedTimesCores(@TempDir Path tmp) {
    Path root = Fixtures.copy("cgroup-v2", tmp);
    ManualClock clock = new ManualClock();
    ResourceSampler sampler = ResourceSampler.forRoot(root, clock);

    ResourceSnapshot first = sampler.sample();
    assertThat(first.container().orElseThrow().cpuRatio()).isNaN();

    long usedMicros = 1_500_000; // 1.5 s of CPU ...
    Duration elapsed = Duration.ofSeconds(5); // ... in 5 s, against the pod's 2 cores
    Fixtures.write(
        root,
        SCOPE + "/cpu.stat",
        "usage_usec "
            + (98765432L + usedMicros)
            + "\nnr_periods 5450\n"
            + "nr_throttled 220\nthrottled_usec 3600000\n");
    clock.advance(elapsed);
    ResourceSnapshot second = sampler.sample();

    ScopeUsage c = second.container().orElseThrow();
    double expected = (usedMicros / 1e6) / (elapsed.toNanos() / 1e9 * 2.0);
    assertThat(c.cpuRatio()).isCloseTo(expected, within(1e-12));
    assertThat(c.cpuLimitCores()).isEqualTo(2.0);
    assertThat(c.cpuSeconds()).isCloseTo((98765432L + usedMicros) / 1e6, within(1e-9));
    assertThat(second.throttling().throttledPeriods()).isEqualTo(220);
    assertThat(second.throttling().throttledSeconds()).isCloseTo(3.6, within(1e-12));
  }

  @Test
  void containerMemoryRatioIsWorkingSetOverItsLimit() {
    ResourceSnapshot s =
        ResourceSampler.forRoot(Fixtures.root("cgroup-v1-docker"), new ManualClock()).sample();

    ScopeUsage c = s.container().orElseThrow();
    assertThat(c.memoryRatio()).isCloseTo((402653184.0 - 100663296.0) / 536870912.0, within(1e-12));
  }

  @Test
  void unlimitedContainerIsMeasuredAgainstTheHost() {
    // the build VM's own v1 cgroup: no limit, so the host's MemTotal and CPU count are the limits
    ResourceSnapshot s =
        ResourceSampler.forRoot(Fixtures.root("cgroup-v1"), new ManualClock()).sample();

    ScopeUsage c = s.container().orElseThrow();
    ScopeUsage h = s.host().orElseThrow();
    assertThat(c.memoryLimitBytes()).isEqualTo(h.memoryLimitBytes());
    assertThat(c.cpuLimitCores()).isEqualTo(h.cpuLimitCores());
  }

  @Test
  void hostCpuRatioIsBusyTicksOverAllTicks(@TempDir Path root) {
    Fixtures.write(root, "/proc/meminfo", "MemTotal: 1000 kB\nMemAvailable: 250 kB\n");
    Fixtures.write(
        root, "/proc/stat", "cpu  100 0 50 800 50 0 0 0 0 0\ncpu0 1 1 1 1 1 0 0 0 0 0\n");
    ManualClock clock = new ManualClock();
    ResourceSampler sampler = ResourceSampler.forRoot(root, clock);
    sampler.sample();
    // +60 user, +20 system, +100 idle, +20 iowait
    Fixtures.write(
        root, "/proc/stat", "cpu  160 0 70 900 70 0 0 0 0 0\ncpu0 1 1 1 1 1 0 0 0 0 0\n");
    clock.advance(Duration.ofSeconds(2));

    ScopeUsage h = sampler.sample().host().orElseThrow();
    assertThat(h.cpuRatio()).isCloseTo((60.0 + 20) / (60 + 20 + 100 + 20), within(1e-12));
    assertThat(h.memoryRatio()).isCloseTo(750.0 / 1000, within(1e-12));
    assertThat(h.cpuSeconds()).isCloseTo((160 + 70) / 100.0, within(1e-12));
  }

  @Test
  void noContainerScopeOutsideACgroup(@TempDir Path root) {
    Fixtures.write(root, "/proc/meminfo", "MemTotal: 1000 kB\nMemAvailable: 250 kB\n");
    Fixtures.write(root, "/proc/stat", "cpu  1 0 1 8 0 0 0 0 0 0\ncpu0 1 0 1 8 0 0 0 0 0 0\n");

    ResourceSnapshot s = ResourceSampler.forRoot(root, new ManualClock()).sample();
    assertThat(s.container()).isEmpty();
    assertThat(s.host()).isPresent();
  }
}
