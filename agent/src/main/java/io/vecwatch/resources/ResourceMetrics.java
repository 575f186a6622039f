package io.vecwatch.resources;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.vecwatch.resources.HostReader.DiskIo;
import io.vecwatch.resources.HostReader.NetIo;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * Publishes the latest {@link ResourceSnapshot} as meters (names in docs/metrics.md, "Resources").
 * Meters read the snapshot when scraped; {@link #update} swaps it and registers meters for scopes
 * and devices seen for the first time (at most {@value #MAX_DEVICES} disks and interfaces each, so
 * a host with many virtual interfaces cannot blow up the series count).
 */
public final class ResourceMetrics {
  static final int MAX_DEVICES = 16;

  private final MeterRegistry registry;
  private final AtomicReference<ResourceSnapshot> latest =
      new AtomicReference<>(ResourceSnapshot.EMPTY);
  private final Set<String> registered = new HashSet<>();

  private ResourceMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  public static ResourceMetrics on(MeterRegistry registry) {
    return new ResourceMetrics(registry);
  }

  public ResourceSnapshot latest() {
    return latest.get();
  }

  /** Publishes {@code s}; called by the sampling worker only. */
  public synchronized void update(ResourceSnapshot s) {
    latest.set(s);
    if (!Double.isNaN(s.processResidentBytes()) && registered.add("process")) {
      Gauge.builder(
              "vecwatch.process.resident.memory.bytes", latest, r -> r.get().processResidentBytes())
          .description("Resident set size of the agent process (VmRSS)")
          .register(registry);
    }
    if (s.host().isPresent() && registered.add("scope:host")) {
      registerScope(registry, "host", "", () -> latest.get().host());
    }
    if (s.container().isPresent() && registered.add("scope:container")) {
      registerScope(registry, "container", "", () -> latest.get().container());
      Tags t = Tags.of("scope", "container");
      counter(
          "vecwatch.resource.cpu.periods",
          t,
          r -> r.throttling().periods(),
          "CFS enforcement periods with runnable tasks");
      counter(
          "vecwatch.resource.cpu.throttled.periods",
          t,
          r -> r.throttling().throttledPeriods(),
          "CFS periods in which the container was throttled");
      counter(
          "vecwatch.resource.cpu.throttled.seconds",
          t,
          r -> r.throttling().throttledSeconds(),
          "Total time the container was throttled");
    }
    registerDevices(
        "disk:",
        s.disks().stream().map(DiskIo::device).toList(),
        dev -> {
          Tags t = Tags.of("device", dev);
          counter(
              "vecwatch.host.disk.read.bytes",
              t,
              r -> disk(r, dev, DiskIo::readBytes),
              "Bytes read from the disk");
          counter(
              "vecwatch.host.disk.written.bytes",
              t,
              r -> disk(r, dev, DiskIo::writtenBytes),
              "Bytes written to the disk");
          counter(
              "vecwatch.host.disk.io.seconds",
              t,
              r -> disk(r, dev, DiskIo::ioMillis) / 1000.0,
              "Time the disk spent doing IO");
        });
    registerDevices(
        "net:",
        s.network().stream().map(NetIo::device).toList(),
        dev -> {
          Tags t = Tags.of("device", dev);
          counter(
              "vecwatch.host.network.receive.bytes",
              t,
              r -> net(r, dev, NetIo::receivedBytes),
              "Bytes received");
          counter(
              "vecwatch.host.network.transmit.bytes",
              t,
              r -> net(r, dev, NetIo::transmittedBytes),
              "Bytes sent");
        });
  }

  /**
   * Registers the usage meters of one scope (tags {@code scope}, {@code target}; target is empty
   * for host and container so every scope shares one label set). Also used for {@code
   * scope="database"}.
   */
  public static void registerScope(
      MeterRegistry registry, String scope, String target, Supplier<Optional<ScopeUsage>> usage) {
    Tags t = Tags.of("scope", scope, "target", target);
    scopeGauge(
        registry,
        "vecwatch.resource.memory.usage.ratio",
        t,
        usage,
        ScopeUsage::memoryRatio,
        "Memory in use / memory limit of the scope");
    scopeGauge(
        registry,
        "vecwatch.resource.cpu.usage.ratio",
        t,
        usage,
        ScopeUsage::cpuRatio,
        "CPU time used / (elapsed time x cores) of the scope over the last sampling interval");
    scopeGauge(
        registry,
        "vecwatch.resource.memory.used.bytes",
        t,
        usage,
        ScopeUsage::memoryUsedBytes,
        "Memory in use by the scope");
    scopeGauge(
        registry,
        "vecwatch.resource.memory.limit.bytes",
        t,
        usage,
        ScopeUsage::memoryLimitBytes,
        "Memory limit the ratio is taken against");
    scopeGauge(
        registry,
        "vecwatch.resource.cpu.limit.cores",
        t,
        usage,
        ScopeUsage::cpuLimitCores,
        "Cores the CPU ratio is taken against");
    // Micrometer holds a meter's object weakly and its function strongly: the supplier rides in the
    // function,
    // the object is the registry (alive as long as the meters are).
    FunctionCounter.builder(
            "vecwatch.resource.cpu.used.seconds",
            registry,
            r -> usage.get().map(ScopeUsage::cpuSeconds).orElse(Double.NaN))
        .tags(t)
        .description("Cumulative CPU time used by the scope")
        .register(registry);
  }

  private static void scopeGauge(
      MeterRegistry registry,
      String name,
      Tags tags,
      Supplier<Optional<ScopeUsage>> usage,
      ToDoubleFunction<ScopeUsage> f,
      String description) {
    Gauge.builder(name, usage, u -> u.get().map(f::applyAsDouble).orElse(Double.NaN))
        .strongReference(true)
        .tags(tags)
        .description(description)
        .register(registry);
  }

  private void counter(
      String name, Tags tags, ToDoubleFunction<ResourceSnapshot> f, String description) {
    FunctionCounter.builder(name, latest, r -> f.applyAsDouble(r.get()))
        .tags(tags)
        .description(description)
        .register(registry);
  }

  private void registerDevices(String prefix, List<String> devices, Consumer<String> register) {
    for (String dev : devices) {
      long count = registered.stream().filter(k -> k.startsWith(prefix)).count();
      if (!registered.contains(prefix + dev) && count < MAX_DEVICES) {
        registered.add(prefix + dev);
        register.accept(dev);
      }
    }
  }

  private static double disk(ResourceSnapshot r, String dev, Function<DiskIo, Long> f) {
    return r.disks().stream()
        .filter(d -> d.device().equals(dev))
        .findFirst()
        .map(f)
        .map(Long::doubleValue)
        .orElse(Double.NaN);
  }

  private static double net(ResourceSnapshot r, String dev, Function<NetIo, Long> f) {
    return r.network().stream()
        .filter(d -> d.device().equals(dev))
        .findFirst()
        .map(f)
        .map(Long::doubleValue)
        .orElse(Double.NaN);
  }
}
