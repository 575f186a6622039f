package io.vecwatch.resources;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads the host's CPU, memory, disk and network counters from {@code /proc} under a root folder
 * ({@code /} in production, a fixture tree in tests). Every method reads fresh values; nothing is
 * cached.
 */
public final class HostReader {
  /**
   * Partitions and virtual block devices: counted in their parent disk or not real IO
   * (node_exporter's rule).
   */
  private static final Pattern IGNORED_DISKS =
      Pattern.compile("^(z?ram|loop|fd|(h|s|v|xv)d[a-z]|nvme\\d+n\\d+p|mmcblk\\d+p)\\d+$");

  private static final int SECTOR_BYTES = 512;

  private final Path root;

  private HostReader(Path root) {
    this.root = root;
  }

  public static HostReader at(Path root) {
    return new HostReader(root);
  }

  /**
   * Cumulative CPU time of all CPUs, in clock ticks, from the first line of {@code /proc/stat}.
   * Busy is everything but idle and iowait; guest time is already inside user/nice, so it is not
   * added again.
   */
  public Optional<HostCpu> cpu() {
    Optional<String> text = ProcFiles.read(ProcFiles.under(root, "/proc/stat"));
    if (text.isEmpty()) {
      return Optional.empty();
    }
    long busy = -1;
    long total = 0;
    int cpus = 0;
    for (String line : text.get().split("\n")) {
      if (line.startsWith("cpu ")) {
        String[] f = line.trim().split("\\s+");
        long idle = 0;
        // user nice system idle iowait irq softirq steal guest guest_nice
        try {
          for (int i = 1; i < f.length && i <= 8; i++) {
            long v = Long.parseLong(f[i]);
            total += v;
            if (i == 4 || i == 5) {
              idle += v;
            }
          }
        } catch (NumberFormatException e) {
          return Optional.empty();
        }
        busy = total - idle;
      } else if (line.startsWith("cpu")) {
        cpus++;
      }
    }
    return busy < 0 ? Optional.empty() : Optional.of(new HostCpu(busy, total, Math.max(cpus, 1)));
  }

  /** {@code MemTotal} and {@code MemAvailable} from {@code /proc/meminfo}. */
  public Optional<HostMemory> memory() {
    Map<String, Long> kv = ProcFiles.keyValues(ProcFiles.under(root, "/proc/meminfo"));
    Long total = kv.get("MemTotal");
    if (total == null || total <= 0) {
      return Optional.empty();
    }
    // Kernels before 3.14 have no MemAvailable; free + buffers + cached is the usual stand-in.
    Long available = kv.get("MemAvailable");
    if (available == null) {
      available =
          kv.getOrDefault("MemFree", 0L)
              + kv.getOrDefault("Buffers", 0L)
              + kv.getOrDefault("Cached", 0L);
    }
    return Optional.of(new HostMemory(total, Math.min(available, total)));
  }

  /**
   * Whole disks from {@code /proc/diskstats} (partitions, loop and ram devices left out), sorted by
   * name.
   */
  public List<DiskIo> disks() {
    List<DiskIo> out = new ArrayList<>();
    ProcFiles.read(ProcFiles.under(root, "/proc/diskstats"))
        .ifPresent(
            text -> {
              for (String line : text.split("\n")) {
                String[] f = line.trim().split("\\s+");
                if (f.length < 14 || IGNORED_DISKS.matcher(f[2]).matches()) {
                  continue;
                }
                // major minor name reads merged sectors_read ms_read writes merged sectors_written
                // ms_write inflight io_ms ...
                try {
                  out.add(
                      new DiskIo(
                          f[2],
                          Long.parseLong(f[5]) * SECTOR_BYTES,
                          Long.parseLong(f[9]) * SECTOR_BYTES,
                          Long.parseLong(f[12])));
                } catch (NumberFormatException e) {
                  // a line this parser does not understand: skip it rather than lose every disk
                }
              }
            });
    out.sort(Comparator.comparing(DiskIo::device));
    return out;
  }

  /** Interfaces from {@code /proc/net/dev} except loopback, sorted by name. */
  public List<NetIo> network() {
    List<NetIo> out = new ArrayList<>();
    ProcFiles.read(ProcFiles.under(root, "/proc/net/dev"))
        .ifPresent(
            text -> {
              for (String line : text.split("\n")) {
                int colon = line.indexOf(':');
                if (colon < 0) {
                  continue;
                }
                String name = line.substring(0, colon).trim();
                String[] f = line.substring(colon + 1).trim().split("\\s+");
                if (name.equals("lo") || name.contains("|") || f.length < 9) {
                  continue;
                }
                try {
                  out.add(new NetIo(name, Long.parseLong(f[0]), Long.parseLong(f[8])));
                } catch (NumberFormatException e) {
                  // skip the line, keep the other interfaces
                }
              }
            });
    out.sort(Comparator.comparing(NetIo::device));
    return out;
  }

  /**
   * CPU time in clock ticks ({@code USER_HZ}, 100 on every Linux ABI in use) summed over {@code
   * cpus} CPUs.
   */
  public record HostCpu(long busyTicks, long totalTicks, int cpus) {}

  public record HostMemory(long totalBytes, long availableBytes) {
    public long usedBytes() {
      return totalBytes - availableBytes;
    }
  }

  public record DiskIo(String device, long readBytes, long writtenBytes, long ioMillis) {}

  public record NetIo(String device, long receivedBytes, long transmittedBytes) {}
}
